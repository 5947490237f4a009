package analysis_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/internal/h2020test"
	"github.com/collabnet/collabnet/loader"
)

func h2020Dataset(t *testing.T) *graph.Dataset {
	t.Helper()
	l, err := loader.New(loader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ds, _, err := l.Load(context.Background(), []loader.Input{loader.FileInput(h2020test.ProjectsWith(t, t.TempDir(), "IN"))})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// A path measure estimated to take longer than the budget is estimated
// from sampled sources, says so in a warning that names --exact, and is
// recorded as sampled; closeness and harmonic centrality stay exact (the
// multi-source BFS is cheap) and equal the exact run's. --exact, or a
// budget that fits, gives the exact values without a warning.
func TestBudgetSamplesBetweenness(t *testing.T) {
	ds := h2020Dataset(t)
	ctx := context.Background()
	org := []string{analysis.LevelOrg}
	ms := []analysis.Measure{analysis.Betweenness, analysis.Closeness, analysis.Harmonic}
	exact, err := analysis.Analyze(ctx, ds, analysis.Options{Levels: org, Measures: ms, Exact: true, Budget: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	if len(exact.Org.Warnings) != 0 || exact.Org.Sampled != nil {
		t.Fatalf("--exact sampled: %v %v", exact.Org.Warnings, exact.Org.Sampled)
	}
	roomy, err := analysis.Analyze(ctx, ds, analysis.Options{Levels: org, Measures: ms, Budget: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if len(roomy.Org.Warnings) != 0 || roomy.Org.Sampled != nil {
		t.Fatalf("an hour's budget sampled: %v %v", roomy.Org.Warnings, roomy.Org.Sampled)
	}
	tight, err := analysis.Analyze(ctx, ds, analysis.Options{Levels: org, Measures: ms, Budget: 5 * time.Millisecond, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	k := tight.Org.Sampled[analysis.Betweenness]
	if k == 0 || k >= len(tight.Org.Nodes) || len(tight.Org.Warnings) != 1 {
		t.Fatalf("5 ms budget: sampled %v, warnings %v", tight.Org.Sampled, tight.Org.Warnings)
	}
	if js, err := json.Marshal(tight.Org); err != nil || !strings.Contains(string(js), fmt.Sprintf(`"sampled":{"betweenness":%d}`, k)) {
		t.Errorf("the JSON does not say betweenness was sampled (%v): %.300s", err, js)
	}
	if _, ok := tight.Org.Sampled[analysis.Closeness]; ok {
		t.Errorf("closeness sampled too: %v", tight.Org.Sampled)
	}
	if w := tight.Org.Warnings[0]; !strings.Contains(w, "--exact") || !strings.Contains(w, "betweenness") {
		t.Errorf("warning %q does not say what was sampled and how to force exact", w)
	}
	diff := false
	for i, n := range tight.Org.Nodes {
		e := exact.Org.Nodes[i]
		if n.Value(analysis.Closeness) != e.Value(analysis.Closeness) || n.Value(analysis.Harmonic) != e.Value(analysis.Harmonic) {
			t.Fatalf("%s: closeness/harmonic %v/%v, exact %v/%v", n.ID, n.Value(analysis.Closeness), n.Value(analysis.Harmonic), e.Value(analysis.Closeness), e.Value(analysis.Harmonic))
		}
		if math.Abs(n.Value(analysis.Betweenness)-e.Value(analysis.Betweenness)) > 1e-12 {
			diff = true
		}
		if roomy.Org.Nodes[i].Value(analysis.Betweenness) != e.Value(analysis.Betweenness) {
			t.Fatalf("%s: betweenness within the budget %v, exact %v", n.ID, roomy.Org.Nodes[i].Value(analysis.Betweenness), e.Value(analysis.Betweenness))
		}
	}
	if !diff {
		t.Error("sampled betweenness equals the exact one: the sample was not used")
	}
	// An explicit --sample is taken as given, for betweenness; closeness
	// stays exact.
	given, err := analysis.Analyze(ctx, ds, analysis.Options{Levels: org, Measures: ms, Sample: 50, Budget: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if given.Org.Sampled[analysis.Betweenness] != 50 || given.Org.Sampled[analysis.Closeness] != 0 || len(given.Org.Warnings) != 0 {
		t.Errorf("--sample 50: sampled %v, warnings %v", given.Org.Sampled, given.Org.Warnings)
	}
}
