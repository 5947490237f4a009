package analytics

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Node is a vertex of a Network. ID is the key (an organisation PIC, a
// country code...); Name and Country are carried along so results can be
// reported without a second lookup. Country is an ISO code and may be empty
// when unknown.
type Node struct {
	ID      string
	Name    string
	Country string
}

// Edge is one undirected tie between node indices U < V with weight W > 0.
type Edge struct {
	U, V int
	W    float64
}

// BuildInfo records what was dropped or merged while building a Network, so
// the command layer can report it instead of losing it silently.
type BuildInfo struct {
	// SelfTies counts ties from a node to itself. They are not stored: a
	// self-loop would inflate strength and break the simple-graph measures.
	SelfTies int
	// SelfWeight is the total weight of those ignored self-ties.
	SelfWeight float64
	// Groups counts the groups given to ProjectGroups (0 for a Builder).
	Groups int
	// SmallGroups counts groups with fewer than two distinct members: they
	// create no tie (their members still become nodes).
	SmallGroups int
	// RepeatedMembers counts members listed more than once in one group;
	// each distinct member is counted once.
	RepeatedMembers int
}

// Network is a weighted undirected simple graph. Nodes are sorted by ID and
// identified by their index in that order; ties are held in CSR form (for
// node i, its neighbours are adj[off[i]:off[i+1]], sorted by index, with
// weights w at the same positions). The CSR layout is what lets the path
// measures run one BFS per source with O(n) scratch memory per worker.
//
// A Network is immutable once built and safe for concurrent reads.
type Network struct {
	nodes []Node
	index map[string]int
	off   []int
	adj   []int32
	w     []float64
	info  BuildInfo
}

// N returns the number of nodes.
func (g *Network) N() int { return len(g.nodes) }

// M returns the number of (undirected) ties.
func (g *Network) M() int { return len(g.adj) / 2 }

// Node returns node i.
func (g *Network) Node(i int) Node { return g.nodes[i] }

// Nodes returns the nodes in index order. The slice is shared: do not modify.
func (g *Network) Nodes() []Node { return g.nodes }

// Index returns the index of the node with the given ID.
func (g *Network) Index(id string) (int, bool) {
	i, ok := g.index[id]
	return i, ok
}

// Info returns what the builder dropped or merged.
func (g *Network) Info() BuildInfo { return g.info }

// Neighbors returns the neighbours of node i (ascending indices) and the
// weights of the ties to them. The slices are shared: do not modify.
func (g *Network) Neighbors(i int) ([]int32, []float64) {
	return g.adj[g.off[i]:g.off[i+1]], g.w[g.off[i]:g.off[i+1]]
}

// Degree returns the number of ties of node i.
func (g *Network) Degree(i int) int { return g.off[i+1] - g.off[i] }

// Strength returns the weighted degree of node i (sum of its tie weights).
func (g *Network) Strength(i int) float64 {
	var s float64
	for _, w := range g.w[g.off[i]:g.off[i+1]] {
		s += w
	}
	return s
}

// Weight returns the weight of the tie between nodes i and j, and whether the
// tie exists.
func (g *Network) Weight(i, j int) (float64, bool) {
	row := g.adj[g.off[i]:g.off[i+1]]
	k, ok := slices.BinarySearch(row, int32(j))
	if !ok {
		return 0, false
	}
	return g.w[g.off[i]+k], true
}

// Edges returns every tie once, with U < V, sorted by (U, V).
func (g *Network) Edges() []Edge {
	out := make([]Edge, 0, g.M())
	for u := range g.nodes {
		for k := g.off[u]; k < g.off[u+1]; k++ {
			if v := int(g.adj[k]); v > u {
				out = append(out, Edge{U: u, V: v, W: g.w[k]})
			}
		}
	}
	return out
}

// TotalWeight returns the sum of all tie weights, each tie counted once
// (the m of the modularity formula).
func (g *Network) TotalWeight() float64 {
	var s float64
	for u := range g.nodes {
		for k := g.off[u]; k < g.off[u+1]; k++ {
			if int(g.adj[k]) > u {
				s += g.w[k]
			}
		}
	}
	return s
}

// Builder accumulates nodes and ties and produces a Network. Repeated ties
// between the same two nodes add up their weights (in the order they were
// added, so the sum is reproducible); self-ties are counted in BuildInfo and
// dropped. The zero value is not usable: call NewBuilder.
type Builder struct {
	nodes []Node
	index map[string]int32
	ties  []rawTie
	info  BuildInfo
	err   error
}

type rawTie struct {
	u, v int32
	w    float64
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder {
	return &Builder{index: map[string]int32{}}
}

// AddNode declares a node. Declaring an ID again fills in a Name or Country
// that is still empty, and keeps the first non-empty value otherwise.
func (b *Builder) AddNode(n Node) {
	b.node(n)
}

func (b *Builder) node(n Node) int32 {
	if n.ID == "" && b.err == nil {
		b.err = errors.New("analytics: node with empty ID")
	}
	if i, ok := b.index[n.ID]; ok {
		old := &b.nodes[i]
		if old.Name == "" {
			old.Name = n.Name
		}
		if old.Country == "" {
			old.Country = n.Country
		}
		return i
	}
	i := int32(len(b.nodes))
	b.index[n.ID] = i
	b.nodes = append(b.nodes, n)
	return i
}

// AddTie adds weight w to the tie between the nodes with IDs a and b,
// declaring them if needed. w must be positive and finite: otherwise Build
// reports an error (path lengths 1/w and modularity need positive weights).
func (b *Builder) AddTie(a, c string, w float64) {
	if !(w > 0) || math.IsInf(w, 0) {
		if b.err == nil {
			b.err = fmt.Errorf("analytics: tie %q-%q has invalid weight %v", a, c, w)
		}
		return
	}
	u, v := b.node(Node{ID: a}), b.node(Node{ID: c})
	if u == v {
		b.info.SelfTies++
		b.info.SelfWeight += w
		return
	}
	b.ties = append(b.ties, rawTie{u, v, w})
}

// Build returns the Network. The Builder must not be used afterwards.
func (b *Builder) Build() (*Network, error) {
	if b.err != nil {
		return nil, b.err
	}
	// Sort nodes by ID and renumber the ties.
	n := len(b.nodes)
	perm := make([]int32, n) // perm[new] = old
	for i := range perm {
		perm[i] = int32(i)
	}
	slices.SortFunc(perm, func(x, y int32) int { return cmp.Compare(b.nodes[x].ID, b.nodes[y].ID) })
	newOf := make([]int32, n)
	nodes := make([]Node, n)
	for nw, old := range perm {
		newOf[old] = int32(nw)
		nodes[nw] = b.nodes[old]
	}
	ties := b.ties
	for k := range ties {
		u, v := newOf[ties[k].u], newOf[ties[k].v]
		if u > v {
			u, v = v, u
		}
		ties[k].u, ties[k].v = u, v
	}
	// Stable, so repeated ties are summed in insertion order.
	slices.SortStableFunc(ties, func(x, y rawTie) int {
		if c := cmp.Compare(x.u, y.u); c != 0 {
			return c
		}
		return cmp.Compare(x.v, y.v)
	})
	merged := ties[:0]
	for _, t := range ties {
		if l := len(merged) - 1; l >= 0 && merged[l].u == t.u && merged[l].v == t.v {
			merged[l].w += t.w
			continue
		}
		merged = append(merged, t)
	}
	upOff := make([]int, n+1)
	upAdj := make([]int32, len(merged))
	upW := make([]float64, len(merged))
	for k, t := range merged {
		upOff[t.u+1]++
		upAdj[k] = t.v
		upW[k] = t.w
	}
	for i := 0; i < n; i++ {
		upOff[i+1] += upOff[i]
	}
	b.ties = nil
	g := fromUpper(nodes, upOff, upAdj, upW)
	g.info = b.info
	return g, nil
}

// fromUpper builds the symmetric CSR from the upper triangle: row i of
// (upOff, upAdj, upW) lists the neighbours j > i of i in ascending order.
// Filling rows in ascending i keeps every full row sorted without a sort:
// row j first receives its lower neighbours i < j in ascending order, then
// its own upper neighbours.
func fromUpper(nodes []Node, upOff []int, upAdj []int32, upW []float64) *Network {
	n := len(nodes)
	deg := make([]int, n+1)
	for i := 0; i < n; i++ {
		for k := upOff[i]; k < upOff[i+1]; k++ {
			deg[i]++
			deg[upAdj[k]]++
		}
	}
	off := make([]int, n+1)
	for i := 0; i < n; i++ {
		off[i+1] = off[i] + deg[i]
	}
	adj := make([]int32, off[n])
	w := make([]float64, off[n])
	cur := deg[:n]
	copy(cur, off[:n])
	for i := 0; i < n; i++ {
		for k := upOff[i]; k < upOff[i+1]; k++ {
			j := upAdj[k]
			adj[cur[i]], w[cur[i]] = j, upW[k]
			cur[i]++
			adj[cur[j]], w[cur[j]] = int32(i), upW[k]
			cur[j]++
		}
	}
	index := make(map[string]int, n)
	for i, nd := range nodes {
		index[nd.ID] = i
	}
	return &Network{nodes: nodes, index: index, off: off, adj: adj, w: w}
}
