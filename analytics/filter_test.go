package analytics

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"slices"
	"testing"
)

// The hand example: five agreements, {a,b,c} {a,b} {a,c} {b,d} {a}.
// Occurrences s: a 4, b 3, c 2, d 1. Co-occurrences c: ab 2, ac 2, bc 1,
// bd 1. The expected fractions are worked out by hand from van Eck &
// Waltman (2009).
func TestNormalizedHandExample(t *testing.T) {
	groups := [][]string{{"a", "b", "c"}, {"a", "b"}, {"a", "c"}, {"b", "d"}, {"a"}}
	g, err := ProjectGroups(context.Background(), nil, groups, FullCounting)
	if err != nil {
		t.Fatal(err)
	}
	occ := Occurrences(g, groups)
	if want := []float64{4, 3, 2, 1}; !slices.Equal(occ, want) {
		t.Fatalf("occurrences %v, want %v", occ, want)
	}
	// Ties in Edges order: ab, ac, bc, bd.
	want := map[Normalization][]float64{
		NormNone:        {2, 2, 1, 1},
		NormAssociation: {1.0 / 6, 1.0 / 4, 1.0 / 6, 1.0 / 3},
		NormCosine:      {1 / math.Sqrt(3), 1 / math.Sqrt(2), 1 / math.Sqrt(6), 1 / math.Sqrt(3)},
		NormJaccard:     {2.0 / 5, 1.0 / 2, 1.0 / 4, 1.0 / 3},
		NormInclusion:   {2.0 / 3, 1, 1.0 / 2, 1},
		NormEquivalence: {1.0 / 3, 1.0 / 2, 1.0 / 6, 1.0 / 3},
	}
	for n, w := range want {
		got, err := Normalized(g, g, occ, n)
		if err != nil {
			t.Fatal(err)
		}
		for i := range w {
			if math.Abs(got[i]-w[i]) > 1e-15 {
				t.Errorf("%s: tie %d = %v, want %v", n, i, got[i], w[i])
			}
		}
	}
}

func TestReweightedKeepsStructure(t *testing.T) {
	g, _ := ProjectGroups(context.Background(), nil, [][]string{{"a", "b", "c"}, {"b", "d"}}, FullCounting)
	h, err := g.Reweighted([]float64{1, 2, 3, 4}) // ab ac bc bd
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		u, v string
		w    float64
	}{{"a", "b", 1}, {"a", "c", 2}, {"b", "c", 3}, {"b", "d", 4}} {
		i, _ := h.Index(c.u)
		j, _ := h.Index(c.v)
		if w1, _ := h.Weight(i, j); w1 != c.w {
			t.Errorf("%s–%s = %v, want %v", c.u, c.v, w1, c.w)
		}
		if w2, _ := h.Weight(j, i); w2 != c.w {
			t.Errorf("%s–%s (reverse) = %v, want %v", c.v, c.u, w2, c.w)
		}
	}
	if _, err := g.Reweighted([]float64{1, 0, 1, 1}); err == nil {
		t.Error("a zero weight was accepted")
	}
}

// The disparity filter against a reference written from the paper
// (eq. 2 integrated numerically with SciPy) on Les Misérables:
// analysis/testdata/make_fixtures.py.
func TestDisparityAlphaLesMis(t *testing.T) {
	var fx struct {
		Edges []struct {
			Source, Target string
			Weight, Alpha  float64
		}
		Kept map[string][][2]string
	}
	b, err := os.ReadFile("testdata/disparity_lesmis.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	bl := NewBuilder()
	for _, e := range fx.Edges {
		bl.AddTie(e.Source, e.Target, e.Weight)
	}
	g, err := bl.Build()
	if err != nil {
		t.Fatal(err)
	}
	alpha := DisparityAlpha(g)
	ref := map[[2]string]float64{}
	for _, e := range fx.Edges {
		ref[[2]string{e.Source, e.Target}] = e.Alpha
	}
	for i, e := range g.Edges() {
		k := [2]string{g.Node(e.U).ID, g.Node(e.V).ID}
		if math.Abs(alpha[i]-ref[k]) > 1e-9 {
			t.Errorf("α(%s–%s) = %v, reference %v", k[0], k[1], alpha[i], ref[k])
		}
	}
	for _, level := range []struct {
		name string
		a    float64
	}{{"0.05", 0.05}, {"0.2", 0.2}} {
		var kept [][2]string
		for i, e := range g.Edges() {
			if alpha[i] < level.a {
				kept = append(kept, [2]string{g.Node(e.U).ID, g.Node(e.V).ID})
			}
		}
		if !slices.Equal(kept, fx.Kept[level.name]) {
			t.Errorf("α < %s keeps %v, reference %v", level.name, kept, fx.Kept[level.name])
		}
	}
}

func TestSubgraphAndStrongest(t *testing.T) {
	g, _ := ProjectGroups(context.Background(), nil, [][]string{{"a", "b", "c"}, {"a", "b"}, {"c", "d"}, {"c", "d"}, {"c", "d"}}, FullCounting)
	// ab 2, ac 1, bc 1, cd 3
	keep := StrongestTies(g, 2)
	if !slices.Equal(keep, []bool{true, false, false, true}) {
		t.Fatalf("strongest 2 = %v", keep)
	}
	h := g.Subgraph([]bool{true, true, false, true}, keep)
	if h.N() != 3 || h.M() != 1 {
		t.Fatalf("subgraph has %d nodes, %d ties; want 3, 1 (a–b)", h.N(), h.M())
	}
	if w, ok := h.Weight(0, 1); !ok || w != 2 {
		t.Errorf("a–b = %v, want 2", w)
	}
	// Equal weights: the choice goes by the ends' IDs (ac before bc).
	keep = StrongestTies(g, 3)
	if !slices.Equal(keep, []bool{true, true, false, true}) {
		t.Errorf("strongest 3 = %v, want ab, ac, cd", keep)
	}
}
