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
	in := newIncidence(n, groups, weight, &u.RepeatedMembers, &u.SmallGroups)
	u.Off = make([]int, n+1)
	in.rows(func(i int, js []int32, ws []float64) {
		u.Adj = append(u.Adj, js...)
		u.W = append(u.W, ws...)
		u.Off[i+1] = len(u.Adj)
	})
	return u
}

// Symmetric is the whole projection in CSR form: row i of (Off, Adj, W)
// lists every member j ≠ i that shares a group with i, ascending, and the
// summed weights (the same sums, bit for bit, as Project's upper
// triangle).
type Symmetric struct {
	Off []int // len n+1
	Adj []int32
	W   []float64
	// As in Upper.
	RepeatedMembers, SmallGroups int
}

// ProjectSymmetric is Project written straight into both triangles of a
// CSR of the exact size: a first sweep counts each row's ties, a second
// fills them, so no upper triangle and no growing slices are held beside
// the result (its memory is the CSR, 24 bytes a tie, and O(n +
// memberships)). It costs a second sweep of the rows.
func ProjectSymmetric(n int, groups [][]int32, weight func(k int) float64) Symmetric {
	var s Symmetric
	in := newIncidence(n, groups, weight, &s.RepeatedMembers, &s.SmallGroups)
	deg := in.upperDegrees()
	s.Off = make([]int, n+1)
	for i := range n {
		s.Off[i+1] = s.Off[i] + deg[i]
	}
	s.Adj = make([]int32, s.Off[n])
	s.W = make([]float64, s.Off[n])
	// Rows are filled in ascending order: row j receives its lower
	// neighbours i < j (ascending) before its own upper ones.
	cur := deg
	copy(cur, s.Off[:n])
	in.rows(func(i int, js []int32, ws []float64) {
		c := cur[i]
		copy(s.Adj[c:], js)
		copy(s.W[c:], ws)
		cur[i] = c + len(js)
		for k, j := range js {
			s.Adj[cur[j]], s.W[cur[j]] = int32(i), ws[k]
			cur[j]++
		}
	})
	return s
}

// incidence is the member × group incidence of a projection in both
// directions, with the scratch of the row-by-row product.
type incidence struct {
	n       int
	gOff    []int
	gMem    []int32
	gW      []float64
	mOff    []int
	mGrp    []int32
	acc     []float64
	seen    []bool
	touched []int32
	rowW    []float64
}

func newIncidence(n int, groups [][]int32, weight func(k int) float64, repeated, small *int) *incidence {
	in := &incidence{n: n, gOff: []int{0}}
	// Group → members CSR (distinct, sorted), groups with ≥ 2 members only.
	total := 0
	for _, grp := range groups {
		total += len(grp)
	}
	in.gMem = make([]int32, 0, total)
	for _, grp := range groups {
		slices.Sort(grp)
		d := slices.Compact(grp)
		*repeated += len(grp) - len(d)
		k := len(d)
		if k < 2 {
			*small++
			continue
		}
		in.gMem = append(in.gMem, d...)
		in.gOff = append(in.gOff, len(in.gMem))
		in.gW = append(in.gW, weight(k))
	}
	ng := len(in.gW)
	// Member → groups CSR (transpose), groups ascending within a row.
	in.mOff = make([]int, n+1)
	for _, m := range in.gMem {
		in.mOff[m+1]++
	}
	for i := 0; i < n; i++ {
		in.mOff[i+1] += in.mOff[i]
	}
	in.mGrp = make([]int32, len(in.gMem))
	cur := slices.Clone(in.mOff[:n])
	for g := 0; g < ng; g++ {
		for _, m := range in.gMem[in.gOff[g]:in.gOff[g+1]] {
			in.mGrp[cur[m]] = int32(g)
			cur[m]++
		}
	}
	in.acc = make([]float64, n)
	in.seen = make([]bool, n)
	return in
}

// gather marks the members j > i that share a group with i (touched,
// unsorted), summing the groups' weights in acc when sum is set.
func (in *incidence) gather(i int, sum bool) {
	in.touched = in.touched[:0]
	for _, g := range in.mGrp[in.mOff[i]:in.mOff[i+1]] {
		mem := in.gMem[in.gOff[g]:in.gOff[g+1]]
		// Members are sorted: skip to those after i.
		p, _ := slices.BinarySearch(mem, int32(i))
		wg := in.gW[g]
		for _, j := range mem[p+1:] {
			if !in.seen[j] {
				in.seen[j] = true
				in.touched = append(in.touched, j)
			}
			if sum {
				in.acc[j] += wg
			}
		}
	}
}

// upperDegrees counts, per member, its ties in both triangles.
func (in *incidence) upperDegrees() []int {
	deg := make([]int, in.n)
	for i := range in.n {
		in.gather(i, false)
		deg[i] += len(in.touched)
		for _, j := range in.touched {
			deg[j]++
			in.seen[j] = false
		}
	}
	return deg
}

// rows calls f for each member i in ascending order with the members j >
// i it shares a group with (ascending) and the summed weights; the slices
// are reused between calls.
func (in *incidence) rows(f func(i int, js []int32, ws []float64)) {
	for i := range in.n {
		in.gather(i, true)
		slices.Sort(in.touched)
		in.rowW = in.rowW[:0]
		for _, j := range in.touched {
			in.rowW = append(in.rowW, in.acc[j])
			in.acc[j], in.seen[j] = 0, false
		}
		f(i, in.touched, in.rowW)
	}
}
