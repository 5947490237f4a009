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

// PropGraph is the property-graph view of an analysed network: its nodes
// with the measures computed as attributes (so Gephi can size and colour
// by them) and its weighted ties, undirected.
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
		for _, m := range g.l.Measures {
			ps = append(ps, graph.Prop{Key: string(m), Value: propValue(m, &n)})
		}
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

// propValue is a measure as a property: degree and community as integers;
// a score that is unknown (NaN: closeness with sampled sources) is absent.
func propValue(m Measure, n *NodeScore) any {
	switch m {
	case Degree:
		return int64(n.Degree)
	case Community:
		return int64(n.Community)
	}
	if f := m.Value(n); !math.IsNaN(f) {
		return f
	}
	return nil
}

func (g levelGraph) Edges(yield func(graph.PropEdge) bool) {
	for i, e := range g.l.Edges {
		if !yield(graph.PropEdge{ID: "t" + strconv.Itoa(i+1), From: e.Source, To: e.Target, Type: tieType,
			Props: []graph.Prop{{Key: "weight", Value: e.Weight}}}) {
			return
		}
	}
}
