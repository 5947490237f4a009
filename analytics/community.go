package analytics

import (
	"errors"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/iterator"
)

// LouvainOptions configures community detection.
type LouvainOptions struct {
	// Resolution is γ of the modularity (Reichardt & Bornholdt); larger
	// values give more, smaller communities. 0 means 1, the classic
	// modularity.
	Resolution float64
	// Seed seeds the random node order of the local moving phase: the same
	// seed gives the same partition.
	Seed uint64
	// Gonum runs Gonum's community.Modularize instead of this package's
	// CSR implementation. Both optimise the same modularity; Gonum's is
	// kept for comparison but is quadratic in community size (over six
	// minutes on the H2020 network, against about a second).
	Gonum bool
}

// Partition is a division of the nodes into communities.
type Partition struct {
	// Membership is the community of each node. Communities are numbered
	// by decreasing size, ties broken by their smallest node index, so the
	// numbering does not depend on the algorithm's internal labels.
	Membership []int
	// Sizes is the number of nodes of each community.
	Sizes []int
	// Q is the modularity of the partition at the resolution used.
	Q float64
}

// Louvain finds communities with the Louvain method and returns the
// partition of the top level of the hierarchy, the one with the highest
// modularity found, with its Q (computed by Modularity).
//
// By default it runs this package's CSR implementation (see louvain.go);
// with opt.Gonum it runs community.Modularize on a read-only view of g that
// iterates nodes and neighbours in index order and reports zero node
// self-weights (no phantom self-loops), seeded from opt.Seed. Either way
// the same seed gives the same partition.
func Louvain(g *Network, opt LouvainOptions) *Partition {
	res := opt.Resolution
	if res == 0 {
		res = 1
	}
	n := g.N()
	member := make([]int, n)
	if !opt.Gonum {
		member = louvain(g, res, opt.Seed)
	} else if n > 0 {
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

// renumber relabels communities by decreasing size, then smallest node.
func renumber(member []int) *Partition {
	type comm struct{ label, size, first int }
	byLabel := map[int]*comm{}
	var list []*comm
	for i, c := range member {
		cm, ok := byLabel[c]
		if !ok {
			cm = &comm{label: c, first: i}
			byLabel[c] = cm
			list = append(list, cm)
		}
		cm.size++
	}
	slices.SortFunc(list, func(a, b *comm) int {
		if a.size != b.size {
			return b.size - a.size
		}
		return a.first - b.first
	})
	newLabel := make(map[int]int, len(list))
	sizes := make([]int, len(list))
	for k, cm := range list {
		newLabel[cm.label] = k
		sizes[k] = cm.size
	}
	out := make([]int, len(member))
	for i, c := range member {
		out[i] = newLabel[c]
	}
	return &Partition{Membership: out, Sizes: sizes}
}

// Modularity returns the modularity of the partition given by membership
// (one community label ≥ 0 per node) at the given resolution γ:
//
//	Q = Σ_c [ W_c/m − γ (K_c/2m)² ]
//
// where m is the total tie weight, W_c the weight of ties inside c and K_c
// the total strength of c's nodes; this is nx.community.modularity(G,
// communities, weight='weight', resolution=γ) and Gonum's community.Q,
// computed in O(n+m) rather than Gonum's O(Σ|c|²) pair loop. A graph
// without ties has Q = 0 (undefined; NetworkX raises).
func Modularity(g *Network, membership []int, resolution float64) (float64, error) {
	n := g.N()
	if len(membership) != n {
		return 0, errors.New("analytics: membership length differs from node count")
	}
	maxC := -1
	for _, c := range membership {
		if c < 0 {
			return 0, errors.New("analytics: negative community label")
		}
		maxC = max(maxC, c)
	}
	in := make([]float64, maxC+1)
	tot := make([]float64, maxC+1)
	var m2 float64
	for u := 0; u < n; u++ {
		cu := membership[u]
		for k := g.off[u]; k < g.off[u+1]; k++ {
			w := g.w[k]
			m2 += w
			tot[cu] += w
			if membership[g.adj[k]] == cu {
				in[cu] += w // each internal tie twice: 2W_c
			}
		}
	}
	if m2 == 0 {
		return 0, nil
	}
	var q float64
	for c := range in {
		k := tot[c] / m2
		q += in[c]/m2 - resolution*k*k
	}
	return q, nil
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
