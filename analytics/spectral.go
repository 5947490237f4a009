package analytics

import (
	"errors"
	"fmt"
	"math"
)

// PowerOptions configures the power iterations of PageRank and Eigenvector.
// The zero value gives NetworkX's defaults.
type PowerOptions struct {
	// Alpha is PageRank's damping factor; 0 means 0.85.
	Alpha float64
	// Tol is the convergence tolerance: iteration stops when the L1 change
	// of the vector is below n·Tol, NetworkX's rule. 0 means 1e-6, the
	// NetworkX default: keeping it makes the results equal to NetworkX's to
	// rounding error, because both stop at the same iterate. A smaller Tol
	// gets closer to the exact fixed point (and to igraph's PageRank).
	Tol float64
	// MaxIter caps the iterations; 0 means 100, as NetworkX.
	MaxIter int
}

func (o PowerOptions) withDefaults() PowerOptions {
	if o.Alpha == 0 {
		o.Alpha = 0.85
	}
	if o.Tol == 0 {
		o.Tol = 1e-6
	}
	if o.MaxIter == 0 {
		o.MaxIter = 100
	}
	return o
}

// ErrNotConverged reports a power iteration that reached MaxIter. The
// functions returning it still return the last iterate, which the caller may
// use knowingly (NetworkX raises PowerIterationFailedConvergence instead).
var ErrNotConverged = errors.New("analytics: power iteration did not converge")

// PageRank returns nx.pagerank(G, alpha, weight='weight'): the undirected
// graph is read as directed both ways, each node passes its score to its
// neighbours in proportion to tie weight, and nodes without ties (dangling)
// spread theirs uniformly. It starts from the uniform vector and applies
// NetworkX's stopping rule, so it stops at the same iterate. Scores sum to 1.
func PageRank(g *Network, opt PowerOptions) ([]float64, error) {
	opt = opt.withDefaults()
	n := g.N()
	if n == 0 {
		return []float64{}, nil
	}
	inv := make([]float64, n) // 1/strength, 0 for dangling nodes
	var dangling []int
	for i := 0; i < n; i++ {
		if s := g.Strength(i); s != 0 {
			inv[i] = 1 / s
		} else {
			dangling = append(dangling, i)
		}
	}
	x := make([]float64, n)
	last := make([]float64, n)
	for i := range x {
		x[i] = 1 / float64(n)
	}
	p := 1 / float64(n)
	for it := 0; it < opt.MaxIter; it++ {
		x, last = last, x
		var dsum float64
		for _, i := range dangling {
			dsum += last[i]
		}
		var err float64
		for j := 0; j < n; j++ {
			var acc float64
			for k := g.off[j]; k < g.off[j+1]; k++ {
				i := g.adj[k]
				acc += last[i] * (g.w[k] * inv[i])
			}
			x[j] = opt.Alpha*(acc+dsum*p) + (1-opt.Alpha)*p
			err += math.Abs(x[j] - last[j])
		}
		if err < float64(n)*opt.Tol {
			return x, nil
		}
	}
	return x, fmt.Errorf("%w after %d iterations (PageRank)", ErrNotConverged, opt.MaxIter)
}

// Eigenvector returns nx.eigenvector_centrality(G, weight='weight'): the
// power iteration x ← (A+I)x from the all-ones vector (scaled to sum 1),
// normalised to unit Euclidean length at each step, with NetworkX's stopping
// rule. Adding I makes the iteration converge on bipartite graphs; on a
// disconnected graph the result is whatever that iteration reaches when it
// stops (the components with the largest eigenvalue dominate, the others
// decay but are not zero), which is why the iteration is replicated exactly
// rather than computing the eigenvector some other way. Alpha is ignored.
func Eigenvector(g *Network, opt PowerOptions) ([]float64, error) {
	opt = opt.withDefaults()
	n := g.N()
	if n == 0 {
		return []float64{}, nil
	}
	x := make([]float64, n)
	last := make([]float64, n)
	for i := range x {
		x[i] = 1 / float64(n)
	}
	for it := 0; it < opt.MaxIter; it++ {
		x, last = last, x
		var norm2 float64
		for j := 0; j < n; j++ {
			acc := last[j]
			for k := g.off[j]; k < g.off[j+1]; k++ {
				acc += last[g.adj[k]] * g.w[k]
			}
			x[j] = acc
			norm2 += acc * acc
		}
		norm := math.Sqrt(norm2)
		if norm == 0 {
			norm = 1
		}
		var err float64
		for j := range x {
			x[j] /= norm
			err += math.Abs(x[j] - last[j])
		}
		if err < float64(n)*opt.Tol {
			return x, nil
		}
	}
	return x, fmt.Errorf("%w after %d iterations (eigenvector)", ErrNotConverged, opt.MaxIter)
}
