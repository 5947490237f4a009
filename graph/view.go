package graph

import (
	"maps"
	"slices"
	"strconv"
	"sync"

	"github.com/collabnet/collabnet/internal/projection"
)

// NodeID is the property-graph ID of an element: its label and key, so that
// keys of different kinds (an organisation "CN" and the country CN) never
// collide in one graph file.
func NodeID(label, key string) string { return label + ":" + key }

// View is the property-graph view of a dataset, as Neo4j stores it and as
// the full GraphML export writes it. It is re-iterable and deterministic;
// Edges yields the derived PARTNER_OF ties last.
type View struct {
	ds *Dataset
	// partners are the PARTNER_OF ties, derived on the first pass of Edges
	// that reaches them: organisation pairs that share agreements, with how
	// many. The Neo4j store counts them in the database instead.
	partnersOnce sync.Once
	partners     []Partnership
}

// Partnership is a PARTNER_OF tie: two organisations (A < B) that are parties
// to the same agreements.
type Partnership struct {
	A, B       string
	Agreements int
}

// Partnerships derives the PARTNER_OF ties of the dataset's agreements,
// sorted by (A, B): every pair of distinct organisations party to the same
// agreements, with how many they share (an organisation named twice in
// one agreement counts once). The derivation is internal/projection's,
// which the analytics organisation network (analytics.ProjectGroups over
// PartyGroups) shares.
func (d *Dataset) Partnerships() []Partnership {
	groups := d.PartyGroups()
	ids := map[string]int32{}
	for _, g := range groups {
		for _, id := range g {
			ids[id] = 0
		}
	}
	sorted := slices.Sorted(maps.Keys(ids))
	for i, id := range sorted {
		ids[id] = int32(i)
	}
	members := make([][]int32, len(groups))
	for k, g := range groups {
		members[k] = make([]int32, len(g))
		for x, id := range g {
			members[k][x] = ids[id]
		}
	}
	up := projection.Project(len(sorted), members, func(int) float64 { return 1 })
	out := make([]Partnership, 0, len(up.Adj))
	for i := range sorted {
		for k := up.Off[i]; k < up.Off[i+1]; k++ {
			out = append(out, Partnership{sorted[i], sorted[up.Adj[k]], int(up.W[k])})
		}
	}
	return out
}

// NewView returns the property-graph view of ds.
func NewView(ds *Dataset) *View { return &View{ds: ds} }

// Nodes yields every node, kind by kind (the order of the mapping), each
// kind sorted by key; properties as the model's pg tags declare them.
func (v *View) Nodes(yield func(PropNode) bool) {
	for _, k := range mapping() {
		stop := false
		k.each(v.ds, func(x any) bool {
			stop = !yield(k.node(x))
			return !stop
		})
		if stop {
			return
		}
	}
}

// Edges yields every edge, the derived PARTNER_OF ties last.
func (v *View) Edges(yield func(PropEdge) bool) { v.edges(yield, true) }

// EdgesExceptPartners yields the edges the dataset states, without the
// derived PARTNER_OF ties (the Neo4j store counts those in the database).
func (v *View) EdgesExceptPartners(yield func(PropEdge) bool) { v.edges(yield, false) }

func (v *View) edges(yield func(PropEdge) bool, withPartners bool) {
	d := v.ds
	n := 0
	emit := func(f, t NodeRef, typ string, p []Prop) bool {
		n++
		return yield(PropEdge{ID: "e" + strconv.Itoa(n), From: f.ID(), To: t.ID(), FromNode: f, ToNode: t, Type: typ, Props: p})
	}
	for _, k := range mapping() {
		stop := false
		k.each(d, func(x any) bool {
			stop = !k.edges(d, x, emit)
			return !stop
		})
		if stop {
			return
		}
	}
	for _, r := range d.SortedRelations() {
		if !emit(relationEdge(d, r)) {
			return
		}
	}
	if !withPartners {
		return
	}
	v.partnersOnce.Do(func() { v.partners = v.ds.Partnerships() })
	for _, p := range v.partners {
		if !emit(NodeRef{LabelOrganization, p.A}, NodeRef{LabelOrganization, p.B}, RelPartnerOf, []Prop{{"agreements", int64(p.Agreements)}}) {
			return
		}
	}
}
