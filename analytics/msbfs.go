package analytics

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
)

// closenessMSBFS computes closeness and harmonic centrality with hop
// distances for every node in sources, writing cl[s] and hc[s], by
// bit-parallel multi-source BFS (Then et al., "The More the Merrier:
// Efficient Multi-Source Graph Traversal", PVLDB 8(4), 2014): 64 sources
// share one traversal, each node keeping one machine word per state whose
// bit i says whether source i has seen it (seen), reached it in the level
// being expanded (visit) or reaches it in the next level (next). A tie is
// scanned once per level for all 64 sources instead of once per source.
//
// Each level switches between top-down (frontier nodes push their visit
// word to their neighbours) and bottom-up (nodes not yet seen by every
// source pull the visit words of their neighbours, stopping as soon as
// nothing is left to learn), whichever scans fewer ties (Beamer et al.'s
// direction optimisation, bit-parallel as in Then et al.).
//
// The number of nodes each source reaches at each level is counted with
// bit-sliced (vertical) counters: a word per binary digit, so adding a
// node's word counts for 64 sources in a few instructions. Closeness and
// harmonic are then formed from those counts exactly as the single-source
// sweep forms them, level by level in increasing order, so the results
// are bit-identical to it. Batches of 64 run in parallel; each source's
// values are written by one goroutine, so the result does not depend on
// the workers.
func closenessMSBFS(ctx context.Context, g *Network, sources []int, workers int, cl, hc []float64, progress func(done, total int)) error {
	sources = bfsOrder(g, sources)
	nb := (len(sources) + 63) / 64
	workers = max(1, min(workers, nb))
	var next atomic.Int64
	var mu sync.Mutex
	swept := 0
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := newMSBFS(g)
			for ctx.Err() == nil {
				b := int(next.Add(1)) - 1
				if b >= nb {
					return
				}
				batch := sources[b*64 : min(len(sources), (b+1)*64)]
				m.run(batch, cl, hc)
				if progress != nil {
					mu.Lock()
					swept += len(batch)
					progress(swept, len(sources))
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// bfsOrder returns sources sorted by their position in a breadth-first
// traversal of the graph (component by component, from the smallest
// index). Sources that are close together share most of their frontiers,
// so a batch of them settles each node at few distinct levels and the
// shared traversal does less work; sources of one component also end
// together. On H2020 this halves the time against index order.
func bfsOrder(g *Network, sources []int) []int {
	n := g.N()
	rank := make([]int32, n)
	for i := range rank {
		rank[i] = -1
	}
	queue := make([]int32, 0, n)
	for s := 0; s < n; s++ {
		if rank[s] >= 0 {
			continue
		}
		rank[s] = int32(len(queue))
		queue = append(queue, int32(s))
		for h := len(queue) - 1; h < len(queue); h++ {
			v := queue[h]
			for _, w := range g.adj[g.off[v]:g.off[v+1]] {
				if rank[w] < 0 {
					rank[w] = int32(len(queue))
					queue = append(queue, w)
				}
			}
		}
	}
	out := slices.Clone(sources)
	slices.SortFunc(out, func(a, b int) int { return int(rank[a]) - int(rank[b]) })
	return out
}

// msbfs is one worker's scratch state, O(n) words.
type msbfs struct {
	g                 *Network
	seen, visit, next []uint64
	frontier, nf      []int32
	counter           [64]uint64 // bit-sliced per-source counts of one level
}

func newMSBFS(g *Network) *msbfs {
	n := g.N()
	return &msbfs{g: g, seen: make([]uint64, n), visit: make([]uint64, n), next: make([]uint64, n),
		frontier: make([]int32, 0, n), nf: make([]int32, 0, n)}
}

// add counts one node for every source whose bit is set in x.
func (m *msbfs) add(x uint64) {
	for j := 0; x != 0; j++ {
		c := m.counter[j]
		m.counter[j] = c ^ x
		x &= c
	}
}

// take returns source i's count and is called for every i before the
// counter is cleared.
func (m *msbfs) take(i uint, digits int) int64 {
	var c int64
	for j := 0; j < digits; j++ {
		c |= int64(m.counter[j]>>i&1) << j
	}
	return c
}

func (m *msbfs) run(batch []int, cl, hc []float64) {
	g := m.g
	n := g.N()
	k := len(batch)
	full := ^uint64(0) >> (64 - k)
	clear(m.seen)
	m.frontier = m.frontier[:0]
	for i, s := range batch {
		m.seen[s] |= 1 << i
		m.visit[s] |= 1 << i
		m.frontier = append(m.frontier, int32(s))
	}
	var sum, reach [64]int64
	var harmonic [64]float64
	// Ties not yet scanned from the unvisited side, for the direction
	// heuristic: the bottom-up step scans the ties of nodes not seen by
	// every source, the top-down step those of the frontier.
	unsettledTies := int64(len(g.adj))
	for level := int64(1); len(m.frontier) > 0; level++ {
		// active: the sources still expanding. A source whose BFS has
		// ended (its component is exhausted) will find nothing more,
		// so bottom-up must not look for it.
		var frontierTies int64
		var active uint64
		for _, v := range m.frontier {
			frontierTies += int64(g.off[v+1] - g.off[v])
			active |= m.visit[v]
		}
		m.nf = m.nf[:0]
		if frontierTies*4 < unsettledTies {
			m.topDown()
		} else {
			unsettledTies = m.bottomUp(full & active)
		}
		// Count, per source, the nodes reached at this level.
		for _, w := range m.nf {
			m.add(m.next[w])
		}
		digits := 64
		for digits > 0 && m.counter[digits-1] == 0 {
			digits--
		}
		for _, v := range m.frontier {
			m.visit[v] = 0
		}
		for _, w := range m.nf {
			m.visit[w], m.next[w] = m.next[w], 0
		}
		m.frontier, m.nf = m.nf, m.frontier
		if digits == 0 {
			continue
		}
		for i := range k {
			if c := m.take(uint(i), digits); c > 0 {
				sum[i] += c * level
				reach[i] += c
				harmonic[i] += float64(c) / float64(level)
			}
		}
		clear(m.counter[:digits])
	}
	for i, s := range batch {
		r, tot := float64(reach[i]), float64(sum[i])
		cl[s], hc[s] = 0, harmonic[i]
		if tot > 0 && n > 1 {
			cl[s] = r / tot * (r / float64(n-1))
		}
	}
}

// topDown expands the frontier: every frontier node passes the sources
// that reached it to its neighbours that those sources have not seen.
func (m *msbfs) topDown() {
	g, seen, next := m.g, m.seen, m.next
	for _, v := range m.frontier {
		x := m.visit[v]
		for _, w := range g.adj[g.off[v]:g.off[v+1]] {
			if nw := x &^ seen[w]; nw != 0 {
				if next[w] == 0 {
					m.nf = append(m.nf, w)
				}
				next[w] |= nw
				seen[w] |= nw
			}
		}
	}
}

// bottomUp lets every node that some active source has not seen gather
// the visit words of its neighbours; it stops early once every missing
// source is found. It returns the ties of the nodes still not seen by
// every active source afterwards.
func (m *msbfs) bottomUp(active uint64) int64 {
	g, seen, visit, next := m.g, m.seen, m.visit, m.next
	var unsettled int64
	for w := range seen {
		missing := active &^ seen[w]
		if missing == 0 {
			continue
		}
		var acc uint64
		for _, v := range g.adj[g.off[w]:g.off[w+1]] {
			acc |= visit[v]
			if acc&missing == missing {
				break
			}
		}
		if nw := acc & missing; nw != 0 {
			next[w] = nw
			m.nf = append(m.nf, int32(w))
		}
		if missing&^acc != 0 {
			unsettled += int64(g.off[w+1] - g.off[w])
		}
	}
	// seen is updated after the sweep: a node found at this level must not
	// pass the news on within the same level.
	for _, w := range m.nf {
		seen[w] |= next[w]
	}
	return unsettled
}
