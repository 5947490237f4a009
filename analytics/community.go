package analytics

import (
	"context"
	"errors"
	"slices"
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
// It runs this package's CSR implementation (see louvain.go); the tests
// compare it with Gonum's community.Modularize. The same seed gives the
// same partition.
// It returns ctx.Err() if ctx is cancelled before the end.
func Louvain(ctx context.Context, g *Network, opt LouvainOptions) (*Partition, error) {
	res := opt.Resolution
	if res == 0 {
		res = 1
	}
	member, err := louvain(ctx, g, res, opt.Seed)
	if err != nil {
		return nil, err
	}
	p := renumber(member)
	p.Q, _ = Modularity(g, p.Membership, res)
	return p, nil
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
