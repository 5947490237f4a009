package analytics

import (
	"errors"
	"slices"
)

// Counting chooses how a group (the parties of one agreement, the
// participants of one project) contributes to the ties of its members.
type Counting int

const (
	// FullCounting gives every pair of members of a group weight 1: a tie
	// weight is the number of groups the two share.
	FullCounting Counting = iota
	// FractionalCounting gives every pair of a group of k distinct members
	// weight 1/(k-1), so each member receives a total of exactly 1 from
	// each group it belongs to whatever the group size. This is Newman's
	// convention for collaboration networks (Newman 2001, Phys. Rev. E 64,
	// 016132) and the "fractional counting" of Perianes-Rodriguez, Waltman
	// & van Eck (2016, J. Informetrics 10, 1178): a 100-partner project
	// does not outweigh a bilateral agreement 99 to 1 in strength.
	FractionalCounting
)

// ProjectGroups projects groups onto an organisation network: every pair of
// distinct members of a group gets a tie, weighted as chosen by counting,
// and ties from several groups add up. nodes supplies names and countries;
// members not listed there become nodes with only an ID, and listed nodes
// that are in no group become isolated nodes. A member repeated within a
// group counts once; groups with fewer than two distinct members create no
// tie. Both are counted in Info().
//
// The projection is a sparse product B·Bᵀ of the member×group incidence
// matrix, done row by row with a dense accumulator: memory is
// O(nodes + memberships + ties), with no per-pair map, which keeps the
// H2020 case (31k projects, 36k organisations, 800k ties) to a fraction of
// a second. Weights of one tie are summed in group order, so the result is
// reproducible to the bit.
func ProjectGroups(nodes []Node, groups [][]string, counting Counting) (*Network, error) {
	if counting != FullCounting && counting != FractionalCounting {
		return nil, errors.New("analytics: unknown counting")
	}
	// Collect and sort node IDs.
	b := NewBuilder()
	for _, n := range nodes {
		b.AddNode(n)
	}
	for _, grp := range groups {
		for _, id := range grp {
			b.node(Node{ID: id})
		}
	}
	if b.err != nil {
		return nil, b.err
	}
	all := b.nodes
	slices.SortFunc(all, func(x, y Node) int {
		switch {
		case x.ID < y.ID:
			return -1
		case x.ID > y.ID:
			return 1
		}
		return 0
	})
	n := len(all)
	index := make(map[string]int32, n)
	for i, nd := range all {
		index[nd.ID] = int32(i)
	}
	b = nil

	info := BuildInfo{Groups: len(groups)}
	// Group → members CSR (distinct, sorted), groups with ≥ 2 members only.
	gOff := []int{0}
	var gMem []int32
	var gW []float64
	for _, grp := range groups {
		start := len(gMem)
		for _, id := range grp {
			gMem = append(gMem, index[id])
		}
		mem := gMem[start:]
		slices.Sort(mem)
		d := slices.Compact(mem)
		info.RepeatedMembers += len(mem) - len(d)
		gMem = gMem[:start+len(d)]
		k := len(d)
		if k < 2 {
			info.SmallGroups++
			gMem = gMem[:start]
			continue
		}
		gOff = append(gOff, len(gMem))
		if counting == FractionalCounting {
			gW = append(gW, 1/float64(k-1))
		} else {
			gW = append(gW, 1)
		}
	}
	ng := len(gW)
	// Member → groups CSR (transpose), groups ascending within a row.
	mOff := make([]int, n+1)
	for _, u := range gMem {
		mOff[u+1]++
	}
	for i := 0; i < n; i++ {
		mOff[i+1] += mOff[i]
	}
	mGrp := make([]int32, len(gMem))
	cur := slices.Clone(mOff[:n])
	for g := 0; g < ng; g++ {
		for _, u := range gMem[gOff[g]:gOff[g+1]] {
			mGrp[cur[u]] = int32(g)
			cur[u]++
		}
	}
	cur = nil

	// Upper triangle, row by row: acc[j] sums the weights of i–j (j > i).
	acc := make([]float64, n)
	seen := make([]bool, n)
	var touched []int32
	upOff := make([]int, n+1)
	var upAdj []int32
	var upW []float64
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
			upAdj = append(upAdj, j)
			upW = append(upW, acc[j])
			acc[j], seen[j] = 0, false
		}
		upOff[i+1] = len(upAdj)
	}
	g := fromUpper(all, upOff, upAdj, upW)
	g.info = info
	return g, nil
}
