package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/collabnet/collabnet/analysis"
)

// schemas/analyze.schema.json is what collabnet schema json analyze
// prints: the registry's measures, no hand-kept copy. With
// COLLABNET_UPDATE_SCHEMA=1 the test rewrites the file.
func TestAnalyzeSchemaFileIsGenerated(t *testing.T) {
	path := filepath.Join("..", "..", "schemas", "analyze.schema.json")
	out, err := run(t, "", "schema", "json", "analyze")
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("COLLABNET_UPDATE_SCHEMA") == "1" {
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != out {
		t.Errorf("%s differs from `collabnet schema json analyze`: run COLLABNET_UPDATE_SCHEMA=1 go test ./cmd/collabnet -run TestAnalyzeSchemaFileIsGenerated", path)
	}
}

// fakeMeasure declares a measure that exists only in this test, in the
// one place a measure is declared. Its value is known: node i scores
// i+0.5 (so 0 is never mistaken for it).
func fakeMeasure(t *testing.T) analysis.Measure {
	t.Helper()
	const name = analysis.Measure("fakeindex")
	remove, err := analysis.Register(analysis.MeasureDef{
		Name: name, Doc: "a measure declared by a test", Kind: analysis.Float,
		Min: 0, Max: 1e9, Cost: analysis.CostLinear, Ranked: true,
		Compute: func(c *analysis.Computation) error {
			v := make([]float64, c.Network.N())
			for i := range v {
				v[i] = float64(i) + 0.5
			}
			c.Set(name, v)
			return nil
		},
		GDSRefused: "a test measure",
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(remove)
	return name
}

// A measure declared once (fakeMeasure) is a --measures word and appears
// in the JSON and its schema, the CSV, GraphML and GEXF exports, and the
// write-back rows, with its values, and nothing else had to change.
func TestFakeMeasureInEveryOutput(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	m := fakeMeasure(t)
	dir := t.TempDir()

	// JSON, validated against the generated schema, which lists it.
	out, err := run(t, dir, "analyze", "--measures", "degree,fakeindex", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	sb, err := analysis.SchemaJSON()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(sb), `"fakeindex"`) {
		t.Error("the schema does not list fakeindex")
	}
	doc, _ := jsonschema.UnmarshalJSON(strings.NewReader(string(sb)))
	c := jsonschema.NewCompiler()
	if err := c.AddResource("analyze.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("analyze.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("analyze JSON with fakeindex does not match the schema: %v", err)
	}
	var lvl struct {
		Measures []string         `json:"measures"`
		Nodes    []map[string]any `json:"nodes"`
	}
	if err := json.Unmarshal([]byte(out), &lvl); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(lvl.Measures, []string{"degree", "fakeindex"}) || len(lvl.Nodes) < 2 {
		t.Fatalf("measures %v, %d nodes", lvl.Measures, len(lvl.Nodes))
	}
	for i, n := range lvl.Nodes {
		if n["fakeindex"] != float64(i)+0.5 {
			t.Fatalf("JSON node %d: fakeindex %v, want %v", i, n["fakeindex"], float64(i)+0.5)
		}
	}

	// CSV: a column with the values.
	out, err = run(t, dir, "analyze", "--measures", "fakeindex", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if lines[0] != "id,name,country,fakeindex" || !strings.HasSuffix(lines[2], ","+strconv.FormatFloat(1.5, 'g', 6, 64)) {
		t.Errorf("CSV: %q, %q", lines[0], lines[2])
	}

	// GraphML, GEXF and CSV exports: a typed attribute.
	for _, f := range []struct{ file, want string }{
		{"org.graphml", `attr.name="fakeindex" attr.type="double"`},
		{"org.gexf", `title="fakeindex" type="double"`},
		{"org.csv", "fakeindex"},
	} {
		p := filepath.Join(dir, f.file)
		if _, err := run(t, dir, "export", "--level", "org", "--measures", "degree,fakeindex", "--out", p); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), f.want) || !strings.Contains(string(b), "2.5") {
			t.Errorf("%s lacks %s with its values:\n%.600s", f.file, f.want, b)
		}
	}

	// --measures knows it, also as a cheap one (its declared cost).
	if ms, err := analysis.ParseMeasures([]string{"fakeindex"}); err != nil || !slices.Equal(ms, []analysis.Measure{m}) {
		t.Error(err)
	}
	if ms, err := analysis.ParseMeasures([]string{"cheap"}); err != nil || !slices.Contains(ms, m) {
		t.Errorf("cheap (fakeindex is of linear cost): %v %v", ms, err)
	}
}

// The write-back of a declared measure: analyze --write sets it as a
// property of every node, with its value, and clears it on the next run
// that does not compute it.
func TestFakeMeasureWrittenBack(t *testing.T) {
	drv := useTestNeo4j(t)
	m := fakeMeasure(t)
	dir := t.TempDir()
	if _, err := run(t, dir, "load"); err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, dir, "analyze", "--source", "neo4j", "--write", "--level", "org", "--measures", "degree,"+string(m)); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	res, err := neo4j.ExecuteQuery(ctx, drv, "MATCH (o:Organization) RETURN o.id AS id, o.fakeindex AS v ORDER BY id", nil, neo4j.EagerResultTransformer)
	if err != nil || len(res.Records) < 2 {
		t.Fatalf("%v %v", err, res)
	}
	for i, r := range res.Records {
		if v, _ := r.Get("v"); v != float64(i)+0.5 {
			t.Fatalf("%v: fakeindex %v, want %v", r.Values[0], v, float64(i)+0.5)
		}
	}
	if _, err := run(t, dir, "analyze", "--source", "neo4j", "--write", "--level", "org", "--measures", "degree"); err != nil {
		t.Fatal(err)
	}
	res, err = neo4j.ExecuteQuery(ctx, drv, "MATCH (o:Organization) WHERE o.fakeindex IS NOT NULL RETURN count(o)", nil, neo4j.EagerResultTransformer)
	if err != nil || res.Records[0].Values[0] != int64(0) {
		t.Errorf("fakeindex left after a run without it: %v %v", err, res)
	}
}
