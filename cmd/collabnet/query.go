package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/collabnet/collabnet/neo4jstore"
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
			return runQueryList(format, cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringP("format", "f", "table", "output format: table, json or csv")
	return cmd
}

// runQueryList prints the library's queries with their parameters.
func runQueryList(format string, w io.Writer) error {
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
	return t.write(w, format, true)
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
			return runQueryShow(q, params, cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringArrayP("param", "p", nil, "set a parameter: name=value (repeatable)")
	return cmd
}

// runQueryShow prints q for Neo4j Browser: a :param line per parameter,
// then the query (queries.BrowserText).
func runQueryShow(q queries.Query, params map[string]any, w io.Writer) error {
	_, err := io.WriteString(w, queries.BrowserText(q, params))
	return err
}

// runQueryStyle prints the Browser style sheet.
func runQueryStyle(w io.Writer, lang string) error {
	if lang != "en" && lang != "zh" {
		return fmt.Errorf("--lang %q: want zh or en", lang)
	}
	_, err := io.WriteString(w, queries.Style(lang))
	return err
}

func newQueryStyleCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "style",
		Short: "Print the Neo4j Browser style sheet (GRASS) for collabnet's graph",
		Long: `Print collabnet's style sheet for Neo4j Browser: a colour per label, captions
by display name (--lang zh: the names as the data give them, Chinese for
Chinese parties, as queries/collabnet.grass; en: English names first;
organisations without a name by their ID, agreements by type and date), larger nodes for the organisations and countries with the highest
PageRank once analyze --write has run. Save it and drop the file on
Browser's :style frame, or serve it and run :style URL (the test server and
docker compose apply it at connect).`,
		Example: `  collabnet query style > collabnet.grass
  collabnet query style --lang en > collabnet-en.grass`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			lang, _ := cmd.Flags().GetString("lang")
			return runQueryStyle(cmd.OutOrStdout(), lang)
		},
	}
	cmd.Flags().String("lang", "zh", "caption language: zh (names as the data give them) or en (English names first)")
	return cmd
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

A query runs for at most --timeout (default 10m; neo4j.query_timeout in the
configuration), passed to the server as the transaction's timeout: the
server stops a query that runs longer, and collabnet says so.

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
			// --write, --param and --file are read from the command line
			// only: no configuration file or environment variable turns
			// writing on.
			f := cmd.Flags()
			file, _ := f.GetString("file")
			write, _ := f.GetBool("write")
			given, _ := f.GetStringArray("param")
			if rollUp, _ := f.GetBool("roll-up"); rollUp {
				// The partners of a group: its units counted as one.
				if len(args) != 1 || args[0] != "partners" {
					return errors.New("--roll-up is for the partners query: collabnet query run partners --roll-up -p org=NAME")
				}
				args = []string{"partners-rolled-up"}
			}
			o, err := newQueryRunOptions(a.v, args, file, given, write)
			if err != nil {
				return err
			}
			return a.runQuery(cmd.Context(), o, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringArrayP("param", "p", nil, "set a parameter: name=value (repeatable)")
	f.String("file", "", "run the Cypher in this file instead of a query of the library")
	f.Bool("write", false, "allow a query that writes (the server's query type is not r)")
	f.Bool("roll-up", false, "partners: count the organisation's units (PART_OF) as one group and each partner as its topmost parent (the partners-rolled-up query)")
	f.StringP("format", "f", "table", "output format: table, json or csv")
	f.Duration("timeout", defaultQueryTimeout, "longest the query may run: the server ends its transaction then (0: the server's own limit)")
	f.Lookup("timeout").Annotations = map[string][]string{"key": {"neo4j.query_timeout"}}
	return cmd
}

// defaultQueryTimeout bounds a query run: long enough for any query of the
// library on H2020, short enough that a runaway one does not hold the
// server for good.
const defaultQueryTimeout = 10 * time.Minute

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

// queryRunOptions are query run's.
type queryRunOptions struct {
	Query  queries.Query
	What   string // names the query in messages: "query NAME" or the file
	Params map[string]any
	Write  bool // allow a query that writes
	Format string
	Neo4j  neo4jstore.Config
}

// newQueryRunOptions reads query run's options: the query of the library
// named in args, or the file; its parameters (given, then the file's
// :param lines, then the header's examples).
func newQueryRunOptions(s settings, args []string, file string, given []string, write bool) (queryRunOptions, error) {
	o := queryRunOptions{Format: s.GetString("format"), Write: write, Neo4j: neo4jConfig(s)}
	if err := checkFormat(o.Format); err != nil {
		return o, err
	}
	if o.Neo4j.QueryTimeout < 0 {
		return o, fmt.Errorf("--timeout %s: want a duration such as 30s or 5m, or 0 for the server's own limit", o.Neo4j.QueryTimeout)
	}
	var defaults map[string]any
	var err error
	switch {
	case file != "" && len(args) > 0:
		return o, errors.New("give a query name or --file, not both")
	case file != "":
		if o.Query, defaults, err = readQueryFile(file); err != nil {
			return o, err
		}
		o.What = file
	case len(args) == 1:
		if o.Query, err = libraryQuery(args[0]); err != nil {
			return o, err
		}
		o.What = "query " + o.Query.Name
	default:
		return o, fmt.Errorf("which query? give a name (%s) or --file", strings.Join(queries.Names(), ", "))
	}
	o.Params, err = bindParams(o.Query, o.What, given, defaults)
	return o, err
}

// runQuery runs the query against Neo4j and prints its result.
func (a *app) runQuery(ctx context.Context, o queryRunOptions, w io.Writer) (err error) {
	s, err := a.openNeo4j(ctx, o.Neo4j)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, s.Close(ctx)) }()
	q, what, params, format := o.Query, o.What, o.Params, o.Format
	a.log.Debug("running query", "query", what, "params", params)
	res, err := s.Query(ctx, q.Text, params, o.Write)
	switch {
	case errors.Is(err, neo4jstore.ErrWrites):
		return fmt.Errorf("%s: %w: collabnet query run runs it only with --write", what, err)
	case err != nil:
		return fmt.Errorf("%s: %w", what, err)
	}
	if u := res.Updates; u != nil {
		a.log.Info("query wrote", "nodes_created", u.NodesCreated, "nodes_deleted", u.NodesDeleted,
			"relationships_created", u.RelationshipsCreated, "relationships_deleted", u.RelationshipsDeleted,
			"properties_set", u.PropertiesSet)
	}
	if len(res.Keys) == 0 && format != "json" {
		return nil // a write without RETURN: nothing to print
	}
	return resultTable(res, format).write(w, format, true)
}

// resultTable lays out a query's result: cells as text for table and csv,
// rows as objects (columns in order) for JSON.
func resultTable(res *neo4jstore.QueryResult, format string) table {
	t := table{header: res.Keys, rows: res.Cells(format == "csv"), json: res.JSONRows()}
	if format == "table" {
		flat := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")
		for _, r := range t.rows {
			for i := range r {
				r[i] = flat.Replace(r[i])
			}
		}
	}
	return t
}
