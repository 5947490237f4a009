package main

import (
	"context"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/collabnet/collabnet/internal/neo4jtest"
)

// useTestNeo4j points the command line at the test server and empties it;
// without a server it skips, or fails under CI=true.
func useTestNeo4j(t *testing.T) neo4j.DriverWithContext {
	t.Helper()
	srv := neo4jtest.Require(t)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("COLLABNET_NEO4J_URI", srv.URI)
	t.Setenv("COLLABNET_NEO4J_USER", srv.User)
	t.Setenv("COLLABNET_NEO4J_PASSWORD", srv.Password)
	drv := srv.Driver(t)
	neo4jtest.Empty(t, drv)
	return drv
}

// collabnet load, then every reading command with --source neo4j gives what
// the embedded store gives.
func TestLoadThenReadFromNeo4j(t *testing.T) {
	useTestNeo4j(t)
	dir := t.TempDir()
	if _, err := run(t, dir, "load"); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"list", "agreements", "--format", "json"},
		{"list", "organizations", "--format", "csv"},
		{"list", "figures", "--format", "json"},
		{"analyze", "--level", "country", "--format", "json"},
	} {
		embedded, err := run(t, dir, args...)
		if err != nil {
			t.Fatal(err)
		}
		fromNeo4j, err := run(t, dir, append(args, "--source", "neo4j")...)
		if err != nil {
			t.Fatal(err)
		}
		if embedded != fromNeo4j {
			t.Errorf("%v: Neo4j and the embedded store differ:\n%.300s\n---\n%.300s", args, fromNeo4j, embedded)
		}
	}
}

// analyze --write sets the scores on the nodes and records the run.
func TestAnalyzeWrite(t *testing.T) {
	drv := useTestNeo4j(t)
	dir := t.TempDir()
	if _, err := run(t, dir, "load"); err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, dir, "analyze", "--source", "neo4j", "--write", "--level", "org"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	res, err := neo4j.ExecuteQuery(ctx, drv, `MATCH (o:Organization) WITH count(o) AS n, count(o.pagerank) AS scored
MATCH (r:AnalyticsRun {level: 'org'}) RETURN n, scored, count(r) AS runs`, nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	rec := res.Records[0].Values
	if rec[0].(int64) == 0 || rec[0] != rec[1] || rec[2].(int64) != 1 {
		t.Errorf("organisations %v, with pagerank %v, runs %v; want all scored and one run", rec[0], rec[1], rec[2])
	}
	// The parties of the one MoU at IASP 2025 each have one tie: degree 1.
	res, err = neo4j.ExecuteQuery(ctx, drv, "MATCH (o:Organization {id: 'seoul-business-agency'}) RETURN o.degree", nil, neo4j.EagerResultTransformer)
	if err != nil || len(res.Records) != 1 || res.Records[0].Values[0] != int64(1) {
		t.Errorf("degree of Seoul Business Agency: %v %v", err, res)
	}
	// Browser's size bands: the tenth with the highest PageRank (rounded up)
	// is ScoreBand2, the next fifth ScoreBand1, counted over the organisations.
	res, err = neo4j.ExecuteQuery(ctx, drv, `MATCH (o:Organization) WITH o ORDER BY o.pagerank DESC, o.id
WITH collect(o) AS os RETURN size(os), [o IN os | CASE WHEN o:ScoreBand2 THEN 2 WHEN o:ScoreBand1 THEN 1 ELSE 0 END]`, nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	n := int(res.Records[0].Values[0].(int64))
	for i, b := range res.Records[0].Values[1].([]any) {
		want := int64(0)
		if i < (n+9)/10 {
			want = 2
		} else if i*10 < n*3 {
			want = 1
		}
		if b != want {
			t.Errorf("organisation #%d of %d by PageRank is in band %v, want %d", i+1, n, b, want)
		}
	}
	if _, err := run(t, dir, "analyze", "--write"); err == nil {
		t.Error("--write without --source neo4j was accepted")
	}
}
