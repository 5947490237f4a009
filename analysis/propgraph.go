package analysis

import (
	"math"
	"strconv"

	"github.com/collabnet/collabnet/graph"
)

// Node labels of the analysed networks, for exports.
const (
	labelOrgNode     = graph.LabelOrganization
	labelCountryNode = graph.LabelCountry
	tieType          = "TIE"
)

// Graph is the property-graph view of an analysed network: its nodes with
// every score as an attribute (so Gephi can size and colour by them) and its
// weighted ties, undirected.
func (l *Level) PropGraph() graph.PropGraph { return levelGraph{l} }

type levelGraph struct{ l *Level }

func (g levelGraph) Nodes(yield func(graph.PropNode) bool) {
	label := labelOrgNode
	if g.l.Level == "country" {
		label = labelCountryNode
	}
	for _, n := range g.l.Nodes {
		ps := []graph.Prop{{Key: "name", Value: n.Name}}
		if n.NameEN != "" {
			ps = append(ps, graph.Prop{Key: "name_en", Value: n.NameEN})
		}
		if n.Country != "" {
			ps = append(ps, graph.Prop{Key: "country", Value: n.Country})
		}
		ps = append(ps,
			graph.Prop{Key: "degree", Value: int64(n.Degree)},
			graph.Prop{Key: "strength", Value: n.Strength},
			graph.Prop{Key: "betweenness", Value: n.Betweenness},
			graph.Prop{Key: "closeness", Value: known(float64(n.Closeness))},
			graph.Prop{Key: "harmonic", Value: known(float64(n.Harmonic))},
			graph.Prop{Key: "pagerank", Value: n.PageRank},
			graph.Prop{Key: "eigenvector", Value: n.Eigenvector},
			graph.Prop{Key: "clustering", Value: n.Clustering},
			graph.Prop{Key: "community", Value: int64(n.Community)},
		)
		if n.Partners != nil {
			ps = append(ps, graph.Prop{Key: "partners", Value: int64(*n.Partners)},
				graph.Prop{Key: "link_strength", Value: *n.LinkStrength},
				graph.Prop{Key: "domestic", Value: *n.Domestic},
				graph.Prop{Key: "international_share", Value: *n.InternationalShare})
		}
		if !yield(graph.PropNode{ID: n.ID, Labels: []string{label}, Props: ps}) {
			return
		}
	}
}

// known leaves a score that was not computed (NaN) absent.
func known(f float64) any {
	if math.IsNaN(f) {
		return nil
	}
	return f
}

func (g levelGraph) Edges(yield func(graph.PropEdge) bool) {
	for i, e := range g.l.Edges {
		if !yield(graph.PropEdge{ID: "t" + strconv.Itoa(i+1), From: e.Source, To: e.Target, Type: tieType,
			Props: []graph.Prop{{Key: "weight", Value: e.Weight}}}) {
			return
		}
	}
}
