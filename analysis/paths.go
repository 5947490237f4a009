package analysis

import (
	"fmt"
	"runtime"
	"time"

	"github.com/collabnet/collabnet/analytics"
)

// DefaultBudget is the time the path measures may take, estimated before
// they run, unless Options.Budget says otherwise.
const DefaultBudget = time.Minute

// Seconds per source per adjacency entry (n + 2m) on one core, measured
// with analyze on the H2020 network (35,871 organisations, 796,670 ties)
// on a 2-core machine: 500 and 2,000 sampled sources, the difference of
// the two runs, so reading the input is not counted. A machine twice as
// fast halves the time and the estimate is then cautious.
const (
	secBrandesHops = 5.8e-9  // BFS with dependency accumulation: 4.7 ms a source on 2 cores
	secDijkstra    = 2.15e-8 // Dijkstra with accumulation (weighted paths): 17.5 ms a source
	secMSBFS       = 2.8e-9  // multi-source BFS, per batch of 64 sources
)

// pathPlan is how the path measures of one network are computed.
type pathPlan struct {
	// betweenness: nil sources means every node in index order; closeness
	// likewise. With hop distances closeness and harmonic come from a
	// multi-source BFS of their own unless together.
	bSources, cSources []int
	// bSampled and cSampled: the sources are a sample (--sample), not a
	// permutation of every node.
	bSampled, cSampled bool
	together           bool // one Brandes pass computes all three
	// deadline, when set, cuts the runs short (the budget); the sources
	// are then in a seeded random order, so those swept are a sample.
	deadline time.Time
}

// planPaths decides which sources each path measure sweeps. An explicit
// Sample sets betweenness's sources (and closeness's with weighted paths,
// where the same Dijkstra sweeps give it). Without Exact the runs stop at
// the deadline, their sources in a seeded random order (a prefix of it is
// the sample --sample would draw); with Exact every source is swept in
// index order, however long it takes.
func planPaths(g *analytics.Network, opt Options, wantB, wantC bool, deadline time.Time) pathPlan {
	n := g.N()
	var p pathPlan
	if !opt.Exact {
		p.deadline = deadline
	}
	sources := func(explicit bool) ([]int, bool) {
		switch {
		case explicit && opt.Sample > 0 && opt.Sample < n:
			return analytics.SampleSources(n, opt.Sample, opt.Seed), true
		case opt.Exact:
			return nil, false
		}
		return analytics.Permutation(n, opt.Seed), false
	}
	if wantB {
		p.bSources, p.bSampled = sources(true)
	}
	if wantC {
		switch {
		case opt.WeightedPaths && wantB:
			// Dijkstra's sweeps give all three: closeness follows betweenness.
			p.cSources, p.cSampled, p.together = p.bSources, p.bSampled, true
		case opt.WeightedPaths:
			p.cSources, p.cSampled = sources(true)
		default:
			// --sample is for betweenness: with hop distances exact
			// closeness costs about 1/64 of a Brandes sweep per source,
			// and runs first, so the budget rarely cuts it.
			// Exact betweenness sweeps every source anyway.
			p.together = wantB && opt.Exact && p.bSources == nil
		}
	}
	return p
}

// budgetSample returns how many sources fit the budget when the exact run
// of a measure (cost seconds per source) is estimated to exceed it, with
// the warning that says so; 0 when it fits or Exact is set.
func budgetSample(what string, n, m int, cost float64, opt Options) (int, string) {
	budget := opt.Budget
	if budget <= 0 {
		budget = DefaultBudget
	}
	exact := time.Duration(float64(n) * cost * float64(time.Second))
	if opt.Exact || exact <= budget {
		return 0, ""
	}
	k := max(64, int(budget.Seconds()/cost))
	if k >= n {
		return 0, ""
	}
	return k, fmt.Sprintf(
		"exact %s of the %d nodes and %d ties would take about %s on %d cores, more than the budget of %s; estimated from %d sources drawn with seed %d instead (as --sample %d). --exact computes every source; a larger --budget allows more",
		what, n, m, roundDuration(exact), runtime.GOMAXPROCS(0), budget, k, opt.Seed, k)
}

// BetweennessBudget is, for a network of n nodes and m ties, the number
// of sources betweenness is estimated from when its exact run is
// estimated (at this machine's speed) to exceed opt's budget, and the
// warning to show; 0 when it fits, when Exact is set, or when Sample
// chooses the sources. The GDS engine applies it too.
func BetweennessBudget(n, m int, opt Options) (int, string) {
	if opt.Sample > 0 {
		return 0, ""
	}
	cost := float64(n+2*m) * secBrandesHops / float64(runtime.GOMAXPROCS(0))
	if opt.WeightedPaths {
		cost = float64(n+2*m) * secDijkstra / float64(runtime.GOMAXPROCS(0))
	}
	return budgetSample("betweenness", n, m, cost, opt)
}

// roundDuration keeps two significant figures or so: 2m49s, 1.3s, 85ms.
func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= time.Minute:
		return d.Round(time.Second)
	case d >= time.Second:
		return d.Round(100 * time.Millisecond)
	default:
		return d.Round(time.Millisecond)
	}
}
