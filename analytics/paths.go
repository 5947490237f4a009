package analytics

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"time"
)

// PathOptions configures the shortest-path measures.
type PathOptions struct {
	// WeightedPaths turns a tie of strength w into a path segment of length
	// 1/w (Dijkstra), as NetworkX with a `distance` edge attribute set to
	// 1/w: strong ties are short. When false, paths are counted in hops
	// (BFS), NetworkX's default.
	WeightedPaths bool
	// Sources, when non-nil, restricts the sweeps to these source nodes
	// (pivots, e.g. from SampleSources). Betweenness is then an estimate
	// scaled as nx.betweenness_centrality(k=len(Sources)) scales it, and
	// closeness and harmonic centrality are exact for the source nodes and
	// NaN for the others. nil means every node: exact values.
	Sources []int
	// Workers is the number of goroutines; 0 means GOMAXPROCS. The result
	// does not depend on it.
	Workers int
	// NoBetweenness skips betweenness (PathScores.Betweenness is nil).
	// With hop distances, closeness and harmonic centrality alone then
	// come from a bit-parallel multi-source BFS, 64 sources per traversal,
	// an order of magnitude faster than one BFS per source.
	NoBetweenness bool
	// NoCloseness skips closeness and harmonic centrality (PathScores'
	// Closeness and Harmonic are nil). Betweenness alone costs the same
	// as all three: Brandes' sweeps find the distances anyway, so when
	// all three are wanted they come from the same sweeps. (Measured on
	// H2020 with 1024 sampled sources: the sweeps take 5–8 s; a separate
	// multi-source BFS for closeness would add 60–100 ms and save nothing.)
	NoCloseness bool
	// Progress, when set, is told how many of the sources have been swept
	// (done of total), as sweeps finish; calls do not overlap.
	Progress func(done, total int)
	// Deadline, when non-zero, stops the sweeps once it has passed: the
	// sources not swept by then are left out, as if Sources had listed
	// only those swept, and PathScores.Swept says how many were. Sources
	// in a seeded random order (Permutation) make those swept a random
	// sample. Closeness and harmonic centrality are then NaN for the
	// sources not swept. It applies to the Brandes sweeps; the
	// multi-source BFS of closeness alone follows ctx only.
	Deadline time.Time
}

// PathScores holds the shortest-path centralities, indexed by node.
type PathScores struct {
	// Betweenness is normalised as nx.betweenness_centrality(G,
	// normalized=True) on an undirected graph: the sum over unordered
	// pairs {s,t} (s,t ≠ v) of σ_st(v)/σ_st, divided by (n-1)(n-2)/2.
	// With weighted paths, lengths within PathEpsilon count as equal.
	// nil when NoBetweenness was set.
	Betweenness []float64
	// Closeness is nx.closeness_centrality(G) with wf_improved=True:
	// (r-1)/Σd · (r-1)/(n-1), where r counts the nodes reachable from v
	// (v included) and Σd sums their distances; the Wasserman–Faust factor
	// (r-1)/(n-1) keeps small components from scoring high. 0 for
	// isolated nodes.
	Closeness []float64
	// Harmonic is nx.harmonic_centrality(G): Σ_{u≠v} 1/d(u,v),
	// unnormalised (divide by n-1 for the [0,1] variant igraph reports).
	// nil when NoCloseness was set.
	Harmonic []float64
	// Swept is the number of sources swept: all of them unless the
	// Deadline passed first.
	Swept int
}

// chunkSize is the number of sources summed into one partial betweenness
// vector. It is fixed (not derived from the worker count) so that the order
// of floating-point additions, and hence every bit of the result, is the
// same whatever the number of workers.
//
// Chunks hold up to 32 sources, fewer for short source lists so that a
// sample of a few hundred pivots still spreads evenly over the workers; the
// size depends only on the number of sources.
func chunkSize(sources int) int { return max(1, min(32, (sources+63)/64)) }

// ErrSourceRange reports a source index outside the network.
var ErrSourceRange = errors.New("analytics: source index out of range")

// PathCentrality computes betweenness, closeness and harmonic centrality
// from one BFS (or Dijkstra) sweep per source, with Brandes' dependency
// accumulation (Brandes 2001, J. Math. Sociol. 25, 163). Closeness and
// harmonic centrality without betweenness, with hop distances, use the
// multi-source BFS of closenessMSBFS instead; the values are the same bit
// for bit.
//
// The sweeps run in parallel: sources are cut into fixed chunks that
// workers take in turn; each worker keeps O(n) scratch memory (O(n+m) with
// Dijkstra's heap) and no predecessor lists (with hop distances the BFS
// and the way back go level by level and need not tell predecessors from
// other neighbours, see bfsCounting; with Dijkstra they are recognised by
// their distance), and the chunks' partial betweenness
// vectors are added in chunk order, so results are bit-identical run to
// run. It returns ctx.Err() if ctx is cancelled before the end.
func PathCentrality(ctx context.Context, g *Network, opt PathOptions) (*PathScores, error) {
	n := g.N()
	sources := opt.Sources
	sampled := sources != nil
	if !sampled {
		sources = make([]int, n)
		for i := range sources {
			sources[i] = i
		}
	}
	if sampled {
		seen := make([]bool, n)
		for _, s := range sources {
			if s < 0 || s >= n {
				return nil, fmt.Errorf("%w: %d", ErrSourceRange, s)
			}
			if seen[s] {
				return nil, fmt.Errorf("analytics: source %d listed twice", s)
			}
			seen[s] = true
		}
	}
	res := &PathScores{Swept: len(sources)}
	timed := !opt.Deadline.IsZero()
	if !opt.NoCloseness {
		res.Closeness, res.Harmonic = make([]float64, n), make([]float64, n)
		if sampled || timed {
			for i := 0; i < n; i++ {
				res.Closeness[i], res.Harmonic[i] = math.NaN(), math.NaN()
			}
		}
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if opt.NoBetweenness {
		if opt.NoCloseness {
			return res, nil
		}
		if !opt.WeightedPaths {
			if err := closenessMSBFS(ctx, g, sources, workers, res.Closeness, res.Harmonic, opt.Progress); err != nil {
				return nil, err
			}
			return res, nil
		}
	}
	var bc []float64
	if !opt.NoBetweenness {
		bc = make([]float64, n)
	}
	var dist []float64 // 1/w per CSR slot, when weighted
	if opt.WeightedPaths {
		dist = make([]float64, len(g.w))
		for k, w := range g.w {
			dist[k] = 1 / w
		}
	}

	chunk := chunkSize(len(sources))
	nChunks := (len(sources) + chunk - 1) / chunk
	workers = max(1, min(workers, nChunks))

	// Ordered reduction: partial vectors wait in pending until every
	// earlier chunk has been added.
	var (
		mu       sync.Mutex
		next     int // next chunk to hand out
		done     int // chunks added to bc so far
		progress int // sources swept, for Progress
		pending  = map[int][]float64{}
		pool     [][]float64
		failed   error
	)
	// swept marks the sources swept, when a deadline may cut the run short.
	var swept []bool
	if timed {
		swept = make([]bool, n)
	}
	late := func() bool { return timed && !time.Now().Before(opt.Deadline) }
	take := func() (int, []float64, bool) {
		mu.Lock()
		defer mu.Unlock()
		if next >= nChunks || failed != nil || late() {
			return 0, nil, false
		}
		if err := ctx.Err(); err != nil {
			failed = err
			return 0, nil, false
		}
		c := next
		next++
		var buf []float64
		if bc != nil {
			if l := len(pool); l > 0 {
				buf, pool = pool[l-1], pool[:l-1]
			} else {
				buf = make([]float64, n)
			}
		}
		return c, buf, true
	}
	give := func(c int, buf []float64) {
		mu.Lock()
		defer mu.Unlock()
		if opt.Progress != nil {
			progress += min(len(sources), (c+1)*chunk) - c*chunk
			opt.Progress(min(progress, len(sources)), len(sources))
		}
		if buf == nil {
			return
		}
		pending[c] = buf
		for {
			p, ok := pending[done]
			if !ok {
				return
			}
			delete(pending, done)
			for i, x := range p {
				bc[i] += x
				p[i] = 0
			}
			pool = append(pool, p)
			done++
		}
	}

	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sw := newSweeper(g, dist, bc != nil)
			for {
				c, buf, ok := take()
				if !ok {
					return
				}
				end := min(len(sources), (c+1)*chunk)
				for _, s := range sources[c*chunk : end] {
					if ctx.Err() != nil || late() {
						break
					}
					cl, hc := sw.run(s, buf)
					if swept != nil {
						swept[s] = true // each source is one worker's
					}
					if res.Closeness != nil {
						res.Closeness[s], res.Harmonic[s] = cl, hc
					}
				}
				give(c, buf)
			}
		}()
	}
	wg.Wait()
	if failed == nil {
		failed = ctx.Err()
	}
	if failed != nil {
		return nil, failed
	}
	if swept != nil {
		done := sources[:0:0]
		for _, s := range sources {
			if swept[s] {
				done = append(done, s)
			}
		}
		if len(done) < len(sources) {
			sources, sampled = done, true
		}
		res.Swept = len(done)
	}
	if bc != nil {
		rescaleBetweenness(bc, sources, sampled)
		res.Betweenness = bc
	}
	return res, nil
}

// rescaleBetweenness applies NetworkX's _rescale for undirected graphs,
// normalized=True, endpoints=False (networkx 3.6). The raw sums count each
// unordered pair twice (once from each end), which the 1/((n-1)(n-2))
// factor turns into a per-unordered-pair average. With k sampled sources a
// source node has only k-1 sources that can route through it, hence its
// own scale.
func rescaleBetweenness(bc []float64, sources []int, sampled bool) {
	n := len(bc)
	N := n - 1 // v cannot be a target when endpoints are excluded
	if N < 2 {
		return
	}
	if !sampled {
		scale := 1 / float64(N*(N-1))
		for i := range bc {
			bc[i] *= scale
		}
		return
	}
	k := len(sources)
	isSource := make([]bool, n)
	for _, s := range sources {
		isSource[s] = true
	}
	scaleSource := math.NaN()
	if k > 1 {
		scaleSource = 1 / (float64(k-1) * float64(N-1))
	}
	scaleOther := 1 / (float64(k) * float64(N-1))
	for i := range bc {
		if isSource[i] {
			bc[i] *= scaleSource
		} else {
			bc[i] *= scaleOther
		}
	}
}

// sweeper holds one worker's scratch state: everything is O(n) and reset
// only where the last sweep touched it.
type sweeper struct {
	g        *Network
	counting bool      // count shortest paths (needed for betweenness only)
	dist     []float64 // per CSR slot path length, nil for hop counts
	hops     []int32   // BFS distance, -1 = unseen
	d        []float64 // Dijkstra distance, +Inf = unseen
	done     []bool    // Dijkstra: settled
	sigma    []float64 // number of shortest paths from the source
	delta    []float64 // dependency of the source on each node
	order    []int32   // nodes in non-decreasing distance order
	levels   []int     // BFS: where each level starts in order, and its end
	sums     []float64 // BFS: per position in order, a level's pending sums
	heap     distHeap
}

func newSweeper(g *Network, dist []float64, counting bool) *sweeper {
	n := g.N()
	sw := &sweeper{g: g, dist: dist, counting: counting,
		sigma: make([]float64, n), delta: make([]float64, n),
		order: make([]int32, 0, n)}
	if dist == nil {
		sw.sums = make([]float64, n)
		sw.hops = make([]int32, n)
		for i := range sw.hops {
			sw.hops[i] = -1
		}
	} else {
		sw.d = make([]float64, n)
		sw.done = make([]bool, n)
		for i := range sw.d {
			sw.d[i] = math.Inf(1)
		}
	}
	return sw
}

// run sweeps from s, adds s's dependencies to bc (if non-nil) and returns
// the closeness and harmonic centrality of s. In an undirected graph the
// distances from s are the distances to s, so one sweep gives both.
func (sw *sweeper) run(s int, bc []float64) (closeness, harmonic float64) {
	var tot float64
	if sw.dist == nil {
		tot, harmonic = sw.bfs(s)
	} else {
		tot, harmonic = sw.dijkstra(s)
	}
	n := sw.g.N()
	r := float64(len(sw.order) - 1) // reachable nodes other than s
	if tot > 0 && n > 1 {
		closeness = r / tot * (r / float64(n-1))
	}
	if bc != nil {
		if sw.dist == nil {
			sw.accumulateHops(s, bc)
		} else {
			sw.accumulateDist(s, bc)
		}
	}
	sw.reset()
	return closeness, harmonic
}

func (sw *sweeper) bfs(s int) (tot, harmonic float64) {
	if sw.counting {
		return sw.bfsCounting(s)
	}
	g, hops := sw.g, sw.hops
	sw.order = append(sw.order[:0], int32(s))
	hops[s] = 0
	var sum int64
	var level int32
	var levelCount int64
	for head := 0; head < len(sw.order); head++ {
		v := sw.order[head]
		dv := hops[v]
		if dv != level {
			if level > 0 {
				harmonic += float64(levelCount) / float64(level)
			}
			level, levelCount = dv, 0
		}
		levelCount++
		sum += int64(dv)
		// Distances only (closeness, harmonic): no path counts.
		for _, w := range g.adj[g.off[v]:g.off[v+1]] {
			if hops[w] < 0 {
				hops[w] = dv + 1
				sw.order = append(sw.order, w)
			}
		}
	}
	if level > 0 {
		harmonic += float64(levelCount) / float64(level)
	}
	return float64(sum), harmonic
}

// bfsCounting is the BFS of Brandes' algorithm, level by level, with the
// path counts pulled rather than pushed: while the nodes of level L
// discover level L+1, each sums σ over all its neighbours, and the sums
// become σ only once the whole level is done. At that moment the
// neighbours of level L+1 and L itself still have σ = 0 (not written yet)
// and those of level L-1 are final, so every neighbour can be added
// without asking its distance: no branch on it, and one read per tie
// instead of a read and a write. sw.levels records where each level
// starts, for the accumulation.
func (sw *sweeper) bfsCounting(s int) (tot, harmonic float64) {
	g, hops, sigma, sums := sw.g, sw.hops, sw.sigma, sw.sums
	sw.order = append(sw.order[:0], int32(s))
	sw.levels = append(sw.levels[:0], 0)
	hops[s] = 0
	var sum int64
	for head, level := 0, int32(0); head < len(sw.order); level++ {
		end := len(sw.order)
		for k := head; k < end; k++ {
			v := sw.order[k]
			adj := g.adj[g.off[v]:g.off[v+1]]
			var s0, s1 float64 // two chains: the adds overlap
			i := 0
			for ; i+1 < len(adj); i += 2 {
				w0, w1 := adj[i], adj[i+1]
				s0 += sigma[w0]
				s1 += sigma[w1]
				if hops[w0] < 0 {
					hops[w0] = level + 1
					sw.order = append(sw.order, w0)
				}
				if hops[w1] < 0 {
					hops[w1] = level + 1
					sw.order = append(sw.order, w1)
				}
			}
			if i < len(adj) {
				w := adj[i]
				s0 += sigma[w]
				if hops[w] < 0 {
					hops[w] = level + 1
					sw.order = append(sw.order, w)
				}
			}
			sums[k] = s0 + s1
		}
		if level == 0 {
			sigma[s] = 1
		} else {
			for k := head; k < end; k++ {
				sigma[sw.order[k]] = sums[k]
			}
			harmonic += float64(end-head) / float64(level)
			sum += int64(end-head) * int64(level)
		}
		head = end
		sw.levels = append(sw.levels, end)
	}
	return float64(sum), harmonic
}

// accumulateHops is Brandes' back-propagation without predecessor lists,
// written as a gather, level by level from the farthest: v collects from
// its successors w (neighbours one hop farther) δ(v) = σ(v)·Σ_w
// (1+δ(w))/σ(w). coef reuses delta's storage: delta[w] holds
// (1+δ(w))/σ(w) once w's level is done, and 0 before. As in bfsCounting,
// a level's coefficients are written only after all its sums, so the
// neighbours of v at its own level and the level before still read 0 and
// every neighbour is added without asking its distance.
func (sw *sweeper) accumulateHops(s int, bc []float64) {
	g, sigma, coef, sums := sw.g, sw.sigma, sw.delta, sw.sums
	for L := len(sw.levels) - 2; L > 0; L-- {
		lo, hi := sw.levels[L], sw.levels[L+1]
		for k := lo; k < hi; k++ {
			v := sw.order[k]
			adj := g.adj[g.off[v]:g.off[v+1]]
			var s0, s1, s2, s3 float64
			i := 0
			for ; i+3 < len(adj); i += 4 {
				s0 += coef[adj[i]]
				s1 += coef[adj[i+1]]
				s2 += coef[adj[i+2]]
				s3 += coef[adj[i+3]]
			}
			for ; i < len(adj); i++ {
				s0 += coef[adj[i]]
			}
			sums[k] = (s0 + s1) + (s2 + s3)
		}
		for k := lo; k < hi; k++ {
			v := sw.order[k]
			d := sigma[v] * sums[k]
			bc[v] += d
			coef[v] = (1 + d) / sigma[v]
		}
	}
}

func (sw *sweeper) dijkstra(s int) (tot, harmonic float64) {
	g, d, done, sigma := sw.g, sw.d, sw.done, sw.sigma
	sw.order = sw.order[:0]
	d[s], sigma[s] = 0, 1
	h := &sw.heap
	h.items = h.items[:0]
	h.push(0, int32(s))
	for len(h.items) > 0 {
		dv, v := h.pop()
		if done[v] || dv > d[v] {
			continue // stale entry
		}
		done[v] = true
		sw.order = append(sw.order, v)
		if v != int32(s) {
			tot += dv
			harmonic += 1 / dv
		}
		sv := sigma[v]
		for k := g.off[v]; k < g.off[v+1]; k++ {
			w := g.adj[k]
			if done[w] {
				continue
			}
			alt := dv + sw.dist[k]
			switch {
			case sameLength(alt, d[w]):
				// Another shortest route: d[w] keeps the length
				// found first, as igraph does.
				sigma[w] += sv
			case alt < d[w]:
				d[w] = alt
				sigma[w] = sv
				h.push(alt, w)
			}
		}
	}
	return tot, harmonic
}

// PathEpsilon is the relative tolerance under which two weighted path
// lengths count as equal: |a−b| ≤ PathEpsilon·(|a|+|b|), igraph's
// igraph_cmp_epsilon with IGRAPH_SHORTEST_PATH_EPSILON. Lengths are sums
// of 1/w, and mathematically equal sums can differ in the last bits
// (1/2+1/3+1/6 ≠ 1 in floating point); compared with ==, as NetworkX does,
// one of two equally short routes would be dropped and betweenness would
// be wrong. Sums of n terms carry a relative error of about n·2⁻⁵³, far
// below 1e-10, while lengths that truly differ do so by far more for any
// weights collabnet builds (counts and sums of 1/(k-1)).
const PathEpsilon = 1e-10

// sameLength reports whether path lengths a and b are equal within
// PathEpsilon. +Inf (unreached) equals nothing.
func sameLength(a, b float64) bool {
	if math.IsInf(a, 1) || math.IsInf(b, 1) {
		return false
	}
	return a == b || math.Abs(a-b) <= PathEpsilon*(math.Abs(a)+math.Abs(b))
}

// accumulateDist is the weighted back-propagation, as a gather like
// accumulateHops: w is a successor of v exactly when d[v] + len(v,w)
// equals d[w] within PathEpsilon, the test dijkstra applied while
// relaxing. Nodes w settled before v are not successors; their coef is
// still 0 when v is reached on the way back, so they add nothing.
func (sw *sweeper) accumulateDist(s int, bc []float64) {
	g, d, sigma, coef := sw.g, sw.d, sw.sigma, sw.delta
	for k := len(sw.order) - 1; k > 0; k-- {
		v := sw.order[k]
		dv := d[v]
		var sum float64
		for e := g.off[v]; e < g.off[v+1]; e++ {
			if w := g.adj[e]; sameLength(dv+sw.dist[e], d[w]) {
				sum += coef[w]
			}
		}
		x := sigma[v] * sum
		bc[v] += x
		coef[v] = (1 + x) / sigma[v]
	}
}

func (sw *sweeper) reset() {
	for _, v := range sw.order {
		sw.sigma[v], sw.delta[v] = 0, 0
		if sw.hops != nil {
			sw.hops[v] = -1
		} else {
			sw.d[v] = math.Inf(1)
			sw.done[v] = false
		}
	}
	// Every node Dijkstra reaches is settled, so order lists every node
	// the sweep touched.
}

// distHeap is a binary min-heap of (distance, node) with lazy deletion. It
// is written out rather than using container/heap to avoid interface calls
// in the innermost loop.
type distHeap struct {
	items []heapItem
}

type heapItem struct {
	d float64
	v int32
}

func (h *distHeap) push(d float64, v int32) {
	h.items = append(h.items, heapItem{d, v})
	i := len(h.items) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(i, p) {
			break
		}
		h.items[i], h.items[p] = h.items[p], h.items[i]
		i = p
	}
}

func (h *distHeap) pop() (float64, int32) {
	top := h.items[0]
	last := len(h.items) - 1
	h.items[0] = h.items[last]
	h.items = h.items[:last]
	i := 0
	for {
		l := 2*i + 1
		if l >= last {
			break
		}
		m := l
		if r := l + 1; r < last && h.less(r, l) {
			m = r
		}
		if !h.less(m, i) {
			break
		}
		h.items[i], h.items[m] = h.items[m], h.items[i]
		i = m
	}
	return top.d, top.v
}

// less orders by distance, then node index, so ties pop in a fixed order.
func (h *distHeap) less(i, j int) bool {
	a, b := h.items[i], h.items[j]
	return a.d < b.d || (a.d == b.d && a.v < b.v)
}

// SampleSources returns k distinct node indices out of n, chosen by a
// partial Fisher–Yates shuffle driven by SplitMix64 seeded with seed, in
// the order drawn. The generator is tiny and fully specified so that other
// tools (scripts/bench-analytics re-implements it in Python) can pick the
// same pivots. k ≥ n returns every node.
func SampleSources(n, k int, seed uint64) []int {
	if k >= n {
		return shuffle(n, 0, seed)[:n:n] // every node, in index order
	}
	return shuffle(n, k, seed)
}

// Permutation returns the n node indices in the seeded random order of
// SampleSources: its first k entries are SampleSources(n, k, seed), so a
// run cut short after k sources swept the sample --sample k would.
func Permutation(n int, seed uint64) []int { return shuffle(n, n, seed) }

// shuffle runs k steps of the seeded Fisher–Yates shuffle on 0..n-1 and
// returns the first k entries (the slice has room for all n).
func shuffle(n, k int, seed uint64) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	state := seed
	for i := 0; i < k; i++ {
		state += 0x9e3779b97f4a7c15
		z := state
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		z ^= z >> 31
		j := i + int(z%uint64(n-i))
		idx[i], idx[j] = idx[j], idx[i]
	}
	return idx[:k]
}
