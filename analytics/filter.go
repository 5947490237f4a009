package analytics

import (
	"cmp"
	"math"
	"slices"
)

// DisparityAlpha returns, for every tie of g in Edges order, the p-value
// of the disparity filter of Serrano, Boguñá & Vespignani (2009,
// "Extracting the multiscale backbone of complex weighted networks",
// PNAS 106(16), 6483–6488). For a node i of degree k > 1 and strength
// s_i, the null hypothesis spreads s_i uniformly at random over its k
// ties; the probability of a normalised weight at least p_ij = w_ij / s_i
// is (eq. 2 of the paper)
//
//	α_ij = 1 − (k−1) ∫₀^p_ij (1−x)^(k−2) dx = (1 − p_ij)^(k−1).
//
// A tie is tested from both ends and the smaller α is returned, so that a
// tie significant for either end is kept (the paper's rule). An end of
// degree 1 gives no test: its one tie is judged from the other end, and a
// tie whose two ends both have degree 1 gets α = 1 (never kept).
func DisparityAlpha(g *Network) []float64 {
	s := make([]float64, g.N())
	for i := range s {
		s[i] = g.Strength(i)
	}
	alpha := func(i int, w float64) float64 {
		k := g.Degree(i)
		if k < 2 {
			return 1
		}
		return math.Pow(1-w/s[i], float64(k-1))
	}
	out := make([]float64, 0, g.M())
	for u := range g.nodes {
		for k := g.off[u]; k < g.off[u+1]; k++ {
			if v := int(g.adj[k]); v > u {
				out = append(out, min(alpha(u, g.w[k]), alpha(v, g.w[k])))
			}
		}
	}
	return out
}

// Subgraph returns the network of the nodes with keepNode[i] and the ties,
// in Edges order, with keepTie[e] between two kept nodes (nil keeps all).
// Node order, weights and summation order are g's, so figures computed on
// the result are those of the same ties in g.
func (g *Network) Subgraph(keepNode, keepTie []bool) *Network {
	newOf := make([]int32, g.N())
	var nodes []Node
	for i, nd := range g.nodes {
		newOf[i] = -1
		if keepNode == nil || keepNode[i] {
			newOf[i] = int32(len(nodes))
			nodes = append(nodes, nd)
		}
	}
	upOff := make([]int, len(nodes)+1)
	var upAdj []int32
	var upW []float64
	e := 0
	for u := range g.nodes {
		for k := g.off[u]; k < g.off[u+1]; k++ {
			v := int(g.adj[k])
			if v <= u {
				continue
			}
			keep := keepTie == nil || keepTie[e]
			e++
			if keep && newOf[u] >= 0 && newOf[v] >= 0 {
				upAdj = append(upAdj, newOf[v])
				upW = append(upW, g.w[k])
				upOff[newOf[u]+1]++
			}
		}
	}
	for i := range nodes {
		upOff[i+1] += upOff[i]
	}
	h := fromUpper(nodes, upOff, upAdj, upW)
	h.info = g.info
	return h
}

// StrongestTies marks, in Edges order, the n ties of highest weight
// (all ties when n ≥ M). Equal weights are broken by the ends' IDs, so the
// choice is deterministic.
func StrongestTies(g *Network, n int) []bool {
	es := g.Edges()
	keep := make([]bool, len(es))
	if n >= len(es) {
		for i := range keep {
			keep[i] = true
		}
		return keep
	}
	order := make([]int, len(es))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := cmp.Compare(es[b].W, es[a].W); c != 0 {
			return c
		}
		if c := cmp.Compare(g.nodes[es[a].U].ID, g.nodes[es[b].U].ID); c != 0 {
			return c
		}
		return cmp.Compare(g.nodes[es[a].V].ID, g.nodes[es[b].V].ID)
	})
	for _, i := range order[:n] {
		keep[i] = true
	}
	return keep
}
