package analytics

import (
	"context"
	"errors"
)

// Summary holds the graph-level figures.
type Summary struct {
	// Nodes is the number of nodes, isolated ones included.
	Nodes int
	// Edges is the number of ties (unordered pairs).
	Edges int
	// TotalWeight is the sum of tie weights, each tie once.
	TotalWeight float64
	// Density is nx.density: 2·Edges / (Nodes·(Nodes-1)), 0 below 2 nodes.
	Density float64
	// Components is the number of connected components (isolated nodes
	// are components of one).
	Components int
	// LargestComponent is the node count of the largest component.
	LargestComponent int
	// Isolated counts nodes without ties.
	Isolated int
	// Modularity is the Q of the Louvain partition; set by Analyze,
	// 0 from Summarize.
	Modularity float64
}

// Summarize computes the graph-level figures except modularity.
func Summarize(g *Network) Summary {
	n, m := g.N(), g.M()
	s := Summary{Nodes: n, Edges: m, TotalWeight: g.TotalWeight()}
	if n > 1 {
		s.Density = 2 * float64(m) / (float64(n) * float64(n-1))
	}
	_, sizes := Components(g)
	s.Components = len(sizes)
	if len(sizes) > 0 {
		s.LargestComponent = sizes[0]
		for _, z := range sizes {
			s.LargestComponent = max(s.LargestComponent, z)
		}
	}
	for i := 0; i < n; i++ {
		if g.Degree(i) == 0 {
			s.Isolated++
		}
	}
	return s
}

// Components labels the connected components: label[i] is the component of
// node i, numbered in order of their smallest node index, and sizes[c] is
// the node count of component c.
func Components(g *Network) (label []int, sizes []int) {
	n := g.N()
	label = make([]int, n)
	for i := range label {
		label[i] = -1
	}
	queue := make([]int32, 0, n)
	for s := 0; s < n; s++ {
		if label[s] >= 0 {
			continue
		}
		c := len(sizes)
		label[s] = c
		queue = append(queue[:0], int32(s))
		for h := 0; h < len(queue); h++ {
			v := queue[h]
			for _, w := range g.adj[g.off[v]:g.off[v+1]] {
				if label[w] < 0 {
					label[w] = c
					queue = append(queue, w)
				}
			}
		}
		sizes = append(sizes, len(queue))
	}
	return label, sizes
}

// DegreeCentrality returns nx.degree_centrality: degree / (n-1) (1 for the
// single node of a one-node graph, as NetworkX).
func DegreeCentrality(g *Network) []float64 {
	n := g.N()
	out := make([]float64, n)
	if n <= 1 {
		for i := range out {
			out[i] = 1
		}
		return out
	}
	for i := range out {
		out[i] = float64(g.Degree(i)) / float64(n-1)
	}
	return out
}

// Options configures Analyze.
type Options struct {
	// Paths configures betweenness, closeness and harmonic centrality
	// (hop or 1/w distances, exact or sampled pivots, workers); its
	// Workers also sets the clustering workers, and the power iterations'
	// when Power.Workers is 0.
	Paths PathOptions
	// Power configures PageRank and eigenvector centrality.
	Power PowerOptions
	// Louvain configures community detection.
	Louvain LouvainOptions
}

// Result gathers every measure; per-node slices are indexed by node index.
type Result struct {
	Summary Summary
	// Degree is the raw number of ties (the JSON "degree").
	Degree []int
	// Strength is the weighted degree (the JSON "strength").
	Strength []float64
	// DegreeCentrality is Degree/(n-1), nx.degree_centrality.
	DegreeCentrality []float64
	// Betweenness, Closeness and Harmonic are PathCentrality's (NaN
	// closeness and harmonic for non-pivots when sources are sampled).
	Betweenness []float64
	Closeness   []float64
	Harmonic    []float64
	// PageRank and Eigenvector are the NetworkX-equivalent scores.
	PageRank    []float64
	Eigenvector []float64
	// Clustering is the weighted clustering coefficient (Onnela).
	Clustering []float64
	// Component is the connected component of each node.
	Component []int
	// Community is the Louvain partition.
	Community *Partition
	// Warnings lists non-fatal problems, such as a power iteration that
	// hit its iteration cap (its last iterate is kept).
	Warnings []string
}

// Analyze computes every measure of the package on g. See the individual
// functions for definitions. Only cancellation (or an invalid option) is an
// error; a non-converged power iteration is reported in Warnings.
func Analyze(ctx context.Context, g *Network, opt Options) (*Result, error) {
	r := &Result{Summary: Summarize(g)}
	n := g.N()
	r.Degree = make([]int, n)
	r.Strength = make([]float64, n)
	for i := 0; i < n; i++ {
		r.Degree[i] = g.Degree(i)
		r.Strength[i] = g.Strength(i)
	}
	r.DegreeCentrality = DegreeCentrality(g)
	ps, err := PathCentrality(ctx, g, opt.Paths)
	if err != nil {
		return nil, err
	}
	r.Betweenness, r.Closeness, r.Harmonic = ps.Betweenness, ps.Closeness, ps.Harmonic
	if opt.Power.Workers == 0 {
		opt.Power.Workers = opt.Paths.Workers
	}
	power := func(f func(*Network, PowerOptions) ([]float64, error)) ([]float64, error) {
		x, err := f(g, opt.Power)
		if errors.Is(err, ErrNotConverged) {
			r.Warnings = append(r.Warnings, err.Error())
			err = nil
		}
		return x, err
	}
	if r.PageRank, err = power(PageRank); err != nil {
		return nil, err
	}
	if r.Eigenvector, err = power(Eigenvector); err != nil {
		return nil, err
	}
	if r.Clustering, err = Clustering(ctx, g, true, opt.Paths.Workers); err != nil {
		return nil, err
	}
	r.Component, _ = Components(g)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.Community = Louvain(g, opt.Louvain)
	r.Summary.Modularity = r.Community.Q
	return r, nil
}
