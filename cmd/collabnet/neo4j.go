package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/graph"
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
	a.log.Debug("connected to Neo4j", "uri", c.URI, "user", c.User, "database", c.Database)
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
		return a.readInputs(ctx, o.Inputs, o.Loader)
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
		Use:   "load",
		Short: "Load the inputs into Neo4j",
		Long: `Validate the inputs (by default the shipped dataset), apply the schema and
write the graph into Neo4j in batched transactions. Loading the same data
twice changes nothing; a load that stops midway leaves no half-written
agreement, and running it again completes it. One load at a time writes to
a database: a second one waits for the first, and says so. --dry-run
validates and says what would change (new, updated, unchanged) without
writing.`,
		Example: `  scripts/neo4j-test-server start
  COLLABNET_NEO4J_URI=bolt://127.0.0.1:7687 COLLABNET_NEO4J_PASSWORD=... collabnet load
  collabnet load -i ../shared/datasets/h2020/participations.csv.gz --batch-size 5000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runLoad(cmd.Context(), newLoadOptions(a.v), cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	addInputFlags(cmd)
	f := cmd.Flags()
	f.Bool("dry-run", false, "validate and report what would change, write nothing")
	f.Int("batch-size", 500, "agreements per write transaction")
	f.Lookup("batch-size").Annotations = map[string][]string{"key": {"neo4j.batch_size"}}
	f.Int("writers", 2, "write transactions at a time (1: one after another)")
	f.Lookup("writers").Annotations = map[string][]string{"key": {"neo4j.writers"}}
	return cmd
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

// runLoad validates the inputs and writes them into Neo4j; with DryRun it
// prints what would change.
func (a *app) runLoad(ctx context.Context, o loadOptions, stdout, stderr io.Writer) (err error) {
	ds, err := a.readInputs(ctx, o.Inputs, o.Loader)
	if err != nil {
		return err
	}
	s, err := a.openNeo4j(ctx, o.Neo4j)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, s.Close(ctx)) }()
	start := time.Now()
	opt := neo4jstore.WriteOptions{DryRun: o.DryRun, Waiting: func(holder string) {
		fmt.Fprintf(stderr, "waiting for another load to finish: %s\n", holder)
	}}
	if isTerminal(stderr) && !o.Quiet {
		opt.Progress = progressBars(stderr)
	}
	st, err := s.Write(ctx, ds, opt)
	if opt.Progress != nil && err != nil {
		fmt.Fprintln(stderr) // after a bar that stopped short
	}
	if err != nil {
		return err
	}
	if o.DryRun {
		t := table{header: []string{"kind", "new", "updated", "unchanged"}, json: st}
		for _, k := range slices.Sorted(maps.Keys(st)) {
			c := st[k]
			t.rows = append(t.rows, []string{k, fmt.Sprint(c.New), fmt.Sprint(c.Updated), fmt.Sprint(c.Unchanged)})
		}
		return t.write(stdout, "table")
	}
	c := ds.Counts()
	a.log.Info("loaded into Neo4j", "organizations", c.Organizations, "agreements", c.Agreements,
		"took", time.Since(start).Round(time.Millisecond))
	return nil
}
