package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
	"github.com/spf13/cobra"

	"github.com/collabnet/collabnet/queries"
)

func newQueryCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "query",
		Short: "The Cypher query library: list the queries, show one for Neo4j Browser, run one",
		Long: `collabnet ships a library of Cypher queries over the graph that collabnet load
writes into Neo4j: an organisation's partners found by any of its names, the
agreements of an event or programme, countries ranked by partners, the shortest
collaboration path, reported figures against named agreements, and more.

  query list               the queries, their parameters and example values
  query show NAME          the query, preceded by :param lines, to paste into Browser
  query run NAME           run it; every parameter defaults to its example value
  query run --file F       run your own Cypher file the same way
  query style              the Neo4j Browser style sheet (GRASS) for collabnet's labels

The queries are in the repository's queries/ folder; queries/README.md
explains the header each file starts with.`,
	}
	cmd.AddCommand(newQueryListCmd(a), newQueryShowCmd(a), newQueryRunCmd(a), newQueryStyleCmd())
	return cmd
}

func newQueryListCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the queries with their parameters and example values",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format := a.v.GetString("format")
			if err := checkFormat(format); err != nil {
				return err
			}
			type paramJSON struct {
				Name        string `json:"name"`
				Example     any    `json:"example"`
				Literal     string `json:"literal"`
				Description string `json:"description,omitempty"`
			}
			type queryJSON struct {
				Name        string      `json:"name"`
				Description string      `json:"description"`
				Params      []paramJSON `json:"params"`
				Returns     string      `json:"returns"`
			}
			t := table{header: []string{"name", "parameters", "description"}}
			recs := []queryJSON{}
			for _, q := range queries.List() {
				r := queryJSON{Name: q.Name, Description: q.Description, Returns: q.Returns, Params: []paramJSON{}}
				var ps []string
				for _, p := range q.Params {
					r.Params = append(r.Params, paramJSON{p.Name, p.Example, p.Literal, p.Description})
					ps = append(ps, p.Name+"="+p.Literal)
				}
				recs = append(recs, r)
				t.rows = append(t.rows, []string{q.Name, strings.Join(ps, " "), q.Description})
			}
			t.json = recs
			return t.write(cmd.OutOrStdout(), format)
		},
	}
	cmd.Flags().StringP("format", "f", "table", "output format: table, json or csv")
	return cmd
}

func newQueryShowCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "show NAME",
		Short: "Print a query ready to paste into Neo4j Browser",
		Long: `Print the query, preceded by one ":param name => value;" line per parameter
(Neo4j Browser 5 syntax), set to its example value or to the --param given.
In Browser, run the :param lines first, then the query: pasted together they
run as one script, which Browser shows as statuses without the result.
Saved to a file, the output also runs with collabnet query run --file.`,
		Example: `  collabnet query show partners
  collabnet query show partners --param org=中关村国际孵化器`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeQueryNames,
		RunE: func(cmd *cobra.Command, args []string) error {
			q, err := libraryQuery(args[0])
			if err != nil {
				return err
			}
			given, _ := cmd.Flags().GetStringArray("param")
			params, err := bindParams(q, "query "+q.Name, given, nil)
			if err != nil {
				return err
			}
			_, err = io.WriteString(cmd.OutOrStdout(), queries.BrowserText(q, params))
			return err
		},
	}
	cmd.Flags().StringArrayP("param", "p", nil, "set a parameter: name=value (repeatable)")
	return cmd
}

func newQueryStyleCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "style",
		Short: "Print the Neo4j Browser style sheet (GRASS) for collabnet's graph",
		Long: `Print collabnet's style sheet for Neo4j Browser: a colour per label, captions
by name, larger nodes for the organisations and countries with the highest
PageRank once analyze --write has run. Save it and drop the file on
Browser's :style frame, or serve it and run :style URL (the test server and
docker compose apply it at connect).`,
		Example: `  collabnet query style > collabnet.grass`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := io.WriteString(cmd.OutOrStdout(), queries.Style())
			return err
		},
	}
}

func newQueryRunCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "run [NAME] [--file F.cypher] [--param name=value ...]",
		Short: "Run a query of the library, or a Cypher file, against Neo4j",
		Long: `Run a query of the library by name, or the Cypher in --file, against the
Neo4j that collabnet load wrote (neo4j.uri, neo4j.user, neo4j.password,
neo4j.database; COLLABNET_NEO4J_URI, ...).

Parameters: --param name=value, repeatable. A parameter left out takes the
example value of the query's header, so every query runs as is. When the
header declares the parameter, the value takes the type of its example: text
for a string (quotes around it are removed), a number, true/false, or a list
written [a, b] or a,b. Otherwise the value is read as a Cypher literal when it
looks like one (a number, true, false, null, a quoted string, a [list] or a
{map}) and is a string else; in lists, unquoted words are strings: [CN, DE].

A --file may start with a header like the library's (its examples are then
defaults) and with ":param name => value;" lines, as collabnet query show
prints them.

Queries run in read sessions. A query that writes is refused unless --write
is given: before running, collabnet asks the server to EXPLAIN the query and
reads the query type of the result summary (r read, rw read-write, w write,
s schema); anything but r needs --write.

Output (--format): table and csv print nodes by their name (else ID),
relationships by their type, paths as "a -[TYPE]-> b <-[TYPE]- c" and lists
joined by ", "; json prints every row as an object, nodes and relationships
with their labels or type and all their properties.`,
		Example: `  collabnet query run partners --param org=中關村工業互聯網產業園
  collabnet query run programme-agreements --format json
  collabnet query run countries-by-partners --param limit=5 --format csv
  collabnet query run --file my-query.cypher --param country=DE`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeQueryNames,
		RunE: func(cmd *cobra.Command, args []string) error {
			format := a.v.GetString("format")
			if err := checkFormat(format); err != nil {
				return err
			}
			f := cmd.Flags()
			file, _ := f.GetString("file")
			// --write and --param are read from the command line only: no
			// configuration file or environment variable turns writing on.
			write, _ := f.GetBool("write")
			given, _ := f.GetStringArray("param")
			var q queries.Query
			var defaults map[string]any
			what := ""
			switch {
			case file != "" && len(args) > 0:
				return errors.New("give a query name or --file, not both")
			case file != "":
				var err error
				if q, defaults, err = readQueryFile(file); err != nil {
					return err
				}
				what = file
			case len(args) == 1:
				var err error
				if q, err = libraryQuery(args[0]); err != nil {
					return err
				}
				what = "query " + q.Name
			default:
				return fmt.Errorf("which query? give a name (%s) or --file", strings.Join(queries.Names(), ", "))
			}
			params, err := bindParams(q, what, given, defaults)
			if err != nil {
				return err
			}
			return a.runQuery(cmd.Context(), cmd.OutOrStdout(), q, what, params, write, format)
		},
	}
	f := cmd.Flags()
	f.StringArrayP("param", "p", nil, "set a parameter: name=value (repeatable)")
	f.String("file", "", "run the Cypher in this file instead of a query of the library")
	f.Bool("write", false, "allow a query that writes (the server's query type is not r)")
	f.StringP("format", "f", "table", "output format: table, json or csv")
	return cmd
}

func completeQueryNames(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return queries.Names(), cobra.ShellCompDirectiveNoFileComp
}

func libraryQuery(name string) (queries.Query, error) {
	q, ok := queries.Get(name)
	if !ok {
		return q, fmt.Errorf("no query %q: the library has %s (collabnet query list)", name, strings.Join(queries.Names(), ", "))
	}
	return q, nil
}

// paramLine is a Browser parameter line as query show prints it.
var paramLine = regexp.MustCompile(`^\s*:params?\s+([A-Za-z_][A-Za-z0-9_]*)\s*(?:=>|:)\s*(.*?)\s*;?\s*$`)

// readQueryFile reads an ad-hoc query. Leading ":param name => value;" lines
// give parameter values; they are blanked, so that line numbers hold.
func readQueryFile(file string) (queries.Query, map[string]any, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return queries.Query{}, nil, err
	}
	lines := strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	defaults := map[string]any{}
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if !strings.HasPrefix(t, ":") {
			break
		}
		m := paramLine.FindStringSubmatch(t)
		if m == nil {
			return queries.Query{}, nil, fmt.Errorf("%s:%d: want `:param name => value;`, got %q", file, i+1, t)
		}
		v, err := queries.ParseLiteral(m[2])
		if err != nil {
			return queries.Query{}, nil, fmt.Errorf("%s:%d: parameter %s: %v", file, i+1, m[1], err)
		}
		defaults[m[1]] = v
		lines[i] = ""
	}
	q, err := queries.ParseAdHoc(file, strings.Join(lines, "\n"))
	return q, defaults, err
}

// bindParams gives every parameter of q its value: the --param given, else
// the value of a :param line of the file, else the header's example.
// what names the query in messages.
func bindParams(q queries.Query, what string, given []string, defaults map[string]any) (map[string]any, error) {
	out := map[string]any{}
	for _, p := range q.Params {
		out[p.Name] = p.Example
	}
	for k, v := range defaults {
		out[k] = v
	}
	var names []string
	for _, p := range q.Params {
		names = append(names, p.Name)
	}
	for _, g := range given {
		k, v, ok := strings.Cut(g, "=")
		k = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(k), "$"))
		if !ok || k == "" {
			return nil, fmt.Errorf("--param %q: want name=value", g)
		}
		p, declared := q.Param(k)
		_, fromFile := defaults[k]
		switch {
		case declared || fromFile || slices.Contains(q.Uses, k):
		case len(q.Params) > 0:
			return nil, fmt.Errorf("%s has no parameter %q (its parameters: %s)", what, k, strings.Join(names, ", "))
		default:
			return nil, fmt.Errorf("%s does not use $%s", what, k)
		}
		val, err := queries.ParseValue(v, p.Example, declared)
		if err != nil {
			return nil, fmt.Errorf("--param %s: %v", k, err)
		}
		out[k] = val
	}
	var missing []string
	for _, u := range q.Uses {
		if _, ok := out[u]; !ok {
			missing = append(missing, u)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s needs a value for $%s: give --param %s=VALUE", what, strings.Join(missing, ", $"), missing[0])
	}
	return out, nil
}

// cypherDriver connects to the configured Neo4j and checks the credentials.
func (a *app) cypherDriver(ctx context.Context) (neo4j.DriverWithContext, string, error) {
	c := a.neo4jConfig()
	if c.URI == "" {
		return nil, "", errors.New("no Neo4j URI configured (neo4j.uri, COLLABNET_NEO4J_URI)")
	}
	timeout := c.ConnectTimeout
	if timeout <= 0 {
		timeout = 15 * time.Second
	}
	drv, err := neo4j.NewDriverWithContext(c.URI, neo4j.BasicAuth(c.User, c.Password, ""), func(cf *config.Config) {
		cf.SocketConnectTimeout = timeout
		cf.ConnectionAcquisitionTimeout = timeout
	})
	if err != nil {
		return nil, "", fmt.Errorf("Neo4j URI %q: %w", c.URI, err)
	}
	vctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := drv.VerifyAuthentication(vctx, nil); err != nil {
		drv.Close(ctx)
		var ne *neo4j.Neo4jError
		if errors.As(err, &ne) && strings.Contains(ne.Code, "Security") {
			return nil, "", fmt.Errorf("Neo4j at %s refused user %q: wrong user or password (%s)", c.URI, c.User, ne.Code)
		}
		return nil, "", fmt.Errorf("Neo4j at %s is unreachable (is it running? scripts/neo4j-test-server start, or docker compose up): %w", c.URI, err)
	}
	a.log.Debug("connected to Neo4j", "uri", c.URI, "user", c.User, "database", c.Database)
	return drv, c.Database, nil
}

// queryType asks the server how q would run, without running it: the query
// type of EXPLAIN's summary (r, rw, w or s).
func queryType(ctx context.Context, drv neo4j.DriverWithContext, db string, q queries.Query, what string, params map[string]any) (neo4j.StatementType, error) {
	sess := drv.NewSession(ctx, neo4j.SessionConfig{DatabaseName: db, AccessMode: neo4j.AccessModeRead})
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, "EXPLAIN "+q.Text, params)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return sum.StatementType(), nil
}

func (a *app) runQuery(ctx context.Context, w io.Writer, q queries.Query, what string, params map[string]any, write bool, format string) error {
	drv, db, err := a.cypherDriver(ctx)
	if err != nil {
		return err
	}
	defer drv.Close(ctx)
	typ, err := queryType(ctx, drv, db, q, what, params)
	if err != nil {
		return err
	}
	mode := neo4j.AccessModeRead
	if typ != neo4j.StatementTypeReadOnly {
		if !write {
			return fmt.Errorf("%s writes (the server's query type is %q, not \"r\"): collabnet query run runs it only with --write", what, typ)
		}
		mode = neo4j.AccessModeWrite
	}
	a.log.Debug("running query", "query", what, "type", typ.String(), "params", params)
	sess := drv.NewSession(ctx, neo4j.SessionConfig{DatabaseName: db, AccessMode: mode})
	defer sess.Close(ctx)
	// An auto-commit transaction, so that a query with CALL { ... } IN
	// TRANSACTIONS runs too (with --write).
	res, err := sess.Run(ctx, q.Text, params)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	keys, err := res.Keys()
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if sum, err := res.Consume(ctx); err == nil && sum.Counters().ContainsUpdates() {
		c := sum.Counters()
		a.log.Info("query wrote", "nodes_created", c.NodesCreated(), "nodes_deleted", c.NodesDeleted(),
			"relationships_created", c.RelationshipsCreated(), "relationships_deleted", c.RelationshipsDeleted(),
			"properties_set", c.PropertiesSet())
	}
	if len(keys) == 0 && format != "json" {
		return nil // a write without RETURN: nothing to print
	}
	return resultTable(keys, recs, format).write(w, format)
}

// resultTable lays out records: cells as text for table and csv, rows as
// objects (columns in order) for JSON.
func resultTable(keys []string, recs []*neo4j.Record, format string) table {
	t := table{header: keys}
	rows := []orderedRow{}
	for _, r := range recs {
		cells := make([]string, len(r.Values))
		obj := orderedRow{keys: r.Keys, values: make([]any, len(r.Values))}
		for i, v := range r.Values {
			cells[i] = cellText(v, format == "csv", true)
			if format == "table" {
				cells[i] = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(cells[i])
			}
			obj.values[i] = jsonValue(v)
		}
		t.rows = append(t.rows, cells)
		rows = append(rows, obj)
	}
	t.json = rows
	return t
}

// cellText renders a value for table and CSV output.
func cellText(v any, precise, top bool) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		if precise {
			return strconv.FormatFloat(x, 'g', -1, 64)
		}
		return num(x)
	case dbtype.Node:
		return nodeText(x)
	case dbtype.Relationship:
		return x.Type
	case dbtype.Path:
		return pathText(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = cellText(e, precise, false)
		}
		if top {
			return strings.Join(parts, ", ")
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ": " + cellText(x[k], precise, false)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// nodeText names a node: its name, else its ID or country code, else its
// labels and element ID.
func nodeText(n dbtype.Node) string {
	for _, k := range []string{"name", "id", "code"} {
		if s, ok := n.Props[k].(string); ok && s != "" {
			return s
		}
	}
	return "(" + strings.Join(n.Labels, ":") + " " + n.ElementId + ")"
}

// pathText writes a path as "a -[T]-> b <-[U]- c", each arrow in the
// direction of its relationship.
func pathText(p dbtype.Path) string {
	if len(p.Nodes) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(nodeText(p.Nodes[0]))
	for i, r := range p.Relationships {
		if i+1 >= len(p.Nodes) {
			break
		}
		next := p.Nodes[i+1]
		if r.StartElementId == p.Nodes[i].ElementId {
			fmt.Fprintf(&b, " -[%s]-> ", r.Type)
		} else {
			fmt.Fprintf(&b, " <-[%s]- ", r.Type)
		}
		b.WriteString(nodeText(next))
	}
	return b.String()
}

// jsonValue turns a driver value into plain JSON-encodable data: nodes and
// relationships with their labels or type and every property.
func jsonValue(v any) any {
	switch x := v.(type) {
	case dbtype.Node:
		return map[string]any{"element_id": x.ElementId, "labels": x.Labels, "properties": jsonMap(x.Props)}
	case dbtype.Relationship:
		return map[string]any{"element_id": x.ElementId, "type": x.Type, "start": x.StartElementId,
			"end": x.EndElementId, "properties": jsonMap(x.Props)}
	case dbtype.Path:
		nodes := make([]any, len(x.Nodes))
		for i, n := range x.Nodes {
			nodes[i] = jsonValue(n)
		}
		rels := make([]any, len(x.Relationships))
		for i, r := range x.Relationships {
			rels[i] = jsonValue(r)
		}
		return map[string]any{"nodes": nodes, "relationships": rels, "text": pathText(x)}
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(e)
		}
		return out
	case map[string]any:
		return jsonMap(x)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return strconv.FormatFloat(x, 'g', -1, 64)
		}
		return x
	case nil, string, bool, int64:
		return x
	case fmt.Stringer: // dates, times, durations, points
		return x.String()
	}
	return v
}

func jsonMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = jsonValue(v)
	}
	return out
}

// orderedRow is a record as a JSON object whose keys keep the query's column
// order.
type orderedRow struct {
	keys   []string
	values []any
}

func (r orderedRow) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	b.WriteByte('{')
	for i, k := range r.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := enc.Encode(k); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1) // Encode's newline
		b.WriteByte(':')
		if err := enc.Encode(r.values[i]); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
