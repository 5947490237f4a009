package report

import "math"

// Measure is a per-node measure the report ranks organisations by.
type Measure struct {
	Name string // as in the JSON output: degree, strength, ...
	Get  func(*NodeScore) float64
}

// Measures are the measures the report ranks by, in order.
var Measures = []Measure{
	{"degree", func(n *NodeScore) float64 { return float64(n.Degree) }},
	{"strength", func(n *NodeScore) float64 { return n.Strength }},
	{"betweenness", func(n *NodeScore) float64 { return n.Betweenness }},
	{"closeness", func(n *NodeScore) float64 { return float64(n.Closeness) }},
	{"harmonic", func(n *NodeScore) float64 { return float64(n.Harmonic) }},
	{"pagerank", func(n *NodeScore) float64 { return n.PageRank }},
	{"eigenvector", func(n *NodeScore) float64 { return n.Eigenvector }},
}

// tieTolerance: two scores closer than this (relative) share a rank, so
// that floating-point noise between symmetric nodes does not order them.
const tieTolerance = 1e-9

func tied(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tieTolerance*math.Max(math.Abs(a), math.Abs(b))
}

// Ranked returns the k nodes with the highest value of a measure (ties
// broken by ID, as Top does) with their standard competition ranks ("1224":
// tied nodes share a rank, the next rank counts them all), and how many
// nodes beyond the k tie with the last one shown.
func (l *Level) Ranked(k int, measure func(*NodeScore) float64) (top []NodeScore, ranks []int, tiedBeyond int) {
	all := l.Top(len(l.Nodes), measure)
	k = min(k, len(all))
	ranks = make([]int, k)
	for i := range k {
		if i > 0 && tied(measure(&all[i]), measure(&all[i-1])) {
			ranks[i] = ranks[i-1]
		} else {
			ranks[i] = i + 1
		}
	}
	if k > 0 {
		last := measure(&all[k-1])
		for i := k; i < len(all) && tied(measure(&all[i]), last); i++ {
			tiedBeyond++
		}
	}
	return all[:k], ranks, tiedBeyond
}
