// Package synth generates a large deterministic graph.PropGraph on the fly,
// for the export benchmarks and streaming tests. Nothing is materialised: each
// iteration recomputes the elements from their index, so the generator's own
// memory is constant (it reuses one props buffer per iteration; consumers must
// not retain PropNode.Props / PropEdge.Props after yield returns).
//
// Recipe (also what scripts/bench-export feeds to NetworkX, via CSV):
//
//	node i (0 <= i < N): ID "org:<i>", labels [Organization],
//	  props name "Organisation <i> 机构" (string), community i%37 (int64),
//	  score (h(i)%10000)/100 (float64), active i%3 != 0 (bool),
//	  country "C<i%50>" (string)
//	edge j (0 <= j < M): ID "e:<j>", From org:<h(2j)%N>,
//	  To org:<h(2j+1)%N>, Type one of four relationship types by j%4,
//	  props weight (h(j)%1000)/10 (float64), agreements 1+j%5 (int64),
//	  year 2000+j%25 (int64)
//
// where h is SplitMix64.
package synth

import (
	"strconv"

	"github.com/collabnet/collabnet/graph"
)

// Graph is a synthetic graph with N nodes and M edges.
type Graph struct {
	N, M int // number of nodes and edges
}

var edgeTypes = [...]string{graph.RelPartnerOf, graph.RelPartyTo, graph.RelMemberOf, graph.RelVisited}

var orgLabels = []string{graph.LabelOrganization}

// H is SplitMix64, the hash of the recipe.
func H(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9
	x = (x ^ (x >> 27)) * 0x94D049BB133111EB
	return x ^ (x >> 31)
}

// NodeID is the ID of node i.
func NodeID(i int) string { return "org:" + strconv.Itoa(i) }

// Nodes implements graph.PropGraph.
func (g Graph) Nodes(yield func(graph.PropNode) bool) {
	props := make([]graph.Prop, 5)
	for i := 0; i < g.N; i++ {
		props[0] = graph.Prop{Key: "name", Value: "Organisation " + strconv.Itoa(i) + " 机构"}
		props[1] = graph.Prop{Key: "community", Value: int64(i % 37)}
		props[2] = graph.Prop{Key: "score", Value: float64(H(uint64(i))%10000) / 100}
		props[3] = graph.Prop{Key: "active", Value: i%3 != 0}
		props[4] = graph.Prop{Key: "country", Value: "C" + strconv.Itoa(i%50)}
		if !yield(graph.PropNode{ID: NodeID(i), Labels: orgLabels, Props: props}) {
			return
		}
	}
}

// Edges implements graph.PropGraph.
func (g Graph) Edges(yield func(graph.PropEdge) bool) {
	props := make([]graph.Prop, 3)
	n := uint64(g.N)
	for j := 0; j < g.M; j++ {
		u := uint64(j)
		props[0] = graph.Prop{Key: "weight", Value: float64(H(u)%1000) / 10}
		props[1] = graph.Prop{Key: "agreements", Value: int64(1 + j%5)}
		props[2] = graph.Prop{Key: "year", Value: int64(2000 + j%25)}
		e := graph.PropEdge{
			ID:    "e:" + strconv.Itoa(j),
			From:  NodeID(int(H(2*u) % n)),
			To:    NodeID(int(H(2*u+1) % n)),
			Type:  edgeTypes[j%len(edgeTypes)],
			Props: props,
		}
		if !yield(e) {
			return
		}
	}
}
