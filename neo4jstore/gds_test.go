package neo4jstore

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/data"
	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/internal/h2020test"
	"github.com/collabnet/collabnet/internal/neo4jtest"
	"github.com/collabnet/collabnet/loader"
)

// Tolerances of the GDS engine against the Go engine, as documented in the
// README: path measures and degrees are exact computations on both sides
// (rounding only); PageRank stops at GDS's own tolerance; Louvain and
// Leiden are different heuristics, compared by modularity and by the
// normalised mutual information of the partitions.
const (
	gdsExactTol     = 1e-9
	gdsPageRankTol  = 1e-8 // relative
	gdsModularityTo = 0.01
	gdsMinNMI       = 0.75
	// gdsMinModularityForNMI: below it a network has no community
	// structure to agree on.
	gdsMinModularityForNMI = 0.3
)

func gdsStore(t *testing.T) (*Store, neo4j.DriverWithContext, neo4jtest.Server) {
	t.Helper()
	srv := neo4jtest.Require(t)
	drv := srv.Driver(t)
	neo4jtest.Empty(t, drv)
	s := openTestStore(t, srv.URI, srv)
	return s, drv, srv
}

func openTestStore(t *testing.T, uri string, srv neo4jtest.Server) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, Config{URI: uri, User: srv.User, Password: srv.Password})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(ctx) })
	return s
}

// loadInto loads the inputs into the test server with the graph store
// and returns the dataset the Go engine analyses.
func loadInto(t *testing.T, srv neo4jtest.Server, in ...loader.Input) *graph.Dataset {
	t.Helper()
	ctx := context.Background()
	l, err := loader.New(loader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ds, _, err := l.Load(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	st := openTestStore(t, srv.URI, srv)
	if _, err := st.Write(ctx, ds, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	return ds
}

// h2020India is the H2020 projects with an Indian participant (about 800
// organisations), or a skip when ../shared is absent.
func h2020India(t *testing.T) loader.Input {
	return loader.FileInput(h2020test.ProjectsWith(t, t.TempDir(), "IN"))
}

func curated(t *testing.T) []loader.Input {
	t.Helper()
	in, err := loader.FSInputs(data.FS, "data/")
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestGDSEngineMatchesGoEngine(t *testing.T) {
	s, _, srv := gdsStore(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		in   func(*testing.T) []loader.Input
		opt  analysis.Options
	}{
		{"curated", curated, analysis.Options{}},
		{"h2020-india", func(t *testing.T) []loader.Input { return []loader.Input{h2020India(t)} }, analysis.Options{}},
		{"h2020-india-fractional", func(t *testing.T) []loader.Input { return []loader.Input{h2020India(t)} }, analysis.Options{Fractional: true}},
		{"h2020-india-countries", func(t *testing.T) []loader.Input { return []loader.Input{h2020India(t)} }, analysis.Options{Countries: []string{"DE", "FR", "IN", "IT", "ES"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			neo4jtest.Empty(t, srv.Driver(t))
			ds := loadInto(t, srv, tc.in(t)...)
			// The GDS engine's measures, from the Go engine too.
			opt := tc.opt
			opt.Measures = GDSMeasures()
			want, err := analysis.Analyze(ctx, ds, opt)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.AnalyzeGDS(ctx, opt, GDSOptions{})
			if err != nil {
				t.Fatal(err)
			}
			compareLevel(t, want.Org, got.Org)
			compareLevel(t, want.Country, got.Country)
		})
	}
}

// Leiden is GDS's only; it must find a partition at least as good as the
// Go engine's Louvain, less the modularity tolerance.
func TestGDSEngineLeiden(t *testing.T) {
	s, _, srv := gdsStore(t)
	ctx := context.Background()
	ds := loadInto(t, srv, h2020India(t))
	opt := analysis.Options{Levels: []string{analysis.LevelOrg}, Measures: []analysis.Measure{analysis.Community}, Seed: 42}
	gopt := opt
	gopt.Community = "leiden"
	want, err := analysis.Analyze(ctx, ds, opt)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.AnalyzeGDS(ctx, gopt, GDSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Org.Graph.Modularity < want.Org.Graph.Modularity-gdsModularityTo {
		t.Errorf("Leiden modularity %.4f, Go Louvain %.4f", got.Org.Graph.Modularity, want.Org.Graph.Modularity)
	}
	t.Logf("Leiden Q %.4f (%d communities), Go Louvain Q %.4f", got.Org.Graph.Modularity, got.Org.Graph.Communities, want.Org.Graph.Modularity)
	// Seeded, it gives the same partition every time.
	again, err := s.AnalyzeGDS(ctx, gopt, GDSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range got.Org.Nodes {
		if got.Org.Nodes[i].Int(analysis.Community) != again.Org.Nodes[i].Int(analysis.Community) {
			t.Fatalf("Leiden seeded twice: %s in community %d, then %d", got.Org.Nodes[i].ID, got.Org.Nodes[i].Int(analysis.Community), again.Org.Nodes[i].Int(analysis.Community))
		}
	}
}

// The budget applies to the GDS engine as to the Go engine: an exact
// betweenness estimated above it is sampled, with a warning, and the
// level says so.
func TestGDSEngineBudget(t *testing.T) {
	s, _, srv := gdsStore(t)
	loadInto(t, srv, h2020India(t))
	opt := analysis.Options{Levels: []string{analysis.LevelOrg}, Measures: []analysis.Measure{analysis.Betweenness}, Budget: time.Microsecond}
	got, err := s.AnalyzeGDS(context.Background(), opt, GDSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if k := got.Org.Sampled[analysis.Betweenness]; k == 0 || k >= len(got.Org.Nodes) || len(got.Org.Warnings) != 1 || !strings.Contains(got.Org.Warnings[0], "--exact") {
		t.Fatalf("1µs budget: sampled %v, warnings %v", got.Org.Sampled, got.Org.Warnings)
	}
	opt.Exact = true
	if got, err = s.AnalyzeGDS(context.Background(), opt, GDSOptions{}); err != nil || got.Org.Sampled != nil || len(got.Org.Warnings) != 0 {
		t.Fatalf("--exact: %v, sampled %v, warnings %v", err, got.Org.Sampled, got.Org.Warnings)
	}
}

// compareLevel checks that the GDS engine's level equals the Go
// engine's: same nodes in the same order with the same names, the same
// graph figures, ties and per-country figures, every score within the
// stated tolerance, and partitions of about the same quality.
func compareLevel(t *testing.T, want, got *analysis.Level) {
	t.Helper()
	if len(got.Nodes) != len(want.Nodes) {
		t.Fatalf("%s: %d nodes, want %d", want.Level, len(got.Nodes), len(want.Nodes))
	}
	if !slices.Equal(got.Measures, want.Measures) {
		t.Errorf("%s: measures %v, want %v", want.Level, got.Measures, want.Measures)
	}
	gs, ws := got.Graph.GraphShape, want.Graph.GraphShape
	if math.Abs(gs.TotalWeight-ws.TotalWeight) <= 1e-9*max(1, ws.TotalWeight) {
		gs.TotalWeight = ws.TotalWeight
	}
	if math.Abs(gs.Density-ws.Density) <= 1e-15 {
		gs.Density = ws.Density
	}
	if gs != ws {
		t.Errorf("%s: graph figures %+v, want %+v", want.Level, gs, ws)
	}
	if got.Unlocated != want.Unlocated {
		t.Errorf("%s: %d unlocated, want %d", want.Level, got.Unlocated, want.Unlocated)
	}
	if got.Edges.Len() != want.Edges.Len() {
		t.Fatalf("%s: %d ties, want %d", want.Level, got.Edges.Len(), want.Edges.Len())
	}
	for i, e := range want.Edges.All() {
		g := got.Edges.At(i)
		if g.Source != e.Source || g.Target != e.Target || math.Abs(g.Weight-e.Weight) > 1e-9 {
			t.Fatalf("%s: tie %d is %+v, want %+v", want.Level, i, g, e)
		}
	}
	wantMember := make([]int, len(want.Nodes))
	gotMember := make([]int, len(want.Nodes))
	for i, w := range want.Nodes {
		g := got.Nodes[i]
		if g.ID != w.ID || g.Name != w.Name || g.NameEN != w.NameEN || g.Country != w.Country {
			t.Fatalf("%s: node %d is %q %q %q %q, want %q %q %q %q", want.Level, i, g.ID, g.Name, g.NameEN, g.Country, w.ID, w.Name, w.NameEN, w.Country)
		}
		check := func(m string, x, y, tol float64, rel bool) {
			d := math.Abs(x - y)
			if rel {
				d /= max(math.Abs(x), 1e-300)
			}
			if d > tol && !(math.IsNaN(x) && math.IsNaN(y)) {
				t.Errorf("%s %s %s: GDS %.15g, Go %.15g", want.Level, w.ID, m, y, x)
			}
		}
		check("degree", float64(w.Int(analysis.Degree)), float64(g.Int(analysis.Degree)), 0, false)
		check("strength", w.Value(analysis.Strength), g.Value(analysis.Strength), gdsExactTol, false)
		check("betweenness", w.Value(analysis.Betweenness), g.Value(analysis.Betweenness), gdsExactTol, false)
		check("closeness", float64(w.Value(analysis.Closeness)), float64(g.Value(analysis.Closeness)), gdsExactTol, false)
		check("harmonic", float64(w.Value(analysis.Harmonic)), float64(g.Value(analysis.Harmonic)), gdsExactTol, true)
		check("pagerank", w.Value(analysis.PageRank), g.Value(analysis.PageRank), gdsPageRankTol, true)
		check("clustering_unweighted", w.Value(analysis.ClusteringUnweighted), g.Value(analysis.ClusteringUnweighted), gdsExactTol, false)
		if w.Partners != nil {
			check("partners", float64(*w.Partners), float64(*g.Partners), 0, false)
			check("link_strength", *w.LinkStrength, *g.LinkStrength, gdsExactTol, false)
			check("domestic", *w.Domestic, *g.Domestic, gdsExactTol, false)
			check("international_share", *w.InternationalShare, *g.InternationalShare, gdsExactTol, false)
		}
		wantMember[i], gotMember[i] = w.Int(analysis.Community), g.Int(analysis.Community)
	}
	if math.Abs(got.Graph.Modularity-want.Graph.Modularity) > gdsModularityTo {
		t.Errorf("%s: modularity GDS %.4f, Go %.4f", want.Level, got.Graph.Modularity, want.Graph.Modularity)
	}
	// NMI is asked only of partitions worth the name: on the dense
	// country networks modularity is near 0 and any split is arbitrary.
	if nmi := normalizedMutualInformation(wantMember, gotMember); nmi < gdsMinNMI && want.Graph.Modularity > gdsMinModularityForNMI {
		t.Errorf("%s: NMI of the partitions %.3f < %.2f", want.Level, nmi, gdsMinNMI)
	} else {
		t.Logf("%s: modularity GDS %.4f Go %.4f, NMI %.3f", want.Level, got.Graph.Modularity, want.Graph.Modularity, nmi)
	}
}

// normalizedMutualInformation is NMI with the arithmetic mean of the
// entropies, sklearn's normalized_mutual_info_score default: 1 for equal
// partitions up to renaming.
func normalizedMutualInformation(a, b []int) float64 {
	n := float64(len(a))
	ca, cb := map[int]float64{}, map[int]float64{}
	joint := map[[2]int]float64{}
	for i := range a {
		ca[a[i]]++
		cb[b[i]]++
		joint[[2]int{a[i], b[i]}]++
	}
	h := func(c map[int]float64) float64 {
		s := 0.0
		for _, x := range c {
			s -= x / n * math.Log(x/n)
		}
		return s
	}
	mi := 0.0
	for k, x := range joint {
		mi += x / n * math.Log(x*n/(ca[k[0]]*cb[k[1]]))
	}
	ha, hb := h(ca), h(cb)
	if ha+hb == 0 {
		return 1
	}
	return mi / ((ha + hb) / 2)
}

func TestNMIReference(t *testing.T) {
	// sklearn.metrics.normalized_mutual_info_score([0,0,1,1,2,2],[0,0,1,1,1,1]) = 0.7336804366512111
	if got := normalizedMutualInformation([]int{0, 0, 1, 1, 2, 2}, []int{0, 0, 1, 1, 1, 1}); math.Abs(got-0.7336804366512111) > 1e-12 {
		t.Errorf("NMI %v", got)
	}
}

// gdsGraphs lists the projections of collabnet runs left on the server.
func gdsGraphs(t *testing.T, drv neo4j.DriverWithContext) []string {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), drv,
		"CALL gds.graph.list() YIELD graphName WHERE graphName STARTS WITH 'collabnet-' RETURN graphName", nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range res.Records {
		out = append(out, r.Values[0].(string))
	}
	return out
}

func TestGDSEngineFailures(t *testing.T) {
	s, drv, srv := gdsStore(t)
	ctx := context.Background()
	loadInto(t, srv, curated(t)...)

	t.Run("refused measures", func(t *testing.T) {
		for _, m := range []analysis.Measure{analysis.Eigenvector, analysis.Clustering} {
			_, err := s.AnalyzeGDS(ctx, analysis.Options{Measures: []analysis.Measure{m}}, GDSOptions{})
			if err == nil || !strings.Contains(err.Error(), "--engine go") {
				t.Errorf("%s: %v, want a refusal that names --engine go", m, err)
			}
		}
		_, err := s.AnalyzeGDS(ctx, analysis.Options{Measures: []analysis.Measure{analysis.Closeness}, WeightedPaths: true}, GDSOptions{})
		if err == nil || !strings.Contains(err.Error(), "hop distances") {
			t.Errorf("weighted closeness: %v", err)
		}
	})
	t.Run("no GDS", func(t *testing.T) {
		defer func(f string) { gdsVersionFunction = f }(gdsVersionFunction)
		gdsVersionFunction = "collabnetnogds.version" // as on a server without the plugin
		_, err := s.AnalyzeGDS(ctx, analysis.Options{}, GDSOptions{})
		if !errors.Is(err, ErrNoGDS) {
			t.Fatalf("got %v, want ErrNoGDS", err)
		}
		t.Log(err)
	})
	t.Run("not enough memory", func(t *testing.T) {
		_, err := s.AnalyzeGDS(ctx, analysis.Options{}, GDSOptions{MaxMemory: 1 << 10})
		if !errors.Is(err, ErrGDSMemory) || !strings.Contains(err.Error(), "MiB") {
			t.Fatalf("got %v, want ErrGDSMemory with the estimate", err)
		}
		t.Log(err)
		if g := gdsGraphs(t, drv); len(g) > 0 {
			t.Errorf("projections left behind: %v", g)
		}
	})
	t.Run("cancelled after the projection", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		gdsAfterProject = func(context.Context) { cancel() }
		defer func() { gdsAfterProject = nil }()
		_, err := s.AnalyzeGDS(cctx, analysis.Options{}, GDSOptions{})
		if err == nil {
			t.Fatal("a cancelled run succeeded")
		}
		if g := gdsGraphs(t, drv); len(g) > 0 {
			t.Errorf("projections left behind: %v", g)
		}
	})
	t.Run("success leaves nothing", func(t *testing.T) {
		if _, err := s.AnalyzeGDS(ctx, analysis.Options{Levels: []string{analysis.LevelCountry}}, GDSOptions{}); err != nil {
			t.Fatal(err)
		}
		if g := gdsGraphs(t, drv); len(g) > 0 {
			t.Errorf("projections left behind: %v", g)
		}
	})
}

// Clusters and Aura are reached with the routing scheme neo4j://; a
// single server answers it too.
func TestGDSEngineRouting(t *testing.T) {
	_, _, srv := gdsStore(t)
	loadInto(t, srv, curated(t)...)
	uri := strings.Replace(srv.URI, "bolt://", "neo4j://", 1)
	s := openTestStore(t, uri, srv)
	r, err := s.AnalyzeGDS(context.Background(), analysis.Options{Levels: []string{analysis.LevelOrg}, Measures: []analysis.Measure{analysis.Degree}}, GDSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Org.Nodes) == 0 {
		t.Fatal("no nodes over neo4j://")
	}
}
