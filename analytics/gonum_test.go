package analytics

import (
	"context"
	"math/rand/v2"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/iterator"
)

// louvainWith runs Louvain, or with useGonum Gonum's community.Modularize
// (an independent implementation of the same method, quadratic in
// community size, for comparison) on a read-only view of g that iterates
// nodes and neighbours in index order and reports zero node self-weights
// (no phantom self-loops), seeded from opt.Seed.
func louvainWith(g *Network, opt LouvainOptions, useGonum bool) *Partition {
	if !useGonum {
		p, err := Louvain(context.Background(), g, opt)
		if err != nil {
			panic(err) // not cancelled: cannot fail
		}
		return p
	}
	res := opt.Resolution
	if res == 0 {
		res = 1
	}
	member := make([]int, g.N())
	if g.N() > 0 {
		src := rand.NewPCG(opt.Seed, 0x636f6c6c61626e65) // "collabne"
		red := community.Modularize(gonumView{g}, res, src)
		for c, nodes := range red.Communities() {
			for _, nd := range nodes {
				member[nd.ID()] = c
			}
		}
	}
	p := renumber(member)
	p.Q, _ = Modularity(g, p.Membership, res)
	return p
}

// gonumView exposes a Network as a gonum graph.WeightedUndirected without
// copying it. Node IDs are node indices.
type gonumView struct{ g *Network }

type gnode int64

func (n gnode) ID() int64 { return int64(n) }

type gedge struct {
	f, t gnode
	w    float64
}

func (e gedge) From() graph.Node         { return e.f }
func (e gedge) To() graph.Node           { return e.t }
func (e gedge) ReversedEdge() graph.Edge { return gedge{e.t, e.f, e.w} }
func (e gedge) Weight() float64          { return e.w }

// rowNodes iterates one CSR row in index order.
type rowNodes struct {
	row []int32
	pos int
}

func (r *rowNodes) Next() bool {
	if r.pos >= len(r.row) {
		return false
	}
	r.pos++
	return true
}
func (r *rowNodes) Len() int         { return len(r.row) - r.pos }
func (r *rowNodes) Reset()           { r.pos = 0 }
func (r *rowNodes) Node() graph.Node { return gnode(r.row[r.pos-1]) }

func (v gonumView) has(id int64) bool { return id >= 0 && id < int64(v.g.N()) }

func (v gonumView) Node(id int64) graph.Node {
	if !v.has(id) {
		return nil
	}
	return gnode(id)
}

func (v gonumView) Nodes() graph.Nodes {
	return iterator.NewImplicitNodes(0, v.g.N(), func(id int) graph.Node { return gnode(id) })
}

func (v gonumView) From(id int64) graph.Nodes {
	if !v.has(id) {
		return graph.Empty
	}
	nb, _ := v.g.Neighbors(int(id))
	return &rowNodes{row: nb}
}

func (v gonumView) HasEdgeBetween(x, y int64) bool {
	_, ok := v.Weight(x, y)
	return ok && x != y
}

func (v gonumView) Edge(x, y int64) graph.Edge {
	if e := v.WeightedEdge(x, y); e != nil {
		return e
	}
	return nil
}

func (v gonumView) EdgeBetween(x, y int64) graph.Edge { return v.Edge(x, y) }

func (v gonumView) WeightedEdgeBetween(x, y int64) graph.WeightedEdge {
	return v.WeightedEdge(x, y)
}

func (v gonumView) WeightedEdge(x, y int64) graph.WeightedEdge {
	if x == y || !v.has(x) || !v.has(y) {
		return nil
	}
	w, ok := v.g.Weight(int(x), int(y))
	if !ok {
		return nil
	}
	return gedge{gnode(x), gnode(y), w}
}

// Weight returns 0 for a node with itself: the network has no self-loops,
// and a non-zero self weight would add phantom loops to modularity.
func (v gonumView) Weight(x, y int64) (float64, bool) {
	if !v.has(x) || !v.has(y) {
		return 0, false
	}
	if x == y {
		return 0, true
	}
	return v.g.Weight(int(x), int(y))
}
