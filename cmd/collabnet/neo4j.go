package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/loader"
	"github.com/collabnet/collabnet/neo4jstore"
)

// addSourceFlag adds --source to commands that read the graph.
func addSourceFlag(cmd *cobra.Command) {
	cmd.Flags().String("source", "embedded", "where the graph is read from: embedded (the inputs, loaded in memory) or neo4j")
	cmd.Flags().StringSlice("evidence", nil, "use only facts of these evidence grades: stated, reported, inferred (default: all)")
}

func (a *app) openNeo4j(ctx context.Context, c neo4jstore.Config) (*neo4jstore.Store, error) {
	s, err := neo4jstore.Open(ctx, c)
	if err != nil {
		return nil, err
	}
	a.log.Debug("connected to Neo4j", "uri", neo4jstore.RedactURI(c.URI), "user", c.User, "database", c.Database)
	return s, nil
}

// readGraph returns the graph a command works on: from Neo4j with
// --source neo4j, else the inputs themselves (embedded).
// With --evidence, only the facts of those grades are kept.
func (a *app) readGraph(ctx context.Context, o sourceOptions) (ds *graph.Dataset, err error) {
	defer func() {
		if err == nil && len(o.Evidence) > 0 {
			ds = ds.WithEvidence(o.Evidence)
			a.log.Info("evidence filter", "grades", o.Evidence, "agreements", len(ds.Agreements), "relations", len(ds.Relations), "figures", len(ds.Figures))
		}
	}()
	if o.Source != "neo4j" {
		return a.readInputs(ctx, o.Inputs, o.WithShipped, o.Loader)
	}
	s, err := a.openNeo4j(ctx, o.Neo4j)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, s.Close(ctx)) }()
	return s.Read(ctx)
}

func newSchemaCmd(a *app) *cobra.Command {
	schema := &cobra.Command{Use: "schema", Short: "Manage the Neo4j schema"}
	schema.AddCommand(&cobra.Command{
		Use:   "apply",
		Short: "Create the constraints and indexes collabnet uses (idempotent)",
		Long: `Create a uniqueness constraint for every node key, indexes for the lookups
the queries use, and a full-text index over names (CJK analyzer). Running it
again changes nothing; collabnet load applies it first.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runSchemaApply(cmd.Context(), neo4jConfig(a.v))
		},
	})
	schema.AddCommand(&cobra.Command{
		Use:   "json analyze",
		Short: "Print the JSON Schema of analyze --format json",
		Long: `Print the JSON Schema (draft 2020-12) of analyze's JSON output, with a node
field for every measure the analysis package declares. schemas/analyze.schema.json
is a copy (a test keeps it current).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] != "analyze" {
				return fmt.Errorf("schema json %q: only analyze's schema is generated (the others are in schemas/)", args[0])
			}
			b, err := analysis.SchemaJSON()
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(b)
			return err
		},
	})
	return schema
}

func newLoadCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "load [file or directory ...]",
		Short: "Load the inputs into Neo4j",
		Long: `Validate the inputs (by default the shipped dataset), apply the schema and
write the graph into Neo4j.

The graph in Neo4j is always the graph of its recorded sources
(collabnet sources) read together, by the loader's rules: each load adds
its inputs to the sources (files by absolute path, with their SHA-256),
reads every source again, and makes the stored graph equal what they make
together. So loading A then B gives the graph of loading A and B at once,
an organisation named in both is one node with every spelling, and a fact
stated by two sources stays while either does. A source whose file
changed is reloaded only with --replace: then rows removed from it are
removed, and changed fields changed. collabnet load without inputs reads
the recorded sources again (the shipped dataset when none is recorded).

Readers (list, analyze, report, export, query) refuse the graph while a
load runs or after one stopped before it finished; running collabnet load
again finishes it. One load at a time writes to a database: a second one
waits for the first, and says so. --dry-run validates and lists what
would be added, changed and removed, without writing.

--bulk is a first load into an empty database through Neo4j's offline
importer, neo4j-admin database import full: collabnet writes the graph as the
importer's CSV files (in --bulk-dir, or a temporary directory), runs
--stop-server, --neo4j-admin with the import's arguments, --start-server (all
three are shell commands; the files are under $COLLABNET_BULK_DIR), then
applies the schema and records the sources. The graph is the one collabnet
load writes. It is refused when the database holds any node: the import
replaces the whole database.`,
		Example: `  scripts/neo4j-test-server start
  COLLABNET_NEO4J_URI=bolt://127.0.0.1:7687 COLLABNET_NEO4J_PASSWORD=... collabnet load
  collabnet load --with-shipped -i my-agreements.xlsx
  collabnet load --replace -i my-agreements.xlsx     # after editing it
  collabnet load -i ../shared/datasets/h2020/participations.csv.gz --batch-size 5000
  # a first load through neo4j-admin, into the test server (scripts/neo4j-test-server)
  collabnet load --bulk -i ../shared/datasets/h2020/participations.csv.gz \
    --neo4j-admin "$PWD/scripts/neo4j-test-server admin" \
    --stop-server "$PWD/scripts/neo4j-test-server stop" --start-server "$PWD/scripts/neo4j-test-server start"
  # into a packaged Neo4j (run as the user that owns its data)
  collabnet load --bulk -i data.csv --neo4j-admin neo4j-admin --stop-server "neo4j stop" --start-server "neo4j start"`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o := newLoadOptions(a.v)
			o.Inputs = append(o.Inputs, args...)
			if err := o.validate(); err != nil {
				return err
			}
			return a.runLoad(cmd.Context(), o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	addInputFlags(cmd)
	f := cmd.Flags()
	f.Bool("dry-run", false, "validate and list what would be added, changed and removed; write nothing")
	f.Bool("replace", false, "take the current content of inputs that changed since they were loaded (rows removed from them are removed)")
	f.Int("batch-size", 500, "agreements per write transaction")
	f.Lookup("batch-size").Annotations = map[string][]string{"key": {"neo4j.batch_size"}}
	f.Int("writers", 2, "write transactions at a time (1: one after another)")
	f.Lookup("writers").Annotations = map[string][]string{"key": {"neo4j.writers"}}
	f.Bool("bulk", false, "first load into an empty database through neo4j-admin database import (the server is stopped meanwhile)")
	f.String("bulk-dir", "", "with --bulk: where the import files are written and kept (default: a temporary directory, removed after)")
	f.String("neo4j-admin", "neo4j-admin", "with --bulk: shell command that runs the server's neo4j-admin (the import's arguments are appended)")
	f.Lookup("neo4j-admin").Annotations = map[string][]string{"key": {"neo4j.admin_command"}}
	f.String("stop-server", "", "with --bulk: shell command that stops the Neo4j server before the import")
	f.Lookup("stop-server").Annotations = map[string][]string{"key": {"neo4j.stop_command"}}
	f.String("start-server", "", "with --bulk: shell command that starts it again afterwards")
	f.Lookup("start-server").Annotations = map[string][]string{"key": {"neo4j.start_command"}}
	return cmd
}

func newSourcesCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sources",
		Short: "List the sources of the graph in Neo4j",
		Long: `List the inputs the graph in Neo4j was loaded from: name (absolute path, or
shipped:data/<file>), SHA-256 of the file, size, when it was loaded, and the
state of the last load.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format := a.v.GetString("format")
			if err := checkFormat(format); err != nil {
				return err
			}
			return a.runSources(cmd.Context(), neo4jConfig(a.v), format, a.v.GetBool("fingerprint"), cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringP("format", "f", "table", "output format: table, csv or json")
	cmd.Flags().Bool("fingerprint", false, "also print the SHA-256 fingerprint of the stored graph (the same for the same graph, however loaded)")
	rm := &cobra.Command{
		Use:   "remove NAME...",
		Short: "Remove sources from the graph in Neo4j, and the facts only they state",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o := newLoadOptions(a.v)
			o.Inputs, o.WithShipped, o.Remove = nil, false, args
			if err := o.validate(); err != nil {
				return err
			}
			return a.runLoad(cmd.Context(), o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	rm.Flags().Bool("dry-run", false, "list what would be removed and changed; write nothing")
	// The sources that remain are read again, with the options they were
	// loaded with: the defaults, or the flags given here.
	addReadingFlags(rm)
	cmd.AddCommand(rm)
	return cmd
}

// runSources lists the recorded sources.
func (a *app) runSources(ctx context.Context, c neo4jstore.Config, format string, fingerprint bool, stdout io.Writer) (err error) {
	s, err := a.openNeo4j(ctx, c)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, s.Close(ctx)) }()
	st, err := s.State(ctx)
	if err != nil {
		return err
	}
	srcs, err := s.Sources(ctx)
	if err != nil {
		return err
	}
	js := map[string]any{"state": st, "sources": srcs}
	var fp string
	if fingerprint {
		if fp, err = s.Fingerprint(ctx); err != nil {
			return err
		}
		js["fingerprint"] = fp
	}
	t := table{header: []string{"source", "sha256", "bytes", "loaded"}, json: js}
	for _, x := range srcs {
		t.rows = append(t.rows, []string{x.Name, x.SHA256, fmt.Sprint(x.Bytes), x.LoadedAt.UTC().Format(time.RFC3339)})
	}
	if err := t.write(stdout, format, true); err != nil {
		return err
	}
	if format == "table" {
		status := st.Status
		if status == "" {
			status = "no load recorded"
		}
		_, _ = fmt.Fprintf(stdout, "\nlast load: %d, %s", st.Generation, status)
		if !st.Started.IsZero() {
			_, _ = fmt.Fprintf(stdout, ", started %s", st.Started.UTC().Format(time.RFC3339))
		}
		if st.Status == neo4jstore.StatusLoading {
			_, _ = fmt.Fprint(stdout, " (running, or stopped before it finished: run collabnet load to finish it)")
		}
		_, _ = fmt.Fprintln(stdout)
		if fp != "" {
			_, _ = fmt.Fprintf(stdout, "fingerprint: %s\n", fp)
		}
	}
	return nil
}

// runSchemaApply creates the constraints and indexes.
func (a *app) runSchemaApply(ctx context.Context, c neo4jstore.Config) (err error) {
	s, err := a.openNeo4j(ctx, c)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, s.Close(ctx)) }()
	if err := s.ApplySchema(ctx); err != nil {
		return err
	}
	a.log.Info("schema applied")
	return nil
}

// planLoad returns the inputs of a load and their source records: the
// recorded sources (read again, checked against their hashes) with the
// load's own inputs added or, with Remove, taken away.
func (a *app) planLoad(ctx context.Context, s *neo4jstore.Store, o loadOptions) ([]namedInput, []neo4jstore.Source, error) {
	stored, err := s.Sources(ctx)
	if err != nil {
		return nil, nil, err
	}
	var given []namedInput
	if len(o.Inputs) > 0 || o.WithShipped || (len(stored) == 0 && len(o.Remove) == 0) {
		if given, err = inputsOf(o.Inputs, o.WithShipped); err != nil {
			return nil, nil, err
		}
	}
	if len(stored) == 0 && !o.Replace {
		st, err := s.State(ctx)
		if err != nil {
			return nil, nil, err
		}
		if st.Generation == 0 {
			empty, err := s.Empty(ctx)
			if err != nil {
				return nil, nil, err
			}
			if !empty {
				return nil, nil, errors.New("the database holds a graph loaded without source records (by an older collabnet, or by hand): " +
					"load all of its inputs again with --replace, which makes the graph exactly theirs")
			}
		}
	}
	opts := optionsRecord(o.Loader)
	now := time.Now().UTC()
	byName := map[string]neo4jstore.Source{}
	for _, x := range stored {
		byName[x.Name] = x
	}
	for _, r := range o.Remove {
		name := r
		if _, ok := byName[name]; !ok && !strings.HasPrefix(name, shippedPrefix) {
			if abs, err := filepath.Abs(name); err == nil {
				name = abs
			}
		}
		if _, ok := byName[name]; !ok {
			return nil, nil, fmt.Errorf("no recorded source %q (collabnet sources lists them)", r)
		}
		delete(byName, name)
	}
	var ins []namedInput
	var srcs []neo4jstore.Source
	seen := map[string]bool{}
	for _, in := range given {
		if seen[in.Source] {
			continue // named twice
		}
		if !in.isShipped() {
			// The graph names the file as the record does (its absolute
			// path), however it was given, so that reading it again from
			// the record makes the same Source node.
			in.Ref = in.Source
		}
		seen[in.Source] = true
		rec, err := recordSource(in, opts, now)
		if err != nil {
			return nil, nil, err
		}
		if old, ok := byName[in.Source]; ok && !o.Replace && !strings.HasPrefix(in.Source, shippedPrefix) {
			switch {
			case old.SHA256 != rec.SHA256:
				return nil, nil, fmt.Errorf("%s changed since it was loaded at %s: load it with --replace to make the graph match the file (rows removed from it are removed)",
					in.Name, old.LoadedAt.UTC().Format(time.RFC3339))
			case old.Options != opts:
				return nil, nil, fmt.Errorf("%s was loaded with other reading options (%s): give the same options, or load it with --replace", in.Name, old.Options)
			}
		}
		ins, srcs = append(ins, in), append(srcs, rec)
	}
	shipped, err := shippedInputs()
	if err != nil {
		return nil, nil, err
	}
	for _, name := range slices.Sorted(maps.Keys(byName)) {
		if seen[name] {
			continue
		}
		old := byName[name]
		var in namedInput
		if rel, ok := strings.CutPrefix(name, shippedPrefix); ok {
			i := slices.IndexFunc(shipped, func(x namedInput) bool { return x.Name == rel })
			if i < 0 {
				continue // a file this collabnet no longer ships: gone with it
			}
			in = shipped[i]
		} else {
			in = namedInput{loader.FileInput(name), name}
		}
		rec, err := recordSource(in, opts, old.LoadedAt)
		if err != nil {
			return nil, nil, fmt.Errorf("recorded source %s can no longer be read (%w): load it again from where it is now, or remove it: collabnet sources remove %s", name, err, name)
		}
		if !in.isShipped() && rec.SHA256 != old.SHA256 {
			return nil, nil, fmt.Errorf("recorded source %s changed since it was loaded at %s: load it with -i %s --replace to take the new version, or remove it: collabnet sources remove %s",
				name, old.LoadedAt.UTC().Format(time.RFC3339), name, name)
		}
		if old.Options != opts {
			return nil, nil, fmt.Errorf("recorded source %s was loaded with other reading options (%s): give the same options, or load it with -i %s --replace", name, old.Options, name)
		}
		ins, srcs = append(ins, in), append(srcs, rec)
	}
	if srcs == nil {
		srcs = []neo4jstore.Source{}
	}
	return ins, srcs, nil
}

// runLoad validates the inputs and makes the graph in Neo4j the graph of
// its sources; with DryRun it lists what would change.
func (a *app) runLoad(ctx context.Context, o loadOptions, stdout, stderr io.Writer) (err error) {
	if _, err := expandInputs(o.Inputs); err != nil {
		return err // before connecting
	}
	if o.Bulk {
		return a.runBulkLoad(ctx, o, stderr)
	}
	s, err := a.openNeo4j(ctx, o.Neo4j)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, s.Close(ctx)) }()
	var (
		srcs  []neo4jstore.Source
		ds    *graph.Dataset
		st    graph.MergeStats
		start time.Time
	)
	// Planned on the recorded sources of one load generation: when another
	// load finishes before this one holds the lock, the sources are read
	// again (else this load would record its own over the other's, and
	// remove what that one added).
	for attempt := 1; ; attempt++ {
		state, err := s.State(ctx)
		if err != nil {
			return err
		}
		base := state.Generation
		var ins []namedInput
		if ins, srcs, err = a.planLoad(ctx, s, o); err != nil {
			return err
		}
		if ds, err = a.loadInputs(ctx, ins, o.Loader); err != nil {
			return err
		}
		if afterPlan != nil {
			afterPlan()
		}
		start = time.Now()
		opt := neo4jstore.WriteOptions{DryRun: o.DryRun, Replace: true, Sources: srcs, Waiting: func(holder string) {
			_, _ = fmt.Fprintf(stderr, "waiting for another load to finish: %s\n", holder)
		}}
		if !o.DryRun {
			opt.Base = &base
		}
		if isTerminal(stderr) && !o.Quiet {
			opt.Progress = progressBars(stderr)
		}
		st, err = s.Write(ctx, ds, opt)
		if opt.Progress != nil && err != nil {
			_, _ = fmt.Fprintln(stderr) // after a bar that stopped short
		}
		if errors.Is(err, neo4jstore.ErrPlanStale) && attempt < planAttempts {
			a.log.Warn("another load finished while this one read its inputs: reading the recorded sources again", "attempt", attempt+1)
			continue
		}
		if err != nil {
			return err
		}
		break
	}
	if o.DryRun {
		t := table{header: []string{"kind", "new", "changed", "removed", "unchanged"}, json: st}
		for _, k := range slices.Sorted(maps.Keys(st)) {
			c := st[k]
			t.rows = append(t.rows, []string{k, fmt.Sprint(c.New), fmt.Sprint(c.Updated), fmt.Sprint(c.Removed), fmt.Sprint(c.Unchanged)})
		}
		if err := t.write(stdout, "table", false); err != nil {
			return err
		}
		for _, k := range slices.Sorted(maps.Keys(st)) {
			c := st[k]
			for _, l := range []struct {
				what string
				keys []string
			}{{"add", c.Added}, {"change", c.Changed}, {"remove", c.Gone}} {
				for _, key := range l.keys {
					_, _ = fmt.Fprintf(stdout, "%s %s %s\n", l.what, k, key)
				}
			}
		}
		return nil
	}
	c := ds.Counts()
	a.log.Info("loaded into Neo4j", "sources", len(srcs), "organizations", c.Organizations, "agreements", c.Agreements,
		"took", time.Since(start).Round(time.Millisecond))
	return nil
}

// planAttempts is how many times a load plans itself on the recorded
// sources when other loads keep finishing first.
const planAttempts = 5

// afterPlan, when set (by tests), runs between a load's planning and its
// write: where another load may finish.
var afterPlan func()

// runBulkLoad is load --bulk: the empty database is checked first, the
// inputs read, then neo4jstore.BulkLoad imports them.
func (a *app) runBulkLoad(ctx context.Context, o loadOptions, stderr io.Writer) error {
	s, err := a.openNeo4j(ctx, o.Neo4j)
	if err != nil {
		return err
	}
	_, err = s.BulkTarget(ctx)
	var ins []namedInput
	var srcs []neo4jstore.Source
	if err == nil {
		ins, srcs, err = a.planLoad(ctx, s, o)
	}
	if err = errors.Join(err, s.Close(ctx)); err != nil {
		return err
	}
	ds, err := a.loadInputs(ctx, ins, o.Loader)
	if err != nil {
		return err
	}
	bo := o.BulkLoad
	bo.Sources = srcs
	if !o.Quiet {
		bo.Output = stderr
	}
	rep, err := neo4jstore.BulkLoad(ctx, o.Neo4j, ds, bo)
	if err != nil {
		return err
	}
	a.log.Info("loaded into Neo4j by neo4j-admin database import", "sources", len(srcs), "nodes", rep.Nodes, "relationships", rep.Relationships,
		"files", rep.Files, "write", rep.Write.Round(time.Millisecond), "stop", rep.Stop.Round(time.Millisecond),
		"import", rep.Import.Round(time.Millisecond), "start", rep.Start.Round(time.Millisecond), "schema", rep.Finish.Round(time.Millisecond))
	return nil
}
