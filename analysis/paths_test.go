package analysis_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
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

// The budget is a deadline: betweenness cut short by it is estimated from
// the sources swept by then, recorded as sampled, with a warning that says
// so and names --exact; closeness and harmonic centrality, complete before
// it, stay exact. --exact, or a budget that is not reached, gives the
// exact values without a warning.
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
	// The deadline passes while betweenness runs: its progress report
	// sleeps past it (closeness, on 800 nodes, is done well before).
	budget := 1500 * time.Millisecond
	start := time.Now()
	slow := func(m string, done, total int) {
		if m == string(analysis.Betweenness) {
			time.Sleep(time.Until(start.Add(budget + 50*time.Millisecond)))
		}
	}
	tight, err := analysis.Analyze(ctx, ds, analysis.Options{Levels: org, Measures: ms, Budget: budget, Seed: 3, Progress: slow})
	if err != nil {
		t.Fatal(err)
	}
	k := tight.Org.Sampled[analysis.Betweenness]
	if k < 2 || k >= len(tight.Org.Nodes) || len(tight.Org.Warnings) != 1 {
		t.Fatalf("betweenness past the budget: sampled %v, warnings %v", tight.Org.Sampled, tight.Org.Warnings)
	}
	if js, err := json.Marshal(tight.Org); err != nil || !strings.Contains(string(js), fmt.Sprintf(`"sampled":{"betweenness":%d}`, k)) {
		t.Errorf("the JSON does not say betweenness was sampled (%v): %.300s", err, js)
	}
	if _, ok := tight.Org.Sampled[analysis.Closeness]; ok {
		t.Errorf("closeness sampled too: %v", tight.Org.Sampled)
	}
	if w := tight.Org.Warnings[0]; !strings.Contains(w, "--exact") || !strings.Contains(w, "betweenness") || !strings.Contains(w, fmt.Sprintf("estimated from %d of", k)) {
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
		// Within the budget the sources run in a seeded random order, so
		// the sums are added in another order than --exact's.
		if r, x := roomy.Org.Nodes[i].Value(analysis.Betweenness), e.Value(analysis.Betweenness); math.Abs(r-x) > 1e-12*math.Max(1, math.Abs(x)) {
			t.Fatalf("%s: betweenness within the budget %v, exact %v", n.ID, r, x)
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

// The unweighted local clustering coefficient of the H2020 India network
// equals NetworkX's nx.clustering(G) (analytics' fixture, written by
// NetworkX 3.6.1) for every organisation.
func TestClusteringUnweightedMatchesNetworkX(t *testing.T) {
	ds := h2020Dataset(t)
	an, err := analysis.Analyze(context.Background(), ds, analysis.Options{Levels: []string{analysis.LevelOrg},
		Measures: []analysis.Measure{analysis.ClusteringUnweighted}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("..", "analytics", "testdata", "fixtures", "h2020_india.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		Expected struct {
			Clustering map[string]float64 `json:"clustering"`
		} `json:"expected"`
	}
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	want := fx.Expected.Clustering
	if len(an.Org.Nodes) != len(want) {
		t.Fatalf("%d organisations, NetworkX's network has %d", len(an.Org.Nodes), len(want))
	}
	nonzero := 0
	for _, n := range an.Org.Nodes {
		w, ok := want[n.ID]
		got := n.Value(analysis.ClusteringUnweighted)
		if !ok || math.Abs(got-w) > 1e-12 {
			t.Fatalf("%s: clustering_unweighted %v, NetworkX %v (known %v)", n.ID, got, w, ok)
		}
		if w > 0 {
			nonzero++
		}
	}
	if nonzero == 0 {
		t.Fatal("every coefficient is 0: the comparison says nothing")
	}
}
