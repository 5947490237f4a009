package main

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/santhosh-tekuri/jsonschema/v6"

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
	sc := schemas(t) // before run changes the directory
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
	// Browser's size bands: ScoreBand2 for the organisations whose PageRank
	// reaches that of the one at the tenth of the ranking (rounded up),
	// ScoreBand1 for those reaching the one at 30%; equal scores share a
	// band.
	res, err = neo4j.ExecuteQuery(ctx, drv, `MATCH (o:Organization) WITH o ORDER BY o.pagerank DESC, o.id
RETURN collect(o.pagerank), [o IN collect(o) | CASE WHEN o:ScoreBand2 THEN 2 WHEN o:ScoreBand1 THEN 1 ELSE 0 END]`, nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	prs := res.Records[0].Values[0].([]any)
	n := len(prs)
	t2, t1 := prs[(n+9)/10-1].(float64), prs[(3*n+9)/10-1].(float64)
	for i, b := range res.Records[0].Values[1].([]any) {
		pr, want := prs[i].(float64), int64(0)
		if pr >= t2 {
			want = 2
		} else if pr >= t1 {
			want = 1
		}
		if b != want {
			t.Errorf("organisation #%d of %d by PageRank (%g; bands from %g and %g) is in band %v, want %d", i+1, n, pr, t2, t1, b, want)
		}
	}
	if _, err := run(t, dir, "analyze", "--write"); err == nil {
		t.Error("--write without --source neo4j was accepted")
	}
	// The run's parameters are analysis.Options' JSON, as its schema says.
	res, err = neo4j.ExecuteQuery(ctx, drv, "MATCH (r:AnalyticsRun) RETURN r.parameters AS p", nil, neo4j.EagerResultTransformer)
	if err != nil || len(res.Records) != 1 {
		t.Fatalf("AnalyticsRun: %v %v", err, res)
	}
	params, _, err := neo4j.GetRecordValue[string](res.Records[0], "p")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(params))
	if err != nil {
		t.Fatal(err)
	}
	if err := sc["analysis-options"].Validate(doc); err != nil {
		t.Errorf("AnalyticsRun parameters %s do not match schemas/analysis-options.schema.json: %v", params, err)
	}
	// A second run with fewer measures leaves none of the first run's
	// scores behind: a node carries this run's scores or none.
	if _, err := run(t, dir, "analyze", "--source", "neo4j", "--write", "--level", "org", "--measures", "degree"); err != nil {
		t.Fatal(err)
	}
	res, err = neo4j.ExecuteQuery(ctx, drv, "MATCH (o:Organization) RETURN count(o.degree), count(o.pagerank), count(o.betweenness), count(o.community)", nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	if v := res.Records[0].Values; v[0] != rec[0] || v[1] != int64(0) || v[2] != int64(0) || v[3] != int64(0) {
		t.Errorf("after a degree-only run: degree on %v of %v nodes, pagerank/betweenness/community left on %v/%v/%v", v[0], rec[0], v[1], v[2], v[3])
	}
}

// analyze --engine gds prints what --engine go prints, for the measures
// GDS computes with the same meaning (neo4jstore's tests compare every
// value; this checks the command: fields, nodes, order), and --write
// records the engine on the AnalyticsRun node.
func TestAnalyzeEngineGDS(t *testing.T) {
	drv := useTestNeo4j(t)
	dir := t.TempDir()
	if _, err := run(t, dir, "load"); err != nil {
		t.Fatal(err)
	}
	for _, level := range []string{"org", "country"} {
		args := []string{"analyze", "--source", "neo4j", "--level", level, "--format", "json", "--measures", "degree,strength,betweenness,closeness,harmonic,pagerank,clustering_unweighted,community"}
		goOut, err := run(t, dir, args...)
		if err != nil {
			t.Fatal(err)
		}
		gdsOut, err := run(t, dir, append(args, "--engine", "gds")...)
		if err != nil {
			t.Fatal(err)
		}
		var g, d struct {
			Measures []string         `json:"measures"`
			Graph    map[string]any   `json:"graph"`
			Nodes    []map[string]any `json:"nodes"`
			Edges    []map[string]any `json:"edges"`
		}
		if err := json.Unmarshal([]byte(goOut), &g); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(gdsOut), &d); err != nil {
			t.Fatalf("%v\n%s", err, gdsOut)
		}
		if !reflect.DeepEqual(g.Measures, d.Measures) || len(g.Nodes) != len(d.Nodes) || len(g.Edges) != len(d.Edges) || !sameFigures(g.Graph, d.Graph) {
			t.Fatalf("%s: gds %v %d nodes %d ties %v, go %v %d nodes %d ties %v", level, d.Measures, len(d.Nodes), len(d.Edges), d.Graph, g.Measures, len(g.Nodes), len(g.Edges), g.Graph)
		}
		for i, n := range g.Nodes {
			for k, v := range n {
				w := d.Nodes[i][k]
				if x, ok := v.(float64); ok {
					if y, ok := w.(float64); !ok || math.Abs(x-y) > 1e-9*max(1, math.Abs(x)) {
						t.Errorf("%s node %v %s: gds %v, go %v", level, n["id"], k, w, v)
					}
				} else if !reflect.DeepEqual(v, w) {
					t.Errorf("%s node %v %s: gds %v, go %v", level, n["id"], k, w, v)
				}
			}
		}
	}
	if _, err := run(t, dir, "analyze", "--source", "neo4j", "--engine", "gds", "--write", "--level", "org"); err != nil {
		t.Fatal(err)
	}
	res, err := neo4j.ExecuteQuery(context.Background(), drv, "MATCH (r:AnalyticsRun) RETURN r.parameters", nil, neo4j.EagerResultTransformer)
	if err != nil || len(res.Records) != 1 || !strings.Contains(res.Records[0].Values[0].(string), `"engine":"gds"`) {
		t.Errorf("AnalyticsRun parameters: %v %v", err, res)
	}
	for _, bad := range [][]string{
		{"analyze", "--engine", "gds"}, // not --source neo4j
		{"analyze", "--source", "neo4j", "--engine", "gds", "--measures", "eigenvector"},
		{"analyze", "--source", "neo4j", "--community", "leiden"}, // Go has no Leiden
	} {
		if out, err := run(t, dir, bad...); err == nil {
			t.Errorf("%v was accepted: %.200s", bad, out)
		}
	}
}

// sameFigures compares graph-level figures, numbers to 1e-9 relative: the
// engines sum modularity in different orders (0.78 is 0.7800000000000001
// in one and 0.7799999999999998 in the other on the shipped data).
func sameFigures(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		x, xok := v.(float64)
		y, yok := b[k].(float64)
		if xok && yok {
			if math.Abs(x-y) > 1e-9*max(1, math.Abs(x)) {
				return false
			}
		} else if !reflect.DeepEqual(v, b[k]) {
			return false
		}
	}
	return true
}

// collabnet load writes the evidence grades as properties: on the fact
// nodes, on relations and on a counted_in link graded apart from its
// agreement, with the reason; citations keep their locators.
func TestLoadWritesEvidence(t *testing.T) {
	drv := useTestNeo4j(t)
	dir := t.TempDir()
	if _, err := run(t, dir, "load"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, c := range []struct {
		query string
		want  []any
	}{
		// data/agreements.yaml: the MoU is stated, its link to the 42 pairs inferred.
		{`MATCH (a:Agreement {id: 'iasp-2025-zgc-iip-seoul-sba'})-[l:COUNTED_IN]->(:ReportedFigure {id: 'iasp-2025-sino-foreign-pairs'})
RETURN a.evidence, l.evidence, l.reason IS NOT NULL`, []any{"stated", "inferred", true}},
		// data/relations.yaml: Fraunhofer's tenancy is inferred.
		{`MATCH (:Organization {id: 'fraunhofer'})-[r:TENANT_OF]->(:Organization {id: 'zgc-industrial-internet-park'}) RETURN r.evidence, r.reason IS NOT NULL`,
			[]any{"inferred", true}},
		// data/organizations.yaml: 京都研究院's kind is read from its name.
		{`MATCH (o:Organization {id: 'kyoto-research-institute'}) RETURN o.evidence`, []any{"inferred"}},
		// data/figures.yaml: the 2022 numbers were announced: reported; the 42 pairs name seven countries.
		{`MATCH (f:ReportedFigure {id: 'zgc-forum-2022-activities'}), (g:ReportedFigure {id: 'iasp-2025-sino-foreign-pairs'})
RETURN f.evidence, size(g.countries)`, []any{"reported", int64(7)}},
		{`MATCH (:Agreement {id: 'zgcg-fengtai-joint-mechanism'})-[c:SOURCED_FROM]->(:Source {id: 's001'}) RETURN c.locators`,
			[]any{[]any{"政企联席会"}}},
		// A park's programme title (s003#13) ends at the programme.
		{`MATCH (:Organization {id: 'sijihuigu-cybersecurity-park'})-[r:MEMBER_OF]->(p:Programme) RETURN p.id, r.evidence`,
			[]any{"zgc-featured-parks", "stated"}},
	} {
		res, err := neo4j.ExecuteQuery(ctx, drv, c.query, nil, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Records) != 1 || !reflect.DeepEqual(res.Records[0].Values, c.want) {
			var got []any
			for _, r := range res.Records {
				got = append(got, r.Values)
			}
			t.Errorf("%s\n got %v\nwant %v", c.query, got, c.want)
		}
	}
}
