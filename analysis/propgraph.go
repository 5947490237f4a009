package analysis

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/collabnet/collabnet/graph"
)

// tieType is the relationship type of an analysed network's ties in the
// exports.
const tieType = "TIE"

// PropGraph is the property-graph view of an analysed network: its nodes
// with the measures computed as attributes (so Gephi can size and colour
// by them; a measure's Kind gives the attribute's type, an unknown score
// is absent) and its weighted ties, undirected.
func (l *Level) PropGraph() graph.PropGraph { return levelGraph{l: l} }

// DynamicPropGraph is the network of a level over every period of an
// analysis with Options.Period: the nodes and ties present in any period,
// each with the periods it is present in as SpellsKey ("from/until",
// consecutive periods joined into one interval), for a dynamic GEXF that
// Gephi's timeline plays. Measures and weights are those of the whole
// window (the level's analysis); nodes and ties in no period are left
// out; a tie only present in periods has as
// weight the sum of its period weights. Nil without periods.
func (an *Analysis) DynamicPropGraph(level string) graph.PropGraph {
	if len(an.Periods) == 0 {
		return nil
	}
	whole := an.Org
	if level == LevelCountry {
		whole = an.Country
	}
	spells := map[string][]string{}
	add := func(key string, p *Period) {
		ss := spells[key]
		// Join with the previous interval when the periods are consecutive.
		if k := len(ss) - 1; k >= 0 {
			if from, until, _ := strings.Cut(ss[k], "/"); nextDay(until) == p.From {
				ss[k] = from + "/" + p.Until
				return
			}
		}
		spells[key] = append(ss, p.From+"/"+p.Until)
	}
	merged := &Level{Level: level, Measures: whole.Measures, Graph: whole.Graph}
	nodes := map[string]NodeScore{}
	ties := map[string]Tie{}
	for _, n := range whole.Nodes {
		nodes[n.ID] = n
	}
	for _, e := range whole.Edges.All() {
		ties[e.Source+"\x00"+e.Target] = e
	}
	periodTies := map[string]Tie{}
	for _, p := range an.Periods {
		l := p.Org
		if level == LevelCountry {
			l = p.Country
		}
		for _, n := range l.Nodes {
			if _, ok := nodes[n.ID]; !ok {
				nodes[n.ID] = NodeScore{ID: n.ID, Name: n.Name, NameEN: n.NameEN, Country: n.Country}
			}
			add(n.ID, p)
		}
		for _, e := range l.Edges.All() {
			k := e.Source + "\x00" + e.Target
			t := periodTies[k]
			t.Source, t.Target, t.Weight = e.Source, e.Target, t.Weight+e.Weight
			periodTies[k] = t
			add(k, p)
		}
	}
	for k, t := range periodTies {
		if _, ok := ties[k]; !ok {
			ties[k] = t
		}
	}
	for _, id := range slices.Sorted(maps.Keys(nodes)) {
		// A node in no period (party only to undated agreements) would be
		// present at all times in a dynamic graph: it is left out.
		if spells[id] != nil {
			merged.Nodes = append(merged.Nodes, nodes[id])
		}
	}
	for _, k := range slices.Sorted(maps.Keys(ties)) {
		if spells[k] != nil {
			merged.Edges.Append(ties[k])
		}
	}
	return levelGraph{l: merged, spells: spells}
}

// nextDay is the day after a YYYY-MM-DD date ("" if it is not one).
func nextDay(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return ""
	}
	return t.AddDate(0, 0, 1).Format(time.DateOnly)
}

type levelGraph struct {
	l      *Level
	spells map[string][]string // node ID or "source\x00target" → "from/until" intervals
}

// SpellsKey is the node and edge property holding the periods an element
// is present in, as "from/until" (export.GEXFOptions.SpellsBy).
const SpellsKey = "spells"

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
		if n.Agreements != nil {
			ps = append(ps, graph.Prop{Key: "agreements", Value: int64(*n.Agreements)})
		}
		if n.AvgYear != nil {
			ps = append(ps, graph.Prop{Key: "avg_year", Value: *n.AvgYear})
		}
		if n.Kind != "" {
			ps = append(ps, graph.Prop{Key: "kind", Value: n.Kind})
		}
		if sp := g.spells[n.ID]; sp != nil {
			ps = append(ps, graph.Prop{Key: SpellsKey, Value: sp})
		}
		if !yield(graph.PropNode{ID: n.ID, Labels: []string{label}, Props: ps}) {
			return
		}
	}
}

func (g levelGraph) Edges(yield func(graph.PropEdge) bool) {
	for i, e := range g.l.Edges.All() {
		if !yield(graph.PropEdge{ID: "t" + strconv.Itoa(i+1), From: e.Source, To: e.Target, Type: tieType,
			Props: g.tieProps(e)}) {
			return
		}
	}
}

// tieProps are a tie's weight and, when normalised, its normalised value
// and the agreements it counts; with spells, the periods it is present in.
func (g levelGraph) tieProps(e Tie) []graph.Prop {
	ps := []graph.Prop{{Key: "weight", Value: e.Weight}}
	if e.Normalized != nil {
		ps = append(ps, graph.Prop{Key: "normalized", Value: *e.Normalized}, graph.Prop{Key: "agreements", Value: int64(e.Agreements)})
	}
	if sp := g.spells[e.Source+"\x00"+e.Target]; sp != nil {
		ps = append(ps, graph.Prop{Key: SpellsKey, Value: sp})
	}
	return ps
}
