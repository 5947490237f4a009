package analytics

import (
	"cmp"
	"context"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// Clustering returns the local clustering coefficient of every node, as
// nx.clustering(G) (weighted=false) or nx.clustering(G, weight='weight')
// (weighted=true).
//
// Unweighted it is the share of pairs of neighbours that are tied. Weighted
// it is Onnela et al.'s generalisation (2005, Phys. Rev. E 71, 065103):
//
//	c_i = 1/(k_i(k_i-1)) · Σ_{j,k} (ŵ_ij ŵ_jk ŵ_ki)^{1/3}
//
// over ordered pairs of neighbours, with ŵ = w / max(w) (the largest weight
// in the whole network), so a triangle counts by the geometric mean of its
// normalised weights. Nodes with fewer than two neighbours get 0. (igraph's
// weighted transitivity uses Barrat's formula instead and differs.)
//
// Each triangle is found once, from its corner of lowest (degree, index)
// rank, along ties oriented towards higher rank (Chiba–Nishizeki's
// "forward" listing, O(m^1.5)), and its value is added to its three
// corners. The low corners are cut into a fixed number of chunks that
// workers take in turn, each chunk summing into its own vector; the chunk
// vectors are added in chunk order, so the result is the same bits whatever
// the number of workers.
func Clustering(ctx context.Context, g *Network, weighted bool, workers int) ([]float64, error) {
	n := g.N()
	out := make([]float64, n)
	if n == 0 {
		return out, nil
	}
	maxW := 1.0
	if weighted && len(g.w) > 0 {
		maxW = 0
		for _, w := range g.w {
			maxW = max(maxW, w)
		}
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	fw := forwardTies(g, maxW)
	chunks := min(clusterChunks, n)
	sums := make([][]float64, chunks)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(workers, chunks)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stamp := make([]int32, n)
			for i := range stamp {
				stamp[i] = -1
			}
			mark := make([]float64, n)
			for ctx.Err() == nil {
				c := int(next.Add(1)) - 1
				if c >= chunks {
					return
				}
				tri := make([]float64, n)
				for u := c * n / chunks; u < (c+1)*n/chunks; u++ {
					fw.triangles(u, weighted, stamp, mark, tri)
				}
				sums[c] = tri
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, tri := range sums {
		for i, t := range tri {
			out[i] += t
		}
	}
	for i := range out {
		if d := g.Degree(i); d >= 2 {
			out[i] = 2 * out[i] / float64(d*(d-1))
		} else {
			out[i] = 0
		}
	}
	return out, nil
}

// clusterChunks is the fixed number of chunks of Clustering: enough for the
// workers of a large machine to share, few enough that one vector per chunk
// stays small.
const clusterChunks = 32

// forward holds every tie once, oriented from the corner of lower rank
// (degree, then index) to the higher, in CSR rows sorted by index, with
// normalised weights ŵ.
type forward struct {
	off []int
	adj []int32
	w   []float64
}

func forwardTies(g *Network, maxW float64) *forward {
	n := g.N()
	higher := func(u, v int) bool {
		return cmp.Or(cmp.Compare(g.Degree(u), g.Degree(v)), cmp.Compare(u, v)) < 0
	}
	f := &forward{off: make([]int, n+1), adj: make([]int32, 0, len(g.adj)/2), w: make([]float64, 0, len(g.adj)/2)}
	for u := 0; u < n; u++ {
		for k := g.off[u]; k < g.off[u+1]; k++ {
			if v := int(g.adj[k]); higher(u, v) {
				f.adj = append(f.adj, int32(v))
				f.w = append(f.w, g.w[k]/maxW)
			}
		}
		f.off[u+1] = len(f.adj)
	}
	return f
}

// triangles adds to tri the value of every triangle whose lowest corner is
// u (1, or the geometric mean of its ŵ when weighted), at each corner.
func (f *forward) triangles(u int, weighted bool, stamp []int32, mark, tri []float64) {
	out := f.adj[f.off[u]:f.off[u+1]]
	if len(out) < 2 {
		return
	}
	for k, v := range out {
		stamp[v] = int32(u)
		mark[v] = f.w[f.off[u]+k]
	}
	for k, v := range out {
		wuv := f.w[f.off[u]+k]
		for e := f.off[v]; e < f.off[v+1]; e++ {
			x := f.adj[e]
			if stamp[x] != int32(u) {
				continue
			}
			t := 1.0
			if weighted {
				t = math.Cbrt(wuv * f.w[e] * mark[x])
			}
			tri[u] += t
			tri[v] += t
			tri[x] += t
		}
	}
}
