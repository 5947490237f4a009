package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/collabnet/collabnet/analysis"
)

// schemas compiles the JSON Schemas in the repository's schemas/ folder.
func schemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	dir := filepath.Join("..", "..", "schemas")
	files, err := filepath.Glob(filepath.Join(dir, "*.schema.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no schemas in %s: %v", dir, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	ids := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(b)))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		id, _ := doc.(map[string]any)["$id"].(string)
		if id == "" {
			t.Fatalf("%s has no $id", f)
		}
		if err := c.AddResource(id, doc); err != nil {
			t.Fatal(err)
		}
		ids[strings.TrimSuffix(filepath.Base(f), ".schema.json")] = id
	}
	out := map[string]*jsonschema.Schema{}
	for name, id := range ids {
		s, err := c.Compile(id)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = s
	}
	return out
}

// The JSON of analyze and list, on the shipped dataset and on a network
// without ties, validates against the schemas in schemas/: among other
// things every list is a list ("edges": []), never null.
func TestJSONOutputMatchesSchemas(t *testing.T) {
	sc := schemas(t)
	noTies := filepath.Join("testdata", "no_ties.csv")
	for _, c := range []struct {
		schema string
		args   []string
	}{
		{"analyze", []string{"analyze", "--format", "json"}},
		{"analyze", []string{"analyze", "--level", "country", "--format", "json"}},
		{"analyze", []string{"analyze", "-i", noTies, "--format", "json"}},
		{"analyze", []string{"analyze", "--level", "country", "-i", noTies, "--format", "json"}},
		{"analyze", []string{"analyze", "--sample", "3", "--format", "json"}},
		{"analyze", []string{"analyze", "--measures", "degree,closeness,community", "--weighted-paths", "--sample", "3", "--format", "json"}},
		{"analyze", []string{"analyze", "--measures", "pagerank", "--format", "json"}},
		{"analyze", []string{"analyze", "--level", "country", "--normalize", "association", "--min-weight", "2", "--drop-isolates", "--format", "json"}},
		{"analyze", []string{"analyze", "--level", "country", "--period", "year", "--measures", "degree,strength", "--format", "json"}},
		{"analyze", []string{"analyze", "--countries", "CN", "--ego", "--normalize", "jaccard", "--backbone", "disparity", "--format", "json"}},
		{"list-organizations", []string{"list", "organizations", "--format", "json"}},
		{"list-organizations", []string{"list", "organizations", "-i", noTies, "--format", "json"}},
		{"list-agreements", []string{"list", "agreements", "--format", "json"}},
		{"list-agreements", []string{"list", "agreements", "-i", noTies, "--format", "json"}},
		{"list-countries", []string{"list", "countries", "--format", "json"}},
		{"list-figures", []string{"list", "figures", "--format", "json"}},
		{"list-figures", []string{"list", "figures", "-i", noTies, "--format", "json"}},
	} {
		s := sc[c.schema]
		if s == nil {
			t.Fatalf("no schema %s", c.schema)
		}
		out, err := run(t, "", c.args...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", c.args, err, out)
		}
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
		if err != nil {
			t.Fatalf("%v: not JSON: %v\n%.300s", c.args, err, out)
		}
		if err := s.Validate(doc); err != nil {
			t.Errorf("%v does not match schemas/%s.schema.json: %v", c.args, c.schema, err)
		}
		if c.schema == "analyze" {
			sameMeasures(t, c.args, doc)
		}
	}
	// The network without ties: its edges are an empty list.
	out, _ := run(t, "", "analyze", "-i", noTies, "--format", "json")
	if !strings.Contains(out, `"edges":[]`) {
		t.Errorf("a network without ties: want \"edges\":[], got\n%s", out)
	}
}

// sameMeasures checks what the schema cannot say: every node has a field
// for each measure the level lists, and none for a measure it does not.
func sameMeasures(t *testing.T, args []string, doc any) {
	t.Helper()
	lvl := doc.(map[string]any)
	listed := map[string]bool{}
	for _, m := range lvl["measures"].([]any) {
		listed[m.(string)] = true
	}
	all := analysis.MeasureNames(analysis.AllMeasures())
	for _, n := range lvl["nodes"].([]any) {
		node := n.(map[string]any)
		for _, m := range all {
			if _, has := node[m]; has != listed[m] {
				t.Fatalf("%v: node %v has %s: %v, but measures lists it: %v", args, node["id"], m, has, listed[m])
			}
		}
	}
}

// report.json validates against schemas/report.schema.json, on the first
// run and on a second one that has changes to show, and its analysis
// options (the JSON an AnalyticsRun node keeps as parameters) against
// schemas/analysis-options.schema.json.
func TestReportJSONMatchesSchema(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	sc := schemas(t)
	dir := t.TempDir()
	for run1 := range 2 {
		args := []string{"report", "--out", "out", "--measures", "degree,strength,pagerank,community"}
		if run1 == 1 {
			args = append(args, "--budget", "90s", "--countries", "CN,KR")
		}
		if out, err := run(t, dir, args...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		b, err := os.ReadFile(filepath.Join(dir, "out", "report.json"))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(b)))
		if err != nil {
			t.Fatal(err)
		}
		if err := sc["report"].Validate(doc); err != nil {
			t.Errorf("run %d: report.json does not match schemas/report.schema.json: %v", run1+1, err)
		}
		opts := doc.(map[string]any)["analysis"].(map[string]any)["options"]
		if err := sc["analysis-options"].Validate(opts); err != nil {
			t.Errorf("run %d: the analysis options do not match schemas/analysis-options.schema.json: %v", run1+1, err)
		}
		if run1 == 1 {
			if ch, _ := doc.(map[string]any)["changes"].(map[string]any); ch == nil || ch["first"] != false {
				t.Errorf("second run: no changes to validate: %v", doc.(map[string]any)["changes"])
			}
			if bs := opts.(map[string]any)["budget_seconds"]; fmt.Sprint(bs) != "90" {
				t.Errorf("budget_seconds %v, want 90", bs)
			}
		}
	}
}
