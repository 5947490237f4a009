package analysis_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/collabnet/collabnet/analysis"
)

// Options' JSON has snake_case keys, the budget in seconds and a
// schema_version, and reads back to the same options.
func TestOptionsJSON(t *testing.T) {
	o := analysis.Options{Countries: []string{"DE", "FR"}, Fractional: true, WeightedPaths: true, Resolution: 1.5, Seed: 7,
		Sample: 300, Exact: true, Budget: 90 * time.Second, Tolerance: 1e-9, Engine: "go",
		Measures: []analysis.Measure{analysis.Degree, analysis.PageRank}, Filter: analysis.Filter{Since: "2016", TopBy: analysis.Strength}}
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]any
	if err := json.Unmarshal(b, &keys); err != nil {
		t.Fatal(err)
	}
	for k := range keys {
		if strings.ToLower(k) != k {
			t.Errorf("key %q is not snake_case: %s", k, b)
		}
	}
	if keys["schema_version"] != float64(analysis.OptionsSchemaVersion) || keys["budget_seconds"] != 90.0 || keys["weighted_paths"] != true {
		t.Errorf("schema_version, budget_seconds, weighted_paths: %s", b)
	}
	var back analysis.Options
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, o) {
		t.Errorf("round trip:\n%+v\n%+v", back, o)
	}
}

// Version 1 (before schema_version: Go field names, the budget in
// nanoseconds), as report.json, snapshots and AnalyticsRun nodes of
// earlier versions hold it, reads to the same options.
func TestOptionsJSONVersion1(t *testing.T) {
	old := `{"Countries":["DE"],"Fractional":true,"WeightedPaths":true,"Resolution":1.5,"Seed":7,"Sample":300,"exact":true,"budget":90000000000,"measures":["degree","pagerank"],"engine":"gds"}`
	var o analysis.Options
	if err := json.Unmarshal([]byte(old), &o); err != nil {
		t.Fatal(err)
	}
	want := analysis.Options{Countries: []string{"DE"}, Fractional: true, WeightedPaths: true, Resolution: 1.5, Seed: 7, Sample: 300,
		Exact: true, Budget: 90 * time.Second, Measures: []analysis.Measure{analysis.Degree, analysis.PageRank}, Engine: "gds"}
	if !reflect.DeepEqual(o, want) {
		t.Errorf("version 1:\n%+v\nwant\n%+v", o, want)
	}
	if err := json.Unmarshal([]byte(`{"schema_version":99}`), &o); err == nil || !strings.Contains(err.Error(), "99") {
		t.Errorf("a later schema version: %v", err)
	}
}
