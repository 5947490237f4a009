package analytics

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
)

// readCaseGroups reads a participations case file (project, pic, name,
// country, type) into nodes and per-project member lists, in file order.
func readCaseGroups(t *testing.T, name string) ([]Node, [][]string) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var nodes []Node
	groupOf := map[string]int{}
	var groups [][]string
	for _, r := range rows[1:] {
		project, pic := r[0], r[1]
		nodes = append(nodes, Node{ID: pic, Name: r[2], Country: r[3]})
		g, ok := groupOf[project]
		if !ok {
			g = len(groups)
			groupOf[project] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], pic)
	}
	return nodes, groups
}

// The case from ../shared/cases/analytics: Org S reaches Org T directly
// (one shared project: length 1) and through Org A and Org B (2, 3 and 6
// shared projects: 1/2+1/3+1/6, also 1, but not in floating point). Both
// routes are shortest, so A and B each lie on half the S–T paths and on the
// only S–B and A–T paths: betweenness (1/2+1)/3 = 0.5 exactly, as exact
// arithmetic and igraph give. Compared with ==, the route through A and B
// came out 1.0000000000000002 and was dropped.
func TestWeightedPathFloatTies(t *testing.T) {
	nodes, groups := readCaseGroups(t, "weighted_paths_float_ties.csv")
	g, err := ProjectGroups(context.Background(), nodes, groups, FullCounting)
	if err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 2} {
		ps, err := PathCentrality(context.Background(), g, PathOptions{WeightedPaths: true, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]float64{"Org S": 0, "Org A": 0.5, "Org B": 0.5, "Org T": 0}
		for i, n := range g.Nodes() {
			if ps.Betweenness[i] != want[n.Name] {
				t.Errorf("workers %d: betweenness of %s = %.17g, want exactly %g", workers, n.Name, ps.Betweenness[i], want[n.Name])
			}
		}
	}
}
