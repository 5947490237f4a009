package analytics

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// PowerOptions configures the power iterations of PageRank and Eigenvector.
// The zero value iterates to the converged value (Tolerance 1e-12).
type PowerOptions struct {
	// Alpha is PageRank's damping factor; 0 means 0.85.
	Alpha float64
	// Tolerance stops the iteration once the largest change of any node's
	// score in one step is below it (an L∞ rule, absolute: scores are at
	// most 1). 0 means DefaultTolerance, 1e-12, which leaves the result
	// within about 1e-11 of the exact fixed point: it matches igraph (PRPACK,
	// ARPACK) to 1e-9 and NetworkX run with tol=1e-12. NetworkX's default
	// (L1 change below n·1e-6) stops up to a few percent off on real
	// networks; Tolerance 1e-6 is not the same rule.
	Tolerance float64
	// MaxIter caps the iterations; 0 means DefaultMaxIter. Reaching it
	// returns a *NotConvergedError together with the last iterate.
	MaxIter int
	// Workers is the number of goroutines of each step; 0 means
	// GOMAXPROCS. The result does not depend on it.
	Workers int
}

// DefaultTolerance is PowerOptions.Tolerance's default.
const DefaultTolerance = 1e-12

// DefaultMaxIter is PowerOptions.MaxIter's default. PageRank contracts by
// Alpha per step and reaches 1e-12 in about 170 steps; eigenvector
// centrality converges as ((λ₂+1)/(λ₁+1))^k and needs up to a few thousand
// steps on networks with a small spectral gap.
const DefaultMaxIter = 10000

func (o PowerOptions) withDefaults() PowerOptions {
	if o.Alpha == 0 {
		o.Alpha = 0.85
	}
	if o.Tolerance == 0 {
		o.Tolerance = DefaultTolerance
	}
	if o.MaxIter == 0 {
		o.MaxIter = DefaultMaxIter
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o
}

// powerBlock is the number of rows one goroutine computes at a time. The
// partial sums of a step (norm, change) are kept per block and combined in
// block order, so the result is the same bits whatever the workers.
const powerBlock = 2048

// blocks runs f(block, lo, hi) for every block of powerBlock rows of an
// n-row step, on up to workers goroutines.
func blocks(n, workers int, f func(b, lo, hi int)) {
	nb := (n + powerBlock - 1) / powerBlock
	workers = max(1, min(workers, nb))
	if workers == 1 {
		for b := 0; b < nb; b++ {
			f(b, b*powerBlock, min(n, (b+1)*powerBlock))
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				b := int(next.Add(1)) - 1
				if b >= nb {
					return
				}
				f(b, b*powerBlock, min(n, (b+1)*powerBlock))
			}
		}()
	}
	wg.Wait()
}

// ErrNotConverged reports a power iteration that reached MaxIter. The
// errors returned wrap it as a *NotConvergedError, which says by how much.
var ErrNotConverged = errors.New("analytics: power iteration did not converge")

// NotConvergedError is the error PageRank and Eigenvector return when
// MaxIter steps did not bring the largest change below Tolerance. The
// scores returned with it are the last iterate: usable, but only as exact
// as Change says. errors.Is(err, ErrNotConverged) holds; its Error text is
// a complete warning for the user.
type NotConvergedError struct {
	Measure    string  // "PageRank" or "eigenvector centrality"
	Iterations int     // steps done (= MaxIter)
	Change     float64 // largest change of a node's score in the last step
	Tolerance  float64 // the tolerance that was not reached
}

func (e *NotConvergedError) Error() string {
	return fmt.Sprintf("%s did not converge: after %d iterations the largest change of a score is %.3g, above the tolerance %.3g; the values are the last iterate",
		e.Measure, e.Iterations, e.Change, e.Tolerance)
}

// Is makes errors.Is(err, ErrNotConverged) true.
func (e *NotConvergedError) Is(target error) bool { return target == ErrNotConverged }

// PageRank returns the PageRank vector with damping Alpha and tie weights
// (nx.pagerank(G, alpha, weight='weight') at a tight tol, igraph's
// PRPACK): the undirected graph is read as directed both ways, each node
// passes its score to its neighbours in proportion to tie weight, and
// nodes without ties (dangling) spread theirs uniformly. Scores sum to 1.
//
// It solves the PageRank equations directly instead of iterating them:
// every node with ties gets β·z, every node without gets β, where z solves
// (I − αAD⁻¹)z = 1 (D the strengths) and β normalises the sum to 1. On an
// undirected graph that system is symmetric positive definite after the
// change of variables z = D^½y, so conjugate gradients solve it, in about
// a third of the steps power iteration needs (rate (√κ−1)/(√κ+1) with
// κ = (1+α)/(1−α), against α). Each step costs one pass over the ties. It
// stops when the largest change of any score in one step is below
// Tolerance; a non-converged run returns the last iterate and a
// *NotConvergedError. Alpha must be in (0, 1).
func PageRank(g *Network, opt PowerOptions) ([]float64, error) {
	opt = opt.withDefaults()
	if !(opt.Alpha > 0 && opt.Alpha < 1) {
		return nil, fmt.Errorf("analytics: PageRank damping factor %v is not in (0, 1)", opt.Alpha)
	}
	n := g.N()
	if n == 0 {
		return []float64{}, nil
	}
	alpha := opt.Alpha
	sq := make([]float64, n)  // √strength, 0 for nodes without ties
	inv := make([]float64, n) // 1/√strength, 0 for nodes without ties
	dangling := 0
	for i := 0; i < n; i++ {
		if s := g.Strength(i); s != 0 {
			sq[i] = math.Sqrt(s)
			inv[i] = 1 / sq[i]
		} else {
			dangling++
		}
	}
	// S = D^-½ A D^-½: slot k of row j holds w_jk/√(d_j d_k).
	coef := make([]float64, len(g.adj))
	for j := 0; j < n; j++ {
		for k := g.off[j]; k < g.off[j+1]; k++ {
			coef[k] = g.w[k] * inv[j] * inv[g.adj[k]]
		}
	}
	// Conjugate gradients on (I − αS)y = D^-½·1 from y = 0.
	y := make([]float64, n)
	r := make([]float64, n)
	p := make([]float64, n)
	q := make([]float64, n)
	copy(r, inv)
	copy(p, inv)
	nb := (n + powerBlock - 1) / powerBlock
	pq, rr2, sz, dx := make([]float64, nb), make([]float64, nb), make([]float64, nb), make([]float64, nb)
	var rr float64
	for _, v := range r {
		rr += v * v
	}
	sum := func(part []float64) float64 {
		var t float64
		for _, v := range part {
			t += v
		}
		return t
	}
	var change float64
	for it := 0; it < opt.MaxIter; it++ {
		blocks(n, opt.Workers, func(b, lo, hi int) {
			var t float64
			for j := lo; j < hi; j++ {
				var acc float64
				for k := g.off[j]; k < g.off[j+1]; k++ {
					acc += p[g.adj[k]] * coef[k]
				}
				q[j] = p[j] - alpha*acc
				t += p[j] * q[j]
			}
			pq[b] = t
		})
		den := sum(pq)
		if !(den > 0) || rr == 0 {
			break // solved exactly: nothing left to correct
		}
		a := rr / den
		blocks(n, opt.Workers, func(b, lo, hi int) {
			var t, z, m float64
			for j := lo; j < hi; j++ {
				y[j] += a * p[j]
				r[j] -= a * q[j]
				t += r[j] * r[j]
				z += sq[j] * y[j]
				m = math.Max(m, math.Abs(a*p[j])*sq[j])
			}
			rr2[b], sz[b], dx[b] = t, z, m
		})
		beta := 1 / (sum(sz) + float64(dangling))
		change = beta * slices.Max(dx)
		if change < opt.Tolerance {
			return pageRankScores(y, sq, beta), nil
		}
		rrNew := sum(rr2)
		gamma := rrNew / rr
		rr = rrNew
		blocks(n, opt.Workers, func(b, lo, hi int) {
			for j := lo; j < hi; j++ {
				p[j] = r[j] + gamma*p[j]
			}
		})
	}
	beta := 1 / (sum(sz) + float64(dangling))
	x := pageRankScores(y, sq, beta)
	if change < opt.Tolerance {
		return x, nil
	}
	return x, &NotConvergedError{Measure: "PageRank", Iterations: opt.MaxIter, Change: change, Tolerance: opt.Tolerance}
}

// pageRankScores turns the solution y into scores: β·√d·y for nodes with
// ties, β for nodes without.
func pageRankScores(y, sq []float64, beta float64) []float64 {
	x := make([]float64, len(y))
	for i := range x {
		if sq[i] == 0 {
			x[i] = beta
		} else {
			x[i] = beta * sq[i] * y[i]
		}
	}
	return x
}

// Eigenvector returns the eigenvector centrality with tie weights, scaled
// to unit Euclidean length (nx.eigenvector_centrality(G, weight='weight')
// at a tight tol; igraph's eigenvector_centrality(scale=False) divided by
// its norm). It is the power iteration x ← (A+I)x from the uniform vector,
// normalised at each step, until the largest change is below Tolerance.
// Adding I shifts every eigenvalue by 1 without changing the eigenvectors,
// which makes the iteration converge on bipartite graphs. On a disconnected
// graph the components whose largest eigenvalue is not the graph's decay
// towards 0. Alpha is ignored. A non-converged run returns the last iterate
// and a *NotConvergedError.
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
	var change float64
	part := make([]float64, (n+powerBlock-1)/powerBlock) // per-block Σx², then largest change
	for it := 0; it < opt.MaxIter; it++ {
		x, last = last, x
		blocks(n, opt.Workers, func(b, lo, hi int) {
			var norm2 float64
			for j := lo; j < hi; j++ {
				acc := last[j]
				for k := g.off[j]; k < g.off[j+1]; k++ {
					acc += last[g.adj[k]] * g.w[k]
				}
				x[j] = acc
				norm2 += acc * acc
			}
			part[b] = norm2
		})
		var norm2 float64
		for _, s := range part {
			norm2 += s
		}
		norm := math.Sqrt(norm2)
		if norm == 0 {
			norm = 1
		}
		blocks(n, opt.Workers, func(b, lo, hi int) {
			var change float64
			for j := lo; j < hi; j++ {
				x[j] /= norm
				change = math.Max(change, math.Abs(x[j]-last[j]))
			}
			part[b] = change
		})
		if change = slices.Max(part); change < opt.Tolerance {
			return x, nil
		}
	}
	return x, &NotConvergedError{Measure: "eigenvector centrality", Iterations: opt.MaxIter, Change: change, Tolerance: opt.Tolerance}
}
