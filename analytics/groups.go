package analytics

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/collabnet/collabnet/internal/projection"
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
// The projection is internal/projection's, the same that derives the
// dataset's PARTNER_OF ties (graph.Dataset.Partnerships): a sparse product
// B·Bᵀ of the member×group incidence matrix, which keeps the H2020 case
// (31k projects, 36k organisations, 800k ties) to a fraction of a second.
// Weights of one tie are summed in group order, so the result is
// reproducible to the bit.
//
// It returns ctx.Err() if ctx is cancelled (checked every 4096 groups and
// between the steps).
func ProjectGroups(ctx context.Context, nodes []Node, groups [][]string, counting Counting) (*Network, error) {
	if counting != FullCounting && counting != FractionalCounting {
		return nil, errors.New("analytics: unknown counting")
	}
	// The nodes given, then each member as an index into them (one map
	// lookup a membership; a member not given becomes a node), then the
	// nodes sorted by ID and the members renumbered.
	b := NewBuilder()
	for _, n := range nodes {
		b.AddNode(n)
	}
	ng := len(groups)
	total := 0
	for _, grp := range groups {
		total += len(grp)
	}
	flat := make([]int32, 0, total)
	members := make([][]int32, ng)
	for k, grp := range groups {
		if k%4096 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		start := len(flat)
		for _, id := range grp {
			i, ok := b.index[id]
			if !ok {
				i = b.node(Node{ID: id})
			}
			flat = append(flat, i)
		}
		members[k] = flat[start:len(flat):len(flat)]
	}
	if b.err != nil {
		return nil, b.err
	}
	n := len(b.nodes)
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(x, y int32) int { return strings.Compare(b.nodes[x].ID, b.nodes[y].ID) })
	all := make([]Node, n)
	pos := make([]int32, n)
	index := make(map[string]int, n)
	for r, o := range order {
		all[r], pos[o] = b.nodes[o], int32(r)
		index[all[r].ID] = r
	}
	for i, v := range flat {
		flat[i] = pos[v]
	}

	weight := func(int) float64 { return 1 }
	if counting == FractionalCounting {
		weight = func(k int) float64 { return 1 / float64(k-1) }
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sym := projection.ProjectSymmetric(n, members, weight)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	info := BuildInfo{Groups: ng, RepeatedMembers: sym.RepeatedMembers, SmallGroups: sym.SmallGroups}
	return &Network{nodes: all, index: index, off: sym.Off, adj: sym.Adj, w: sym.W, info: info}, nil
}
