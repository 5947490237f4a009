package report

import "github.com/collabnet/collabnet/analysis"

// Measure is a per-node measure the report ranks organisations by.
type Measure struct {
	Name string // as in the JSON output: degree, strength, ...
	Get  func(*analysis.NodeScore) float64
}

// Measures are the measures the report ranks by, in order, when they were
// computed. The report computes every measure unless --measures says
// otherwise: its pages, report.json and method notes show them all.
var Measures = []Measure{
	{"degree", func(n *analysis.NodeScore) float64 { return float64(n.Degree) }},
	{"strength", func(n *analysis.NodeScore) float64 { return n.Strength }},
	{"betweenness", func(n *analysis.NodeScore) float64 { return n.Betweenness }},
	{"closeness", func(n *analysis.NodeScore) float64 { return float64(n.Closeness) }},
	{"harmonic", func(n *analysis.NodeScore) float64 { return float64(n.Harmonic) }},
	{"pagerank", func(n *analysis.NodeScore) float64 { return n.PageRank }},
	{"eigenvector", func(n *analysis.NodeScore) float64 { return n.Eigenvector }},
}
