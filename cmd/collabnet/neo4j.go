package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/neo4jstore"
)

// addSourceFlag adds --source to commands that read the graph.
func addSourceFlag(cmd *cobra.Command) {
	cmd.Flags().String("source", "embedded", "where the graph is read from: embedded (the inputs, loaded in memory) or neo4j")
}

func (a *app) neo4jConfig() neo4jstore.Config {
	v := a.v
	return neo4jstore.Config{
		URI:            v.GetString("neo4j.uri"),
		User:           v.GetString("neo4j.user"),
		Password:       v.GetString("neo4j.password"),
		Database:       v.GetString("neo4j.database"),
		BatchSize:      v.GetInt("neo4j.batch_size"),
		Writers:        v.GetInt("neo4j.writers"),
		ConnectTimeout: v.GetDuration("neo4j.timeout"),
	}
}

func (a *app) openNeo4j(ctx context.Context) (*neo4jstore.Store, error) {
	c := a.neo4jConfig()
	s, err := neo4jstore.Open(ctx, c)
	if err != nil {
		return nil, err
	}
	a.log.Debug("connected to Neo4j", "uri", c.URI, "user", c.User, "database", c.Database)
	return s, nil
}

// readGraph returns the graph a command works on: from Neo4j with
// --source neo4j, else the inputs themselves (embedded).
func (a *app) readGraph(ctx context.Context) (*graph.Dataset, error) {
	switch src := a.v.GetString("source"); src {
	case "neo4j":
		if len(a.v.GetStringSlice("input")) > 0 {
			return nil, fmt.Errorf("--input and --source neo4j exclude each other: load the inputs with collabnet load first")
		}
		s, err := a.openNeo4j(ctx)
		if err != nil {
			return nil, err
		}
		defer s.Close(ctx)
		return s.Read(ctx)
	case "embedded", "":
		return a.readInputs(ctx)
	default:
		return nil, fmt.Errorf("source %q: want embedded or neo4j", src)
	}
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
			s, err := a.openNeo4j(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close(cmd.Context())
			if err := s.ApplySchema(cmd.Context()); err != nil {
				return err
			}
			a.log.Info("schema applied")
			return nil
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
			ctx := cmd.Context()
			ds, err := a.readInputs(ctx)
			if err != nil {
				return err
			}
			s, err := a.openNeo4j(ctx)
			if err != nil {
				return err
			}
			defer s.Close(ctx)
			start := time.Now()
			dry := a.v.GetBool("dry_run")
			stderr := cmd.ErrOrStderr()
			opt := neo4jstore.WriteOptions{DryRun: dry, Waiting: func(holder string) {
				fmt.Fprintf(stderr, "waiting for another load to finish: %s\n", holder)
			}}
			if isTerminal(stderr) && !a.v.GetBool("quiet") {
				opt.Progress = progressBar(stderr)
			}
			st, err := s.Write(ctx, ds, opt)
			if opt.Progress != nil {
				fmt.Fprintln(stderr) // after a bar that stopped short
			}
			if err != nil {
				return err
			}
			if dry {
				t := table{header: []string{"kind", "new", "updated", "unchanged"}, json: st}
				for _, k := range slices.Sorted(maps.Keys(st)) {
					c := st[k]
					t.rows = append(t.rows, []string{k, fmt.Sprint(c.New), fmt.Sprint(c.Updated), fmt.Sprint(c.Unchanged)})
				}
				return t.write(cmd.OutOrStdout(), "table")
			}
			c := ds.Counts()
			a.log.Info("loaded into Neo4j", "organizations", c.Organizations, "agreements", c.Agreements,
				"took", time.Since(start).Round(time.Millisecond))
			return nil
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

// progressBar draws one line on w per phase.
func progressBar(w io.Writer) func(phase string, done, total int) {
	return func(phase string, done, total int) {
		const width = 30
		n := width * done / max(total, 1)
		fmt.Fprintf(w, "\r%-14s [%s%s] %d/%d", phase, strings.Repeat("#", n), strings.Repeat(" ", width-n), done, total)
		if done == total {
			fmt.Fprintln(w)
		}
	}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
