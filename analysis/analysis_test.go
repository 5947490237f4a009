package analysis_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/internal/curated"
)

// A measure asked for has the value a full analysis gives; one not asked
// for is absent from the JSON, not zero.
func TestOnlyRequestedMeasures(t *testing.T) {
	ds := curated.Load(t)
	ctx := context.Background()
	full, err := analysis.Analyze(ctx, ds, analysis.Options{Resolution: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	some, err := analysis.Analyze(ctx, ds, analysis.Options{Resolution: 1, Seed: 1,
		Measures: []analysis.Measure{analysis.Degree, analysis.PageRank}})
	if err != nil {
		t.Fatal(err)
	}
	for _, lv := range [][2]*analysis.Level{{full.Org, some.Org}, {full.Country, some.Country}} {
		f, s := lv[0], lv[1]
		if !slices.Equal(s.Measures, []analysis.Measure{analysis.Degree, analysis.PageRank}) {
			t.Errorf("%s: measures %v", s.Level, s.Measures)
		}
		for i := range s.Nodes {
			if s.Nodes[i].Value(analysis.PageRank) != f.Nodes[i].Value(analysis.PageRank) || s.Nodes[i].Int(analysis.Degree) != f.Nodes[i].Int(analysis.Degree) {
				t.Errorf("%s %s: pagerank %g degree %d, full analysis %g %d", s.Level, s.Nodes[i].ID,
					s.Nodes[i].Value(analysis.PageRank), s.Nodes[i].Int(analysis.Degree), f.Nodes[i].Value(analysis.PageRank), f.Nodes[i].Int(analysis.Degree))
			}
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, absent := range []string{`"betweenness"`, `"closeness"`, `"clustering"`, `"community"`, `"modularity"`} {
			if strings.Contains(string(b), absent) {
				t.Errorf("%s JSON has %s, which was not asked for", s.Level, absent)
			}
		}
		var back struct {
			Nodes []map[string]any `json:"nodes"`
		}
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if len(back.Nodes) == 0 || back.Nodes[0]["pagerank"] == nil || back.Nodes[0]["degree"] == nil {
			t.Errorf("%s JSON lacks the measures asked for: %.300s", s.Level, b)
		}
		fb, _ := json.Marshal(f)
		for _, present := range []string{`"betweenness"`, `"closeness"`, `"clustering"`, `"community"`, `"modularity"`} {
			if !strings.Contains(string(fb), present) {
				t.Errorf("full %s JSON lacks %s", f.Level, present)
			}
		}
	}
}

// Only the levels asked for are analysed.
func TestOnlyRequestedLevel(t *testing.T) {
	an, err := analysis.Analyze(context.Background(), curated.Load(t), analysis.Options{Levels: []string{analysis.LevelCountry}})
	if err != nil {
		t.Fatal(err)
	}
	if an.Org != nil || an.Country == nil || len(an.Country.Nodes) == 0 {
		t.Fatalf("country only: org %v, country %v", an.Org, an.Country)
	}
	if _, err := analysis.Analyze(context.Background(), curated.Load(t), analysis.Options{Levels: []string{"city"}}); err == nil {
		t.Error("level city accepted")
	}
}

func TestParseMeasures(t *testing.T) {
	got, err := analysis.ParseMeasures([]string{"pagerank, Degree", "cheap"})
	if err != nil {
		t.Fatal(err)
	}
	want := []analysis.Measure{analysis.Degree, analysis.Strength, analysis.PageRank, analysis.Eigenvector, analysis.Community}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got, _ := analysis.ParseMeasures(nil); got != nil {
		t.Errorf("no names: %v, want nil (the default)", got)
	}
	if _, err := analysis.ParseMeasures([]string{"katz"}); err == nil || !strings.Contains(err.Error(), "katz") {
		t.Errorf("unknown measure: err = %v", err)
	}
}
