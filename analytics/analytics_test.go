package analytics

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

func tie(t *testing.T, g *Network, a, b string) float64 {
	t.Helper()
	i, ok1 := g.Index(a)
	j, ok2 := g.Index(b)
	if !ok1 || !ok2 {
		t.Fatalf("missing node %s or %s", a, b)
	}
	w, _ := g.Weight(i, j)
	return w
}

func TestBuilder(t *testing.T) {
	b := NewBuilder()
	b.AddNode(Node{ID: "z", Name: "Zeta"})
	b.AddTie("b", "a", 1)
	b.AddTie("a", "b", 2.5) // repeated tie, reversed: adds up
	b.AddTie("a", "a", 7)   // self-tie: counted, dropped
	b.AddTie("c", "b", 1)
	b.AddNode(Node{ID: "a", Country: "FR"})
	b.AddNode(Node{ID: "a", Country: "DE"}) // first non-empty wins
	g, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, n := range g.Nodes() {
		ids = append(ids, n.ID)
	}
	if !slices.Equal(ids, []string{"a", "b", "c", "z"}) {
		t.Fatalf("node order %v, want sorted by ID", ids)
	}
	if g.M() != 2 || tie(t, g, "a", "b") != 3.5 || tie(t, g, "b", "c") != 1 {
		t.Errorf("ties: m=%d a-b=%g b-c=%g", g.M(), tie(t, g, "a", "b"), tie(t, g, "b", "c"))
	}
	if info := g.Info(); info.SelfTies != 1 || info.SelfWeight != 7 {
		t.Errorf("info %+v, want one self-tie of weight 7", info)
	}
	if n := g.Node(0); n.Country != "FR" {
		t.Errorf("node a = %+v, want country FR", n)
	}
	if n := g.Node(3); n.Name != "Zeta" || g.Degree(3) != 0 {
		t.Errorf("isolated node z = %+v degree %d", n, g.Degree(3))
	}
	edges := g.Edges()
	if len(edges) != 2 || edges[0] != (Edge{0, 1, 3.5}) || edges[1] != (Edge{1, 2, 1}) {
		t.Errorf("edges %v", edges)
	}
	for _, w := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		b := NewBuilder()
		b.AddTie("a", "b", w)
		if _, err := b.Build(); err == nil {
			t.Errorf("weight %v accepted", w)
		}
	}
}

// The hand-computed example of the package documentation:
//
//	P1 = {A,B,C}, P2 = {A,B}, P3 = {C,D,D}, P4 = {E}, P5 = {A,B,C,D}
func TestProjectGroups(t *testing.T) {
	groups := [][]string{{"A", "B", "C"}, {"B", "A"}, {"C", "D", "D"}, {"E"}, {"D", "C", "B", "A"}}
	nodes := []Node{{ID: "A", Name: "Alpha", Country: "FR"}, {ID: "F", Name: "lonely"}}
	for _, tc := range []struct {
		counting Counting
		want     map[[2]string]float64
	}{
		{FullCounting, map[[2]string]float64{
			{"A", "B"}: 3, {"A", "C"}: 2, {"B", "C"}: 2, {"C", "D"}: 2, {"A", "D"}: 1, {"B", "D"}: 1}},
		// Pair weight 1/(k-1): P1 → 1/2, P2 → 1, P3 (C,D once) → 1, P5 → 1/3.
		{FractionalCounting, map[[2]string]float64{
			{"A", "B"}: 0.5 + 1 + 1.0/3, {"A", "C"}: 0.5 + 1.0/3, {"B", "C"}: 0.5 + 1.0/3,
			{"C", "D"}: 1 + 1.0/3, {"A", "D"}: 1.0 / 3, {"B", "D"}: 1.0 / 3}},
	} {
		g, err := ProjectGroups(context.Background(), nodes, groups, tc.counting)
		if err != nil {
			t.Fatal(err)
		}
		if g.N() != 6 || g.M() != len(tc.want) {
			t.Fatalf("counting %d: n=%d m=%d", tc.counting, g.N(), g.M())
		}
		for p, w := range tc.want {
			if got := tie(t, g, p[0], p[1]); !near(got, w) {
				t.Errorf("counting %d: %s-%s = %g, want %g", tc.counting, p[0], p[1], got, w)
			}
		}
		info := g.Info()
		if info.Groups != 5 || info.SmallGroups != 1 || info.RepeatedMembers != 1 {
			t.Errorf("info %+v", info)
		}
		if a, _ := g.Index("A"); g.Node(a).Name != "Alpha" || g.Node(a).Country != "FR" {
			t.Errorf("node A lost its metadata: %+v", g.Node(a))
		}
		if tc.counting == FractionalCounting {
			// Each member receives exactly 1 per group of ≥ 2 members.
			for id, groupsIn := range map[string]float64{"A": 3, "B": 3, "C": 3, "D": 2, "E": 0, "F": 0} {
				i, _ := g.Index(id)
				if s := g.Strength(i); !near(s, groupsIn) {
					t.Errorf("fractional strength of %s = %g, want %g", id, s, groupsIn)
				}
			}
		}
	}
	if _, err := ProjectGroups(context.Background(), nil, [][]string{{"A", ""}}, FullCounting); err == nil {
		t.Error("empty member ID accepted")
	}
}

// ProjectGroups must agree with the obvious pair-by-pair construction.
func TestProjectGroupsMatchesBuilder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var groups [][]string
	for range 400 {
		k := 1 + rng.IntN(12)
		var grp []string
		for range k {
			grp = append(grp, fmt.Sprintf("o%03d", rng.IntN(300)))
		}
		groups = append(groups, grp)
	}
	for _, counting := range []Counting{FullCounting, FractionalCounting} {
		g, err := ProjectGroups(context.Background(), nil, groups, counting)
		if err != nil {
			t.Fatal(err)
		}
		b := NewBuilder()
		for _, grp := range groups {
			d := slices.Compact(slices.Sorted(slices.Values(grp)))
			for _, id := range d {
				b.AddNode(Node{ID: id})
			}
			w := 1.0
			if counting == FractionalCounting {
				w = 1 / float64(len(d)-1)
			}
			for x := range d {
				for y := x + 1; y < len(d); y++ {
					b.AddTie(d[x], d[y], w)
				}
			}
		}
		ref, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(g.Nodes(), ref.Nodes()) || !slices.Equal(g.off, ref.off) || !slices.Equal(g.adj, ref.adj) {
			t.Fatalf("counting %d: structure differs from the pairwise build", counting)
		}
		for k := range g.w {
			if g.w[k] != ref.w[k] { // same summation order: bit-identical
				t.Fatalf("counting %d: weight %d = %v, pairwise %v", counting, k, g.w[k], ref.w[k])
			}
		}
	}
}

// Hand-computed: FR a1,a2; DE b1; IT c1; x without country.
func TestCountryNetwork(t *testing.T) {
	b := NewBuilder()
	for _, n := range []Node{{ID: "a1", Country: "FR"}, {ID: "a2", Country: "FR"},
		{ID: "b1", Country: "DE"}, {ID: "c1", Country: "IT"}, {ID: "x"}} {
		b.AddNode(n)
	}
	b.AddTie("a1", "a2", 2)   // domestic FR
	b.AddTie("a1", "b1", 1)   // DE-FR
	b.AddTie("a2", "b1", 3)   // DE-FR
	b.AddTie("b1", "c1", 0.5) // DE-IT
	b.AddTie("c1", "x", 4)    // x has no country
	b.AddTie("a1", "c1", 1)   // FR-IT
	org, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	cn, err := CountryNetwork(org, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cn.N() != 3 || cn.M() != 3 {
		t.Fatalf("n=%d m=%d, want 3 countries, 3 ties", cn.N(), cn.M())
	}
	for p, w := range map[[2]string]float64{{"DE", "FR"}: 4, {"DE", "IT"}: 0.5, {"FR", "IT"}: 1} {
		if got := tie(t, cn.Network, p[0], p[1]); got != w {
			t.Errorf("%s-%s = %g, want %g", p[0], p[1], got, w)
		}
	}
	fr, _ := cn.Index("FR")
	if cn.Domestic[fr] != 2 || cn.DomesticTies[fr] != 1 || cn.Unlocated != 1 || cn.UnlocatedWeight != 4 {
		t.Errorf("domestic FR %g (%d ties), unlocated %d (%g)", cn.Domestic[fr], cn.DomesticTies[fr], cn.Unlocated, cn.UnlocatedWeight)
	}
	want := []CountryFigure{
		{Country: "DE", Partners: 2, LinkStrength: 4.5, Domestic: 0, InternationalShare: 1},
		{Country: "FR", Partners: 2, LinkStrength: 5, Domestic: 2, InternationalShare: 5.0 / 7},
		{Country: "IT", Partners: 2, LinkStrength: 1.5, Domestic: 0, InternationalShare: 1},
	}
	if got := cn.Figures(); !slices.Equal(got, want) {
		t.Errorf("figures\n got %+v\nwant %+v", got, want)
	}
	// Association strength: 2m = 4.5+5+1.5 = 11; a(DE,FR) = 11·4/(4.5·5).
	as := AssociationStrength(cn.Network)
	if got := tie(t, as, "DE", "FR"); !near(got, 11*4/(4.5*5)) {
		t.Errorf("association strength DE-FR = %g", got)
	}
	if got := tie(t, as, "FR", "DE"); got != tie(t, as, "DE", "FR") {
		t.Error("association strength not symmetric")
	}

	sub, err := CountryNetwork(org, []string{"FR", "DE"})
	if err != nil {
		t.Fatal(err)
	}
	if sub.N() != 2 || sub.M() != 1 || tie(t, sub.Network, "DE", "FR") != 4 || sub.Excluded != 1 {
		t.Errorf("filtered: n=%d m=%d excluded=%d", sub.N(), sub.M(), sub.Excluded)
	}
	if fr, _ := sub.Index("FR"); sub.Domestic[fr] != 2 {
		t.Errorf("filtered domestic FR = %g", sub.Domestic[fr])
	}
}

// randomNetwork is a seeded G(n, m) with integer weights 1..5, some of them
// repeated so weighted paths have exact ties.
func randomNetwork(t testing.TB, n, m int, seed uint64) *Network {
	rng := rand.New(rand.NewPCG(seed, 0))
	b := NewBuilder()
	for i := range n {
		b.AddNode(Node{ID: fmt.Sprintf("n%05d", i)})
	}
	for range m {
		u, v := rng.IntN(n), rng.IntN(n)
		b.AddTie(fmt.Sprintf("n%05d", u), fmt.Sprintf("n%05d", v), float64(1+rng.IntN(5)))
	}
	g, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func bitsEqual(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// Results must be bit-identical run to run and whatever the worker count.
func TestPathCentralityDeterministic(t *testing.T) {
	g := randomNetwork(t, 600, 2400, 3)
	ctx := context.Background()
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	}
	for _, weighted := range []bool{false, true} {
		var ref *PathScores
		workerCounts := []int{1, 0, 3, 8, 0}
		if testing.Short() {
			workerCounts = []int{1, 3} // one and several workers differ, if anything does
		}
		for _, workers := range workerCounts {
			ps, err := PathCentrality(ctx, g, PathOptions{WeightedPaths: weighted, Workers: workers})
			if err != nil {
				t.Fatal(err)
			}
			if ref == nil {
				ref = ps
				continue
			}
			if !bitsEqual(ps.Betweenness, ref.Betweenness) || !bitsEqual(ps.Closeness, ref.Closeness) || !bitsEqual(ps.Harmonic, ref.Harmonic) {
				t.Fatalf("weighted=%v workers=%d: results differ from the single-worker run", weighted, workers)
			}
		}
		// Closeness and harmonic alone (multi-source BFS for hops) are
		// the same bits as from Brandes' sweeps, whatever the workers,
		// for all sources and for a sample (NaN for the others).
		sample := SampleSources(g.N(), 150, 9)
		sampled, err := PathCentrality(ctx, g, PathOptions{WeightedPaths: weighted, Sources: sample})
		if err != nil {
			t.Fatal(err)
		}
		for _, workers := range []int{1, 0, 3} {
			ps, err := PathCentrality(ctx, g, PathOptions{WeightedPaths: weighted, NoBetweenness: true, Workers: workers})
			if err != nil {
				t.Fatal(err)
			}
			if ps.Betweenness != nil || !bitsEqual(ps.Closeness, ref.Closeness) || !bitsEqual(ps.Harmonic, ref.Harmonic) {
				t.Errorf("weighted=%v workers=%d: NoBetweenness changed closeness/harmonic", weighted, workers)
			}
			ps, err = PathCentrality(ctx, g, PathOptions{WeightedPaths: weighted, NoBetweenness: true, Workers: workers, Sources: sample})
			if err != nil {
				t.Fatal(err)
			}
			if !bitsEqual(ps.Closeness, sampled.Closeness) || !bitsEqual(ps.Harmonic, sampled.Harmonic) {
				t.Errorf("weighted=%v workers=%d: sampled NoBetweenness changed closeness/harmonic", weighted, workers)
			}
		}
	}
	c1, _ := Clustering(ctx, g, true, 1)
	c2, _ := Clustering(ctx, g, true, 5)
	if !bitsEqual(c1, c2) {
		t.Error("clustering depends on the worker count")
	}
}

// Sampling every node must give exactly the exact betweenness scaled as
// NetworkX does for k = n (sources scaled by 1/(k-1) instead of 1/k).
func TestSampledAllSources(t *testing.T) {
	g := randomNetwork(t, 200, 600, 9)
	ctx := context.Background()
	exact, err := PathCentrality(ctx, g, PathOptions{})
	if err != nil {
		t.Fatal(err)
	}
	src := SampleSources(g.N(), g.N()+5, 1)
	all, err := PathCentrality(ctx, g, PathOptions{Sources: src})
	if err != nil {
		t.Fatal(err)
	}
	n := float64(g.N())
	for i := range exact.Betweenness {
		// exact: /((n-1)(n-2)); all-sources sample: /((n-1)(n-2)) too.
		if !near(all.Betweenness[i], exact.Betweenness[i]) {
			t.Fatalf("node %d: %g vs exact %g (n=%g)", i, all.Betweenness[i], exact.Betweenness[i], n)
		}
	}
	a := SampleSources(1000, 50, 42)
	b := SampleSources(1000, 50, 42)
	c := SampleSources(1000, 50, 43)
	if !slices.Equal(a, b) || slices.Equal(a, c) || len(slices.Compact(slices.Sorted(slices.Values(a)))) != 50 {
		t.Errorf("SampleSources not a seeded sample of distinct nodes: %v", a[:5])
	}
	// Fixed values: scripts/bench-analytics re-implements the generator.
	if got := SampleSources(10, 3, 7); !slices.Equal(got, []int{7, 0, 4}) {
		t.Errorf("SampleSources(10,3,7) = %v, want [7 0 4]", got)
	}
	if _, err := PathCentrality(ctx, g, PathOptions{Sources: []int{1, 1}}); err == nil {
		t.Error("duplicate sources accepted")
	}
	if _, err := PathCentrality(ctx, g, PathOptions{Sources: []int{-1}}); !errors.Is(err, ErrSourceRange) {
		t.Errorf("bad source: %v", err)
	}
}

// A run stopped by its deadline is the sampled run of the sources it swept:
// the same betweenness, rescaled for them, and closeness for those sources
// only. Permutation's prefixes are SampleSources' samples.
func TestDeadlineKeepsSweptSources(t *testing.T) {
	g := randomNetwork(t, 400, 1600, 5)
	ctx := context.Background()
	perm := Permutation(g.N(), 3)
	for _, k := range []int{1, 17, 399, 400} {
		if got := SampleSources(g.N(), k, 3); k < g.N() && !slices.Equal(got, perm[:k]) {
			t.Fatalf("SampleSources(n, %d) is not the first %d of Permutation", k, k)
		}
	}
	// The first chunk's report sleeps past the deadline: the run stops
	// before the last sources.
	var deadline time.Time
	cut, err := PathCentrality(ctx, g, PathOptions{Sources: perm, Workers: 2, Progress: func(done, total int) {
		time.Sleep(time.Until(deadline) + 5*time.Millisecond)
	}, Deadline: func() time.Time { deadline = time.Now().Add(20 * time.Millisecond); return deadline }()})
	if err != nil {
		t.Fatal(err)
	}
	var swept []int
	for _, s := range perm {
		if !math.IsNaN(cut.Closeness[s]) {
			swept = append(swept, s)
		}
	}
	if cut.Swept != len(swept) || cut.Swept < 1 || cut.Swept >= g.N() {
		t.Fatalf("swept %d sources (%d with closeness) of %d", cut.Swept, len(swept), g.N())
	}
	same, err := PathCentrality(ctx, g, PathOptions{Sources: swept})
	if err != nil {
		t.Fatal(err)
	}
	for i := range same.Betweenness {
		if !near(cut.Betweenness[i], same.Betweenness[i]) && !(math.IsNaN(cut.Betweenness[i]) && math.IsNaN(same.Betweenness[i])) {
			t.Fatalf("node %d: betweenness cut by the deadline %g, sampled from the same sources %g", i, cut.Betweenness[i], same.Betweenness[i])
		}
		if !bitsEqual([]float64{cut.Closeness[i]}, []float64{same.Closeness[i]}) {
			t.Fatalf("node %d: closeness %g vs %g", i, cut.Closeness[i], same.Closeness[i])
		}
	}
	// A deadline not reached changes nothing but the order of the sums.
	full, err := PathCentrality(ctx, g, PathOptions{Sources: perm, Deadline: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	exact, _ := PathCentrality(ctx, g, PathOptions{})
	for i := range exact.Betweenness {
		if full.Swept != g.N() || !near(full.Betweenness[i], exact.Betweenness[i]) {
			t.Fatalf("node %d: %g within the deadline, exact %g", i, full.Betweenness[i], exact.Betweenness[i])
		}
	}
}

func TestCancel(t *testing.T) {
	g := randomNetwork(t, 500, 2000, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := PathCentrality(ctx, g, PathOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("PathCentrality on a cancelled context: %v", err)
	}
	if _, err := analyzeAll(ctx, g, PathOptions{}, LouvainOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Analyze on a cancelled context: %v", err)
	}
}

func TestLouvain(t *testing.T) {
	for _, fx := range loadFixtures(t) {
		if fx.Name != "karate" && fx.Name != "lesmis" {
			continue
		}
		g := fx.network(t)
		for _, useGonum := range []bool{false, true} {
			testLouvainOn(t, fx, g, useGonum)
		}
	}
	// Ours and Gonum's optimise the same Q: on a larger graph they should
	// land close to each other.
	g := randomNetwork(t, 400, 1600, 11)
	ours, err := Louvain(t.Context(), g, LouvainOptions{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	theirs := louvainWith(g, LouvainOptions{Seed: 3}, true)
	if math.Abs(ours.Q-theirs.Q) > 0.02 {
		t.Errorf("random graph: Q %g (ours) vs %g (gonum)", ours.Q, theirs.Q)
	}
	t.Logf("random 400/1600: Q ours %.4f gonum %.4f", ours.Q, theirs.Q)
}

func testLouvainOn(t *testing.T, fx fixture, g *Network, useGonum bool) {
	{
		p1 := louvainWith(g, LouvainOptions{Seed: 7}, useGonum)
		p2 := louvainWith(g, LouvainOptions{Seed: 7}, useGonum)
		if !slices.Equal(p1.Membership, p2.Membership) || p1.Q != p2.Q {
			t.Errorf("%s: Louvain with the same seed differs", fx.Name)
		}
		q, _ := Modularity(g, p1.Membership, 1)
		if q != p1.Q {
			t.Errorf("%s: Q %g vs Modularity %g", fx.Name, p1.Q, q)
		}
		// The Louvain optimum should not be worse than the reference
		// split NetworkX's own Louvain found (within a small margin).
		for _, p := range fx.Expected.Partitions {
			if p.Name == "nx-louvain" && p1.Q < p.Modularity-0.02 {
				t.Errorf("%s: Q = %g, NetworkX Louvain reached %g", fx.Name, p1.Q, p.Modularity)
			}
		}
		// Labels: sizes non-increasing, 0..k-1 all used.
		if !slices.IsSortedFunc(p1.Sizes, func(a, b int) int { return b - a }) {
			t.Errorf("%s: sizes not sorted: %v", fx.Name, p1.Sizes)
		}
		count := make([]int, len(p1.Sizes))
		for _, c := range p1.Membership {
			count[c]++
		}
		if !slices.Equal(count, p1.Sizes) {
			t.Errorf("%s: sizes %v, counted %v", fx.Name, p1.Sizes, count)
		}
		// A higher resolution splits at least as finely here.
		hi := louvainWith(g, LouvainOptions{Seed: 7, Resolution: 2}, useGonum)
		if len(hi.Sizes) < len(p1.Sizes) {
			t.Errorf("%s: γ=2 gave %d communities, γ=1 %d", fx.Name, len(hi.Sizes), len(p1.Sizes))
		}
		t.Logf("%s (gonum=%v): %d communities, Q=%.4f", fx.Name, useGonum, len(p1.Sizes), p1.Q)
	}
}

func TestAnalyzeAndEdgeCases(t *testing.T) {
	ctx := context.Background()
	empty, _ := NewBuilder().Build()
	r, err := analyzeAll(ctx, empty, PathOptions{}, LouvainOptions{})
	if err != nil || r.Summary.Nodes != 0 || len(r.PageRank) != 0 {
		t.Fatalf("empty network: %+v %v", r, err)
	}
	b := NewBuilder()
	b.AddNode(Node{ID: "solo"})
	one, _ := b.Build()
	r, err = analyzeAll(ctx, one, PathOptions{}, LouvainOptions{})
	if err != nil || r.PageRank[0] != 1 || r.Betweenness[0] != 0 || r.Closeness[0] != 0 || r.Community.Q != 0 {
		t.Fatalf("one node: %+v %v", r, err)
	}
	g := randomNetwork(t, 300, 900, 5)
	r, err = analyzeAll(ctx, g, PathOptions{}, LouvainOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if r.Summary.Nodes != 300 || r.Summary.Edges != g.M() || len(r.Warnings) != 0 {
		t.Errorf("summary %+v warnings %v", r.Summary, r.Warnings)
	}
	var sum float64
	for _, x := range r.PageRank {
		sum += x
	}
	if !near(sum, 1) {
		t.Errorf("PageRank sums to %g", sum)
	}
	r2, _ := analyzeAll(ctx, g, PathOptions{}, LouvainOptions{Seed: 1})
	if !bitsEqual(r.Betweenness, r2.Betweenness) || !bitsEqual(r.Eigenvector, r2.Eigenvector) ||
		!bitsEqual(r.PageRank, r2.PageRank) || !slices.Equal(r.Community.Membership, r2.Community.Membership) {
		t.Error("Analyze is not reproducible")
	}
}

// PageRank and eigenvector centrality run their steps in parallel blocks:
// the result must be the same bits whatever the number of workers.
func TestPowerDeterministic(t *testing.T) {
	g := randomNetwork(t, 5000, 20000, 5)
	for _, f := range []func(*Network, PowerOptions) ([]float64, error){PageRank, Eigenvector} {
		ref, err := f(g, PowerOptions{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []int{2, 3, 0} {
			got, err := f(g, PowerOptions{Workers: w})
			if err != nil || !bitsEqual(got, ref) {
				t.Errorf("workers %d: err %v, results differ from one worker", w, err)
			}
		}
	}
}

// Progress counts every source once, in increasing order, up to the total,
// for Brandes' sweeps and for the multi-source BFS alike.
func TestPathProgress(t *testing.T) {
	g := randomNetwork(t, 300, 900, 7)
	for _, opt := range []PathOptions{{}, {NoBetweenness: true}, {NoCloseness: true, Sources: SampleSources(300, 40, 1)}} {
		last, calls := 0, 0
		opt.Progress = func(done, total int) {
			calls++
			if done <= last || done > total {
				t.Fatalf("%+v: progress %d of %d after %d", opt, done, total, last)
			}
			last = done
		}
		if _, err := PathCentrality(context.Background(), g, opt); err != nil {
			t.Fatal(err)
		}
		want := 300
		if opt.Sources != nil {
			want = len(opt.Sources)
		}
		if last != want || calls == 0 {
			t.Errorf("NoBetweenness=%v: progress ended at %d of %d after %d calls", opt.NoBetweenness, last, want, calls)
		}
	}
}

// allResult is every measure of the package on one network, for the
// edge-case test and the whole-analysis benchmark (package analysis runs
// the measures through its registry; this runs them directly).
type allResult struct {
	Summary                           Summary
	Betweenness, Closeness, Harmonic  []float64
	PageRank, Eigenvector, Clustering []float64
	Community                         *Partition
	Warnings                          []string
}

func analyzeAll(ctx context.Context, g *Network, paths PathOptions, louvain LouvainOptions) (*allResult, error) {
	r := &allResult{Summary: Summarize(g)}
	ps, err := PathCentrality(ctx, g, paths)
	if err != nil {
		return nil, err
	}
	r.Betweenness, r.Closeness, r.Harmonic = ps.Betweenness, ps.Closeness, ps.Harmonic
	power := func(f func(*Network, PowerOptions) ([]float64, error)) ([]float64, error) {
		x, err := f(g, PowerOptions{Workers: paths.Workers})
		if errors.Is(err, ErrNotConverged) {
			r.Warnings = append(r.Warnings, err.Error())
			err = nil
		}
		return x, err
	}
	if r.PageRank, err = power(PageRank); err != nil {
		return nil, err
	}
	if r.Eigenvector, err = power(Eigenvector); err != nil {
		return nil, err
	}
	if r.Clustering, err = Clustering(ctx, g, true, paths.Workers); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if r.Community, err = Louvain(ctx, g, louvain); err != nil {
		return nil, err
	}
	return r, nil
}

// (A test reference: the network normalisation lives in normalize.go.)
// AssociationStrength returns a copy of g whose tie weights are normalised
// by the association strength used by VOSviewer:
//
//	a_ij = 2m · w_ij / (s_i · s_j)
//
// where s_i is the strength of i and 2m = Σ_i s_i is twice the total weight.
// a_ij is the observed weight divided by the weight expected if ties formed
// at random in proportion to the strengths (the configuration null model,
// expected w_ij = s_i s_j / 2m), so 1 means "as expected" and large
// countries no longer dominate simply by size. VOSviewer's similarity
// s_ij = c_ij / (w_i w_j) (van Eck & Waltman 2009, JASIST 60, 1635) is the
// same up to the constant 2m; the scaled form is the one of Waltman, van Eck
// & Noyons (2010, J. Informetrics 4, 629) and keeps weights near 1.
func AssociationStrength(g *Network) *Network {
	n := g.N()
	s := make([]float64, n)
	var m2 float64
	for i := 0; i < n; i++ {
		s[i] = g.Strength(i)
		m2 += s[i]
	}
	w := make([]float64, len(g.w))
	for u := 0; u < n; u++ {
		for k := g.off[u]; k < g.off[u+1]; k++ {
			w[k] = m2 * g.w[k] / (s[u] * s[g.adj[k]])
		}
	}
	return &Network{nodes: g.nodes, index: g.index, off: g.off, adj: g.adj, w: w, info: g.info}
}

// The unweighted coefficient counts triangles in integers: it must equal
// the definition (tied pairs of neighbours over all pairs, counted pair by
// pair) exactly, whatever the number of workers, with 32- or 64-bit
// counters, and stop on a cancelled context.
func TestClusteringUnweightedDefinition(t *testing.T) {
	ctx := context.Background()
	for _, g := range []*Network{randomNetwork(t, 300, 6000, 3), randomNetwork(t, 2000, 3000, 4)} {
		want := make([]float64, g.N())
		for i := range want {
			nb, _ := g.Neighbors(i)
			d := len(nb)
			if d < 2 {
				continue
			}
			tied := 0
			for a := range nb {
				for b := a + 1; b < d; b++ {
					if _, ok := g.Weight(int(nb[a]), int(nb[b])); ok {
						tied++
					}
				}
			}
			want[i] = 2 * float64(tied) / float64(d*(d-1))
		}
		for _, workers := range []int{1, 3, 8} {
			got, err := Clustering(ctx, g, false, workers)
			if err != nil {
				t.Fatal(err)
			}
			if !bitsEqual(got, want) {
				t.Errorf("n=%d workers=%d: differs from the definition", g.N(), workers)
			}
		}
		func() {
			defer func(d int) { narrowCountsDegree = d }(narrowCountsDegree)
			narrowCountsDegree = 0
			got, err := Clustering(ctx, g, false, 2)
			if err != nil {
				t.Fatal(err)
			}
			if !bitsEqual(got, want) {
				t.Errorf("n=%d, 64-bit counts: differs from the definition", g.N())
			}
		}()
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Clustering(cctx, randomNetwork(t, 500, 2000, 1), false, 2); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
