package analytics

import (
	"context"
	"math"
	"runtime"
	"slices"
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
// Nodes are processed in parallel; each node's value is computed by one
// goroutine alone, so the result does not depend on scheduling.
func Clustering(ctx context.Context, g *Network, weighted bool, workers int) ([]float64, error) {
	n := g.N()
	out := make([]float64, n)
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
	const block = 256
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stamp := make([]int32, n)
			for i := range stamp {
				stamp[i] = -1
			}
			mark := make([]float64, n)
			for {
				if ctx.Err() != nil {
					return
				}
				lo := int(next.Add(block)) - block
				if lo >= n {
					return
				}
				for i := lo; i < min(n, lo+block); i++ {
					out[i] = clusterNode(g, i, weighted, maxW, stamp, mark)
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func clusterNode(g *Network, i int, weighted bool, maxW float64, stamp []int32, mark []float64) float64 {
	nb, ws := g.Neighbors(i)
	d := len(nb)
	if d < 2 {
		return 0
	}
	for k, v := range nb {
		stamp[v] = int32(i)
		mark[v] = ws[k] / maxW
	}
	var tri float64
	for jj, j := range nb {
		wij := ws[jj] / maxW
		jn, jw := g.Neighbors(int(j))
		rest := nb[jj+1:] // the k > j among i's neighbours
		if len(jn) <= 8*len(rest) {
			// Scan j's neighbours, keeping the k > j tied to i.
			for kk, k := range jn {
				if k <= j || stamp[k] != int32(i) {
					continue
				}
				if weighted {
					tri += math.Cbrt(wij * (jw[kk] / maxW) * mark[k])
				} else {
					tri++
				}
			}
			continue
		}
		// j has many more neighbours than i has left (a hub): look each
		// k up in j's sorted row instead of scanning it. The k come in
		// ascending order either way, so the sum is the same bits.
		lo := 0
		for _, k := range rest {
			p, ok := slices.BinarySearch(jn[lo:], k)
			lo += p
			if !ok {
				continue
			}
			if weighted {
				tri += math.Cbrt(wij * (jw[lo] / maxW) * mark[k])
			} else {
				tri++
			}
		}
	}
	return 2 * tri / float64(d*(d-1))
}
