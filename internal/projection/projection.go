// Package projection projects groups (the parties of agreements, the
// participants of projects) onto pairs of their members: the one-mode
// projection B·Bᵀ of a member×group incidence matrix. It is the one
// derivation of the PARTNER_OF ties: graph.Dataset.Partnerships and
// analytics.ProjectGroups both use it, and the Neo4j store's Cypher
// counts the same ties on the server (a test checks the three agree).
package projection

import "slices"

// Upper is the upper triangle of a projection: row i of (Off, Adj, W)
// lists the members j > i that share a group with i, ascending, and the
// summed weights of those groups (with weight 1, the number of groups the
// pair shares, exact up to 2^53).
type Upper struct {
	Off []int // len n+1
	Adj []int32
	W   []float64
	// RepeatedMembers counts members listed more than once in a group
	// (counted once); SmallGroups counts groups with fewer than two
	// distinct members (no tie).
	RepeatedMembers, SmallGroups int
}

// Project projects groups of member indices in [0, n). Within a group a
// member counts once, and each pair of its k distinct members receives
// weight(k) (1 for full counting, 1/(k-1) for fractional counting).
// groups are sorted and compacted in place. Weights of one pair are summed
// in group order, so the result is reproducible to the bit.
//
// The product is done row by row with a dense accumulator: memory is
// O(n + memberships + ties), with no per-pair map.
func Project(n int, groups [][]int32, weight func(k int) float64) Upper {
	var u Upper
	// Group → members CSR (distinct, sorted), groups with ≥ 2 members only.
	gOff := []int{0}
	var gMem []int32
	var gW []float64
	for _, grp := range groups {
		slices.Sort(grp)
		d := slices.Compact(grp)
		u.RepeatedMembers += len(grp) - len(d)
		k := len(d)
		if k < 2 {
			u.SmallGroups++
			continue
		}
		gMem = append(gMem, d...)
		gOff = append(gOff, len(gMem))
		gW = append(gW, weight(k))
	}
	ng := len(gW)
	// Member → groups CSR (transpose), groups ascending within a row.
	mOff := make([]int, n+1)
	for _, m := range gMem {
		mOff[m+1]++
	}
	for i := 0; i < n; i++ {
		mOff[i+1] += mOff[i]
	}
	mGrp := make([]int32, len(gMem))
	cur := slices.Clone(mOff[:n])
	for g := 0; g < ng; g++ {
		for _, m := range gMem[gOff[g]:gOff[g+1]] {
			mGrp[cur[m]] = int32(g)
			cur[m]++
		}
	}
	cur = nil

	// Upper triangle, row by row: acc[j] sums the weights of i–j (j > i).
	acc := make([]float64, n)
	seen := make([]bool, n)
	var touched []int32
	u.Off = make([]int, n+1)
	for i := 0; i < n; i++ {
		touched = touched[:0]
		for _, g := range mGrp[mOff[i]:mOff[i+1]] {
			mem := gMem[gOff[g]:gOff[g+1]]
			// Members are sorted: skip to those after i.
			p, _ := slices.BinarySearch(mem, int32(i))
			wg := gW[g]
			for _, j := range mem[p+1:] {
				if !seen[j] {
					seen[j] = true
					touched = append(touched, j)
				}
				acc[j] += wg
			}
		}
		slices.Sort(touched)
		for _, j := range touched {
			u.Adj = append(u.Adj, j)
			u.W = append(u.W, acc[j])
			acc[j], seen[j] = 0, false
		}
		u.Off[i+1] = len(u.Adj)
	}
	return u
}
