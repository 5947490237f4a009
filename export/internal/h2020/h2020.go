// Package h2020 builds the H2020 organisation network (organisations tied by
// shared projects, weight = number shared) from the participations file, as
// a property graph, for the export tests and benchmark.
package h2020

import (
	"context"
	"strconv"

	"github.com/collabnet/collabnet/analytics"
	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/loader"
)

// Network reads the participations file and projects it onto organisations.
func Network(ctx context.Context, path string) (*analytics.Network, error) {
	l, err := loader.New(loader.Options{})
	if err != nil {
		return nil, err
	}
	ds, _, err := l.Load(ctx, []loader.Input{loader.FileInput(path)})
	if err != nil {
		return nil, err
	}
	var nodes []analytics.Node
	for _, o := range ds.SortedOrganizations() {
		nodes = append(nodes, analytics.Node{ID: o.ID, Country: o.Country})
	}
	groups := ds.PartyGroups()
	return analytics.ProjectGroups(context.Background(), nodes, groups, analytics.FullCounting)
}

// Graph is the property-graph view of a network: organisations with their
// country, ties with their weight.
type Graph struct{ N *analytics.Network }

func (g Graph) Nodes(yield func(graph.PropNode) bool) {
	for _, n := range g.N.Nodes() {
		if !yield(graph.PropNode{ID: n.ID, Labels: []string{graph.LabelOrganization},
			Props: []graph.Prop{{Key: "country", Value: n.Country}}}) {
			return
		}
	}
}

func (g Graph) Edges(yield func(graph.PropEdge) bool) {
	for i, e := range g.N.Edges() {
		if !yield(graph.PropEdge{ID: "t" + strconv.Itoa(i), From: g.N.Node(e.U).ID, To: g.N.Node(e.V).ID, Type: "TIE",
			Props: []graph.Prop{{Key: "weight", Value: e.W}}}) {
			return
		}
	}
}
