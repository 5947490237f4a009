package analysis

import (
	"strconv"

	"github.com/collabnet/collabnet/graph"
)

// tieType is the relationship type of an analysed network's ties in the
// exports.
const tieType = "TIE"

// PropGraph is the property-graph view of an analysed network: its nodes
// with the measures computed as attributes (so Gephi can size and colour
// by them; a measure's Kind gives the attribute's type, an unknown score
// is absent) and its weighted ties, undirected.
func (l *Level) PropGraph() graph.PropGraph { return levelGraph{l} }

type levelGraph struct{ l *Level }

func (g levelGraph) Nodes(yield func(graph.PropNode) bool) {
	label := graph.LabelOrganization
	if g.l.Level == LevelCountry {
		label = graph.LabelCountry
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
			if d := Lookup(m); d != nil {
				ps = append(ps, graph.Prop{Key: string(m), Value: d.Typed(&n)})
			}
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

func (g levelGraph) Edges(yield func(graph.PropEdge) bool) {
	for i, e := range g.l.Edges {
		if !yield(graph.PropEdge{ID: "t" + strconv.Itoa(i+1), From: e.Source, To: e.Target, Type: tieType,
			Props: []graph.Prop{{Key: "weight", Value: e.Weight}}}) {
			return
		}
	}
}
