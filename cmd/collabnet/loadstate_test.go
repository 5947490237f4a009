package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/collabnet/collabnet/internal/curated"
	"github.com/collabnet/collabnet/internal/neo4jtest"
	"github.com/collabnet/collabnet/neo4jstore"
)

// readerCommands are every command that reads the graph from Neo4j.
func readerCommands(dir string) [][]string {
	return [][]string{
		{"list", "organizations", "--source", "neo4j", "--format", "csv"},
		{"list", "agreements", "--source", "neo4j", "--format", "json"},
		{"analyze", "--source", "neo4j", "--format", "json"},
		{"analyze", "--source", "neo4j", "--engine", "gds", "--format", "json", "--measures", "degree,strength,pagerank"},
		{"report", "--source", "neo4j", "--out", filepath.Join(dir, "report")},
		{"export", "--source", "neo4j", "--out", filepath.Join(dir, "graph.graphml")},
		{"query", "run", "partners", "--param", "org=ApexBrasil"},
		{"query", "run", "--file", filepath.Join(dir, "q.cypher")},
	}
}

// A load killed at three points (writing the nodes, the agreements, the
// ties) leaves a graph every reader refuses, with a message naming the
// unfinished load and how to finish it; never a part of the graph. A
// rerun of collabnet load finishes it, and the readers then read what a
// clean load gives.
func TestReadersRefuseUnfinishedLoad(t *testing.T) {
	useTestNeo4j(t)
	srv := neo4jtest.Require(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "q.cypher"), []byte("MATCH (o:Organization) RETURN count(o) AS n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, dir, "load"); err != nil {
		t.Fatal(err)
	}
	complete := map[string]string{}
	for _, args := range readerCommands(dir) {
		out, err := run(t, dir, args...)
		if err != nil {
			t.Fatalf("%v after a complete load: %v", args, err)
		}
		complete[strings.Join(args, " ")] = out
	}
	ds := curated.Load(t)
	ctx := context.Background()
	s, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: srv.URI, User: srv.User, Password: srv.Password, BatchSize: 2, Writers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	for _, phase := range []string{"nodes", "agreements", "partners"} {
		lctx, cancel := context.WithCancel(ctx)
		progress := func(p string, done, total int) {
			if p == phase && done < total {
				cancel()
			}
		}
		_, err := s.Write(lctx, ds, neo4jstore.WriteOptions{Replace: true, Progress: progress})
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("load stopped in %s: err = %v, want context.Canceled", phase, err)
		}
		for _, args := range readerCommands(dir) {
			out, err := run(t, dir, args...)
			var ie *neo4jstore.IncompleteError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), "run `collabnet load` again") {
				t.Errorf("load stopped in %s: %v gave err = %v, want the unfinished-load message\n%.300s", phase, args, err, out)
			}
		}
	}
	if _, err := run(t, dir, "load"); err != nil {
		t.Fatal(err)
	}
	for _, args := range readerCommands(dir) {
		out, err := run(t, dir, args...)
		if err != nil {
			t.Fatalf("%v after the load was finished: %v", args, err)
		}
		if args[0] != "report" && args[0] != "export" && out != complete[strings.Join(args, " ")] {
			t.Errorf("%v after the load was finished differs from a complete load:\n%.300s\n---\n%.300s", args, out, complete[strings.Join(args, " ")])
		}
	}
}
