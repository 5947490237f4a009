package neo4jstore

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/collabnet/collabnet/graph"
)

// A bulk load is a first load through Neo4j's offline importer,
// `neo4j-admin database import full` (https://neo4j.com/docs/operations-manual/5/tools/neo4j-admin/neo4j-admin-import/):
// collabnet writes the graph as the importer's CSV files, the server is
// stopped (Community edition imports only into a stopped DBMS), the
// importer builds the store, the server starts again, and collabnet applies
// the schema and marks the load complete, as Write does. The importer
// replaces the whole database, so a bulk load is refused unless the
// database holds no node at all.

// BulkOptions are the options of one BulkLoad.
type BulkOptions struct {
	// Dir is where the import files are written; "" makes a temporary
	// directory, removed afterwards.
	Dir string
	// Admin is a shell command (sh -c) that runs neo4j-admin for the
	// server's installation; the importer's arguments are appended. ""
	// means "neo4j-admin".
	Admin string
	// Stop and Start are shell commands run before and after the import:
	// the database must be stopped while it is imported. Start runs
	// whenever Stop ran, even if the import failed. "" runs nothing.
	Stop, Start string
	// Sources, when not nil, become the recorded sources (Store.Sources).
	Sources []Source
	// Output receives the commands' standard output and error; nil
	// discards them.
	Output io.Writer
	// StartTimeout bounds the wait for the server after Start; 0 means 10
	// minutes.
	StartTimeout time.Duration
}

// BulkReport says what a bulk load did and how long each step took.
type BulkReport struct {
	Nodes, Relationships int
	Files                int // import files written
	// The steps' wall times: writing the files, stopping the server, the
	// import, starting the server and waiting for it, the schema and the
	// load state.
	Write, Stop, Import, Start, Finish time.Duration
}

// ErrNotEmpty is the error of a bulk load into a database that holds nodes.
var ErrNotEmpty = errors.New("load --bulk writes only into an empty database")

// BulkLoad makes ds the graph of an empty database through
// `neo4j-admin database import full`, and leaves what Write leaves: the
// same nodes, relationships and properties (Fingerprint is equal), the
// schema, the recorded sources, and the load state complete (generation
// 1). The database must hold no node (else ErrNotEmpty, before anything is
// stopped or written). The server named by c is reached again after
// o.Start.
//
// The graph goes in with its load state "loading", so that readers refuse
// it until the schema is applied and the state set complete; a bulk load
// that stops between the import and that step is finished by collabnet
// load, like an interrupted load.
func BulkLoad(ctx context.Context, c Config, ds *graph.Dataset, o BulkOptions) (rep BulkReport, err error) {
	if o.Admin == "" {
		o.Admin = "neo4j-admin"
	}
	if o.Output == nil {
		o.Output = io.Discard
	}
	if o.StartTimeout <= 0 {
		o.StartTimeout = 10 * time.Minute
	}
	s, err := Open(ctx, c)
	if err != nil {
		return rep, err
	}
	db, err := s.BulkTarget(ctx)
	if cerr := s.Close(ctx); err == nil {
		err = cerr
	}
	if err != nil {
		return rep, err
	}

	t := time.Now()
	dir := o.Dir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "collabnet-bulk-"); err != nil {
			return rep, fmt.Errorf("making a directory for the import files: %w", err)
		}
		defer func() { err = errors.Join(err, os.RemoveAll(dir)) }()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return rep, fmt.Errorf("making the import directory: %w", err)
	}
	if dir, err = filepath.Abs(dir); err != nil {
		return rep, err
	}
	// Readable by the server's user too (a container's neo4j user).
	if err := os.Chmod(dir, 0o755); err != nil {
		return rep, fmt.Errorf("import directory %s: %w", dir, err)
	}
	host, _ := os.Hostname()
	files, err := WriteImportFiles(ds, dir, fmt.Sprintf("collabnet load --bulk, host %s, pid %d", host, os.Getpid()))
	if err != nil {
		return rep, err
	}
	rep.Nodes, rep.Relationships, rep.Files, rep.Write = files.Nodes, files.Relationships, len(files.Args), time.Since(t)

	env := append(os.Environ(), "COLLABNET_BULK_DIR="+dir)
	if o.Stop != "" {
		t = time.Now()
		if err := runShell(ctx, o.Stop, nil, env, o.Output); err != nil {
			return rep, fmt.Errorf("stopping the server (%s): %w", o.Stop, err)
		}
		rep.Stop = time.Since(t)
	}
	t = time.Now()
	args := append([]string{"database", "import", "full", db, "--overwrite-destination",
		"--report-file=" + filepath.Join(dir, "import.report")}, files.Args...)
	ierr := runShell(ctx, o.Admin, args, env, o.Output)
	if ierr != nil {
		ierr = fmt.Errorf("importing with %s database import full %s (files in %s): %w", o.Admin, db, dir, ierr)
		if o.Dir == "" {
			ierr = fmt.Errorf("%w (rerun with --bulk-dir to keep the files)", ierr)
		}
	}
	rep.Import = time.Since(t)
	if o.Start != "" {
		t = time.Now()
		// The server is started again even after a failed import: it was
		// running before.
		if err := runShell(context.WithoutCancel(ctx), o.Start, nil, env, o.Output); err != nil {
			return rep, errors.Join(ierr, fmt.Errorf("starting the server (%s): %w", o.Start, err))
		}
	}
	if ierr != nil {
		return rep, ierr
	}
	s, err = openWhenOnline(ctx, c, o.StartTimeout)
	if err != nil {
		return rep, err
	}
	defer func() { err = errors.Join(err, s.Close(ctx)) }()
	rep.Start = time.Since(t)
	t = time.Now()
	if err := s.ApplySchema(ctx); err != nil {
		return rep, err
	}
	if err := s.finishBulk(ctx, o.Sources); err != nil {
		return rep, err
	}
	rep.Finish = time.Since(t)
	return rep, nil
}

// BulkTarget returns the name of the database a bulk load replaces, or an
// error wrapping ErrNotEmpty when it holds any node (ours or not: the
// import replaces everything).
func (s *Store) BulkTarget(ctx context.Context) (string, error) {
	sess := s.session(ctx, neo4j.AccessModeRead)
	defer func() { _ = sess.Close(context.WithoutCancel(ctx)) }() // closing what was only read: nothing to lose
	rec, err := neo4j.ExecuteRead(ctx, sess, func(tx neo4j.ManagedTransaction) (*neo4j.Record, error) {
		res, err := tx.Run(ctx, "CALL db.info() YIELD name CALL { MATCH (n) RETURN count(n) AS nodes } RETURN name, nodes", nil)
		if err != nil {
			return nil, err
		}
		return res.Single(ctx)
	})
	if err != nil {
		return "", fmt.Errorf("checking the database is empty: %w", err)
	}
	name, _ := rec.Values[0].(string)
	nodes, _ := rec.Values[1].(int64)
	if nodes > 0 {
		return "", fmt.Errorf("%w: database %q holds %d nodes (the import would replace them all); "+
			"load into it with collabnet load, or empty it first", ErrNotEmpty, name, nodes)
	}
	return name, nil
}

// openWhenOnline connects to the server and waits until the database
// answers a query, for at most timeout.
func openWhenOnline(ctx context.Context, c Config, timeout time.Duration) (*Store, error) {
	deadline := time.Now().Add(timeout)
	if c.ConnectTimeout <= 0 || c.ConnectTimeout > timeout {
		c.ConnectTimeout = min(15*time.Second, timeout)
	}
	for {
		s, err := Open(ctx, c)
		if err == nil {
			sess := s.session(ctx, neo4j.AccessModeRead)
			_, err = neo4j.ExecuteRead(ctx, sess, func(tx neo4j.ManagedTransaction) (any, error) {
				res, err := tx.Run(ctx, "RETURN 1", nil)
				if err != nil {
					return nil, err
				}
				return res.Consume(ctx)
			})
			err = errors.Join(err, sess.Close(ctx))
			if err == nil {
				return s, nil
			}
			_ = s.Close(ctx) // a failed probe: the next attempt opens anew
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("the server did not come back within %s after the import: %w", timeout, err)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// runShell runs command with sh -c, args appended as "$@".
func runShell(ctx context.Context, command string, args, env []string, out io.Writer) error {
	cmd := exec.CommandContext(ctx, "/bin/sh", append([]string{"-c", command + ` "$@"`, "collabnet"}, args...)...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = out, out
	return cmd.Run()
}

// bulkGeneration is the load generation of a bulk load: the first.
const bulkGeneration = 1

var finishBulkQuery = fmt.Sprintf(`MATCH (s:%s {id: 'state'}) WHERE s.generation = $gen AND s.status = '%s'
SET s.status = '%s', s.finished = datetime()
RETURN count(s) AS n`, graph.LabelLoadState, StatusLoading, StatusComplete)

// finishBulk records the sources and marks the imported load complete.
func (s *Store) finishBulk(ctx context.Context, sources []Source) error {
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer func() { _ = sess.Close(context.WithoutCancel(ctx)) }() // the session's transactions have committed or failed before Close
	n, err := neo4j.ExecuteWrite(ctx, sess, func(tx neo4j.ManagedTransaction) (int64, error) {
		if sources != nil {
			if _, err := tx.Run(ctx, recordSourcesQuery, sourceParams(sources, bulkGeneration)); err != nil {
				return 0, err
			}
		}
		res, err := tx.Run(ctx, finishBulkQuery, map[string]any{"gen": int64(bulkGeneration)})
		if err != nil {
			return 0, err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return 0, err
		}
		n, _ := rec.Values[0].(int64)
		return n, nil
	})
	if err == nil && n != 1 {
		err = errors.New("the imported load state is gone (another load ran since the import?)")
	}
	if err != nil {
		return fmt.Errorf("finishing the bulk load: %w", err)
	}
	return nil
}

// ImportFiles are the files WriteImportFiles wrote, as the importer's
// arguments.
type ImportFiles struct {
	Args                 []string // --nodes=FILE, --relationships=FILE and the format options
	Nodes, Relationships int
}

// WriteImportFiles writes ds into dir as the CSV files of
// `neo4j-admin database import full` (header format:
// https://neo4j.com/docs/operations-manual/5/tools/neo4j-admin/neo4j-admin-import/#import-tool-header-format),
// with what Write stores: every node of the view with its labels and
// properties, the search names of organisations and the Browser captions,
// every relationship of the
// view (the PARTNER_OF ties included), each with load generation 1, and the
// load state node, "loading". Nodes go into one file per label set and
// property signature (names and types), relationships per type, end labels
// and signature, so that every file has a header of its own and no empty
// field. Each label has its own ID space, keyed as Write's MERGE keys it.
//
// As Write's MATCH does, it leaves out a relationship whose end is not in
// ds, and keeps one relationship of a type between two nodes, with the
// properties of the last (Write MERGEs them). A party whose organisation is
// not in ds is an error: the ties would not be Write's.
func WriteImportFiles(ds *graph.Dataset, dir, holder string) (ImportFiles, error) {
	w := &importWriter{dir: dir, groups: map[string]*importGroup{}}
	v := graph.NewView(ds)
	refs := map[graph.NodeRef]bool{}
	arrays := map[rune]bool{}
	var multiline bool
	scan := func(ps []graph.Prop) {
		for _, p := range ps {
			switch x := p.Value.(type) {
			case string:
				multiline = multiline || strings.ContainsAny(x, "\r\n")
			case []string:
				for _, e := range x {
					multiline = multiline || strings.ContainsAny(e, "\r\n")
					for _, r := range e {
						arrays[r] = true
					}
				}
			}
		}
	}
	gen := graph.Prop{Key: graph.GenerationProp, Value: int64(bulkGeneration)}
	var nodes []graph.PropNode
	v.Nodes(func(n graph.PropNode) bool {
		key := str(n.Props, graph.KeyProp(n.Labels[0]))
		refs[graph.NodeRef{Label: n.Labels[0], Key: key}] = true
		n.Props = append(slices.Clip(n.Props), gen)
		// The Browser captions, as Write sets them (setBrowserCaptions).
		for k, b := range map[string]string{"caption": BrowserCaptionProp, "caption_en": BrowserCaptionENProp} {
			if c, ok := graph.Get(n.Props, k).(string); ok {
				n.Props = append(n.Props, graph.Prop{Key: b, Value: graph.BrowserCaption(c)})
			}
		}
		if n.Labels[0] == graph.LabelOrganization {
			if x := searchNames(ds.Organizations[key]); x != "" {
				n.Props = append(n.Props, graph.Prop{Key: SearchNamesProp, Value: x})
			}
		}
		scan(n.Props)
		nodes = append(nodes, n)
		return true
	})
	// The stated relationships Write keeps: those between nodes of ds, and
	// of each type between two nodes the last.
	type edgeKey struct {
		typ      string
		from, to graph.NodeRef
	}
	last := map[edgeKey]int{}
	var edges []graph.PropEdge
	var missing error
	v.EdgesExceptPartners(func(e graph.PropEdge) bool {
		if !refs[e.FromNode] || !refs[e.ToNode] {
			if e.Type == graph.RelPartyTo && missing == nil {
				missing = fmt.Errorf("writing the import files: %s is party to agreement %s but not in the dataset", e.FromNode.Key, e.ToNode.Key)
			}
			return true
		}
		scan(e.Props)
		last[edgeKey{e.Type, e.FromNode, e.ToNode}] = len(edges)
		edges = append(edges, e)
		return true
	})
	if missing != nil {
		return ImportFiles{}, missing
	}
	// The array delimiter is a character no array element holds.
	w.delim = -1
	for _, d := range []rune{';', '|', '\x1f', '\x1e', '\x1d'} {
		if !arrays[d] {
			w.delim = d
			break
		}
	}
	if w.delim < 0 {
		return ImportFiles{}, errors.New("writing the import files: every array delimiter candidate occurs in the data")
	}
	for _, n := range nodes {
		w.node(n.Labels, graph.KeyProp(n.Labels[0]), n.Props)
	}
	w.node([]string{graph.LabelLoadState}, "id", []graph.Prop{{Key: "id", Value: "state"}, {Key: "status", Value: StatusLoading},
		{Key: "generation", Value: int64(bulkGeneration)}, {Key: "holder", Value: holder},
		{Key: "started", Value: bulkTime(time.Now())}})
	for i, e := range edges {
		if last[edgeKey{e.Type, e.FromNode, e.ToNode}] == i {
			w.edge(e.Type, e.FromNode, e.ToNode, append(slices.Clip(e.Props), gen))
		}
	}
	// The ties, as the view yields them (Partnerships), without the view's
	// element IDs: they are most of the relationships.
	for _, p := range ds.Partnerships() {
		w.edge(graph.RelPartnerOf, graph.NodeRef{Label: graph.LabelOrganization, Key: p.A}, graph.NodeRef{Label: graph.LabelOrganization, Key: p.B},
			[]graph.Prop{{Key: "agreements", Value: int64(p.Agreements)}, gen})
		if w.err != nil {
			break
		}
	}
	files, err := w.close()
	if err != nil {
		return ImportFiles{}, fmt.Errorf("writing the import files in %s: %w", dir, err)
	}
	args := append(files, "--array-delimiter="+string(w.delim), "--multiline-fields="+strconv.FormatBool(multiline),
		"--id-type=string", "--skip-duplicate-nodes=false", "--skip-bad-relationships=false")
	return ImportFiles{Args: args, Nodes: w.nodes, Relationships: w.rels}, nil
}

// bulkTime is a datetime property value (written with type datetime).
type bulkTime time.Time

// importWriter writes the import files.
type importWriter struct {
	dir    string
	delim  rune
	groups map[string]*importGroup // by element kind, labels or type, and signature
	order  []*importGroup
	key    []byte // the group key being looked up
	nodes  int
	rels   int
	err    error
}

// importGroup is one import file: its header and its rows.
type importGroup struct {
	arg  string // --nodes= or --relationships=
	path string
	f    *os.File
	w    *bufio.Writer
}

// importType is the importer's name of a property value's type.
func importType(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case int64:
		return "long"
	case float64:
		return "double"
	case bool:
		return "boolean"
	case []string:
		return "string[]"
	case bulkTime:
		return "datetime"
	}
	return ""
}

// sorted returns ps without absent values, sorted by key (a file's
// columns), and sets w.key to the group key of elements with these
// properties: the prefix parts, then each key with its type. ps may be
// reordered.
func (w *importWriter) sorted(ps []graph.Prop, prefix ...string) []graph.Prop {
	ps = slices.DeleteFunc(ps, func(p graph.Prop) bool { return p.Value == nil })
	slices.SortFunc(ps, func(a, b graph.Prop) int { return strings.Compare(a.Key, b.Key) })
	w.key = w.key[:0]
	for _, x := range prefix {
		w.key = append(w.key, x...)
		w.key = append(w.key, 0)
	}
	for _, p := range ps {
		w.key = append(w.key, 0)
		w.key = append(w.key, p.Key...)
		w.key = append(w.key, ':')
		w.key = append(w.key, importType(p.Value)...)
	}
	return ps
}

// group returns the file of a group key, made with header (of the
// element's own columns, then the properties') when new.
func (w *importWriter) group(kind string, key []byte, own []string, ps []graph.Prop, idProp, idSpace string) *importGroup {
	if g := w.groups[string(key)]; g != nil {
		return g
	}
	if w.err != nil {
		return nil
	}
	header := slices.Clone(own)
	for _, p := range ps {
		t := importType(p.Value)
		if t == "" {
			w.err = fmt.Errorf("property %s: no import type for %T", p.Key, p.Value)
			return nil
		}
		h := p.Key + ":" + t
		if p.Key == idProp {
			h = p.Key + ":ID(" + idSpace + ")"
		}
		header = append(header, h)
	}
	g := &importGroup{arg: "--" + kind + "=", path: filepath.Join(w.dir, fmt.Sprintf("%s-%03d.csv", kind, len(w.order)+1))}
	g.f, w.err = os.Create(g.path)
	if w.err != nil {
		return nil
	}
	g.w = bufio.NewWriterSize(g.f, 1<<16)
	w.groups[string(key)] = g
	w.order = append(w.order, g)
	for i, h := range header {
		if i > 0 {
			_ = g.w.WriteByte(',') // bufio errors surface at Flush
		}
		w.quote(g.w, h)
	}
	_ = g.w.WriteByte('\n')
	return g
}

// node writes a node: the key property is its ID in the label's ID space.
func (w *importWriter) node(labels []string, keyProp string, ps []graph.Prop) {
	ps = w.sorted(slices.Clone(ps), append([]string{"N"}, labels...)...)
	g := w.group("nodes", w.key, []string{":LABEL"}, ps, keyProp, labels[0])
	if g == nil {
		return
	}
	w.quote(g.w, strings.Join(labels, string(w.delim)))
	w.values(g.w, ps)
	w.nodes++
}

// edge writes a relationship between the ID spaces of its ends' labels.
// ps may be reordered.
func (w *importWriter) edge(typ string, from, to graph.NodeRef, ps []graph.Prop) {
	ps = w.sorted(ps, "R", typ, from.Label, to.Label)
	g := w.group("relationships", w.key, []string{":START_ID(" + from.Label + ")", ":END_ID(" + to.Label + ")", ":TYPE"}, ps, "", "")
	if g == nil {
		return
	}
	w.quote(g.w, from.Key)
	_ = g.w.WriteByte(',')
	w.quote(g.w, to.Key)
	_ = g.w.WriteByte(',')
	_, _ = g.w.WriteString(typ)
	w.values(g.w, ps)
	w.rels++
}

// values writes ",v1,v2,...\n".
func (w *importWriter) values(b *bufio.Writer, ps []graph.Prop) {
	for _, p := range ps {
		_ = b.WriteByte(',')
		switch x := p.Value.(type) {
		case string:
			w.quote(b, x)
		case int64:
			_, _ = b.WriteString(strconv.FormatInt(x, 10))
		case float64:
			// The shortest text that reads back as the same float64
			// (Java's Double.parseDouble reads Go's 'g' form).
			_, _ = b.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
		case bool:
			_, _ = b.WriteString(strconv.FormatBool(x))
		case []string:
			w.quote(b, strings.Join(x, string(w.delim)))
		case bulkTime:
			_, _ = b.WriteString(time.Time(x).UTC().Format(time.RFC3339Nano))
		}
	}
	_ = b.WriteByte('\n')
}

// quote writes s as a quoted CSV field ("" for a quote: the importer's
// default; a backslash is an ordinary character).
func (w *importWriter) quote(b *bufio.Writer, s string) {
	_ = b.WriteByte('"')
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		_, _ = b.WriteString(s[:i+1])
		_ = b.WriteByte('"')
		s = s[i+1:]
	}
	_, _ = b.WriteString(s)
	_ = b.WriteByte('"')
}

// close flushes and closes every file and returns the importer's file
// arguments.
func (w *importWriter) close() ([]string, error) {
	err := w.err
	var args []string
	for _, g := range w.order {
		err = errors.Join(err, g.w.Flush(), g.f.Close())
		args = append(args, g.arg+g.path)
	}
	return args, err
}
