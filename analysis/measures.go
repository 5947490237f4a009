package analysis

import (
	"fmt"
	"slices"
	"strings"
)

// Measure names a per-node measure, as in the JSON, CSV and table output
// and in --measures.
type Measure string

// The measures; analytics computes them (see its functions for the
// definitions and NetworkX conventions).
const (
	Degree      Measure = "degree"      // number of ties
	Strength    Measure = "strength"    // weighted degree
	Betweenness Measure = "betweenness" // normalised shortest-path betweenness
	Closeness   Measure = "closeness"   // Wasserman–Faust closeness
	Harmonic    Measure = "harmonic"    // harmonic centrality
	PageRank    Measure = "pagerank"    // PageRank, damping 0.85
	Eigenvector Measure = "eigenvector" // eigenvector centrality
	Clustering  Measure = "clustering"  // weighted clustering (Onnela)
	Community   Measure = "community"   // Louvain community; also the graph's modularity
)

// AllMeasures are every measure, in output order.
var AllMeasures = []Measure{Degree, Strength, Betweenness, Closeness, Harmonic, PageRank, Eigenvector, Clustering, Community}

// CheapMeasures are the measures whose cost grows about linearly with the
// ties (no all-pairs shortest paths, no neighbour-pair scan): they take
// seconds on networks of hundreds of thousands of organisations.
var CheapMeasures = []Measure{Degree, Strength, PageRank, Eigenvector, Community}

// ParseMeasures reads measure names (as --measures gives them, each
// possibly a comma-separated list; "all" and "cheap" name the sets) into a
// set in output order. An empty list is nil: the caller's default.
func ParseMeasures(names []string) ([]Measure, error) {
	set := map[Measure]bool{}
	for _, arg := range names {
		for _, n := range strings.Split(arg, ",") {
			n = strings.ToLower(strings.TrimSpace(n))
			switch {
			case n == "":
			case n == "all":
				for _, m := range AllMeasures {
					set[m] = true
				}
			case n == "cheap":
				for _, m := range CheapMeasures {
					set[m] = true
				}
			case slices.Contains(AllMeasures, Measure(n)):
				set[Measure(n)] = true
			default:
				return nil, fmt.Errorf("measure %q: want %s, all or cheap", n, joinMeasures(AllMeasures))
			}
		}
	}
	if len(set) == 0 {
		return nil, nil
	}
	var out []Measure
	for _, m := range AllMeasures {
		if set[m] {
			out = append(out, m)
		}
	}
	return out, nil
}

func joinMeasures(ms []Measure) string {
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = string(m)
	}
	return strings.Join(s, ", ")
}

// Value returns n's value of measure m as a float (NaN when unknown).
func (m Measure) Value(n *NodeScore) float64 {
	switch m {
	case Degree:
		return float64(n.Degree)
	case Strength:
		return n.Strength
	case Betweenness:
		return n.Betweenness
	case Closeness:
		return float64(n.Closeness)
	case Harmonic:
		return float64(n.Harmonic)
	case PageRank:
		return n.PageRank
	case Eigenvector:
		return n.Eigenvector
	case Clustering:
		return n.Clustering
	case Community:
		return float64(n.Community)
	}
	return 0
}

// Has reports whether the level computed measure m.
func (l *Level) Has(m Measure) bool { return slices.Contains(l.Measures, m) }
