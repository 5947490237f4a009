package analytics

import (
	"fmt"
	"math"
	"slices"
)

// Normalization is a similarity measure that normalises co-occurrence
// counts, as defined by van Eck & Waltman (2009, "How to normalize
// cooccurrence data? An analysis of some well-known similarity measures",
// JASIST 60(8), 1635–1651). For two items i and j that co-occur c_ij times
// and occur s_i and s_j times in all (the diagonal of the co-occurrence
// matrix: the number of agreements each is party to):
//
//	association strength  c_ij / (s_i · s_j)
//	cosine (Salton)       c_ij / √(s_i · s_j)
//	inclusion             c_ij / min(s_i, s_j)
//	Jaccard               c_ij / (s_i + s_j − c_ij)
//	equivalence           c_ij² / (s_i · s_j)   (the cosine squared)
//
// These are bibliometrix's normalizeSimilarity formulas too (with S the
// diagonal of the co-occurrence matrix).
type Normalization string

// The normalisations; NormNone leaves weights as they are.
const (
	NormNone        Normalization = "none"
	NormAssociation Normalization = "association"
	NormCosine      Normalization = "cosine"
	NormJaccard     Normalization = "jaccard"
	NormInclusion   Normalization = "inclusion"
	NormEquivalence Normalization = "equivalence"
)

// Normalizations lists every normalisation, in documentation order.
var Normalizations = []Normalization{NormNone, NormAssociation, NormCosine, NormJaccard, NormInclusion, NormEquivalence}

// ParseNormalization reads a --normalize value; "" is NormNone and
// "salton" is the cosine.
func ParseNormalization(s string) (Normalization, error) {
	switch s {
	case "":
		return NormNone, nil
	case "salton":
		return NormCosine, nil
	}
	if n := Normalization(s); slices.Contains(Normalizations, n) {
		return n, nil
	}
	return "", fmt.Errorf("normalisation %q: want none, association, cosine, jaccard, inclusion or equivalence", s)
}

// Similarity is n's value for a pair that co-occurs c times, of items that
// occur si and sj times (c ≤ min(si, sj), all > 0). NormNone returns c.
func (n Normalization) Similarity(c, si, sj float64) float64 {
	switch n {
	case NormAssociation:
		return c / (si * sj)
	case NormCosine:
		return c / math.Sqrt(si*sj)
	case NormInclusion:
		return c / min(si, sj)
	case NormJaccard:
		return c / (si + sj - c)
	case NormEquivalence:
		return c * c / (si * sj)
	}
	return c
}

// Occurrences counts, per node of g (by index), the groups it belongs to
// (a member repeated in a group counts once): s_i, the diagonal of the
// co-occurrence matrix. Members that are not nodes of g are ignored.
func Occurrences(g *Network, groups [][]string) []float64 {
	s := make([]float64, g.N())
	last := make([]int, g.N())
	for k, grp := range groups {
		for _, id := range grp {
			if i, ok := g.index[id]; ok && last[i] != k+1 {
				last[i] = k + 1
				s[i]++
			}
		}
	}
	return s
}

// Normalized returns, for every tie of g in Edges order, n's similarity of
// its two ends, taking c_ij from co (the co-occurrence counts: g itself
// when its weights are full counts, else a full-counting network over the
// same groups and nodes) and s_i from occ (Occurrences, by node of g). A
// tie of g missing from co is an error: the counts would not match the
// ties. One pass over the ties.
func Normalized(g, co *Network, occ []float64, n Normalization) ([]float64, error) {
	out := make([]float64, 0, g.M())
	for u := range g.nodes {
		cu, ok := co.index[g.nodes[u].ID]
		for k := g.off[u]; k < g.off[u+1]; k++ {
			v := int(g.adj[k])
			if v <= u {
				continue
			}
			var c float64
			if ok {
				if cv, ok2 := co.index[g.nodes[v].ID]; ok2 {
					c, _ = co.Weight(cu, cv)
				}
			}
			if c == 0 || occ[u] == 0 || occ[v] == 0 {
				return nil, fmt.Errorf("normalising the tie %s–%s: no co-occurrence count for it", g.nodes[u].ID, g.nodes[v].ID)
			}
			out = append(out, n.Similarity(c, occ[u], occ[v]))
		}
	}
	return out, nil
}

// Reweighted returns a copy of g (sharing its nodes and structure) whose
// tie weights are w, given in Edges order; every w must be positive and
// finite.
func (g *Network) Reweighted(w []float64) (*Network, error) {
	if len(w) != g.M() {
		return nil, fmt.Errorf("analytics: %d weights for %d ties", len(w), g.M())
	}
	nw := make([]float64, len(g.w))
	e := 0
	pos := make([]int, g.N()) // next lower-neighbour slot per row
	for u := range g.nodes {
		pos[u] = g.off[u]
	}
	for u := range g.nodes {
		for k := g.off[u]; k < g.off[u+1]; k++ {
			v := int(g.adj[k])
			if v <= u {
				continue
			}
			x := w[e]
			e++
			if !(x > 0) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("analytics: tie %s–%s has invalid weight %v", g.nodes[u].ID, g.nodes[v].ID, x)
			}
			nw[k] = x
			// Row v lists its lower neighbours in ascending order, which is
			// the order u visits them.
			nw[pos[v]] = x
			pos[v]++
		}
	}
	return &Network{nodes: g.nodes, index: g.index, off: g.off, adj: g.adj, w: nw, info: g.info}, nil
}
