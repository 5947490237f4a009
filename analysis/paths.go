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
	// betweenness: nil sources means exact; closeness likewise. With
	// hop distances closeness and harmonic come from a multi-source BFS
	// of their own when betweenness is sampled (exact is cheap there).
	bSources, cSources []int
	together           bool // one Brandes pass computes all three
	warnings           []string
}

// planPaths decides, before anything runs, which sources each path
// measure sweeps. An explicit Sample sets betweenness's sources (and
// closeness's with weighted paths, where the same Dijkstra sweeps give
// it); otherwise a measure whose
// exact run is estimated to exceed the budget is estimated from as many
// seeded sources as fit in it, with a warning that says so and how to
// force the exact run (Exact).
func planPaths(g *analytics.Network, opt Options, wantB, wantC bool) pathPlan {
	n := g.N()
	workers := float64(runtime.GOMAXPROCS(0))
	entries := float64(n + 2*g.M())
	perSource := entries * secBrandesHops / workers
	if opt.WeightedPaths {
		perSource = entries * secDijkstra / workers
	}
	budget := opt.Budget
	if budget <= 0 {
		budget = DefaultBudget
	}
	var p pathPlan
	// sample returns the sources of a measure: those of an explicit
	// Sample when it applies, else all (nil) or as many as fit the budget.
	sample := func(what string, cost float64, explicit bool) []int {
		if explicit && opt.Sample > 0 && opt.Sample < n {
			return analytics.SampleSources(n, opt.Sample, opt.Seed)
		}
		exact := time.Duration(float64(n) * cost * float64(time.Second))
		if opt.Exact || exact <= budget {
			return nil
		}
		k := max(64, int(budget.Seconds()/cost))
		if k >= n {
			return nil
		}
		p.warnings = append(p.warnings, fmt.Sprintf(
			"exact %s of the %d nodes and %d ties would take about %s on %d cores, more than the budget of %s; estimated from %d sources drawn with seed %d instead (as --sample %d). --exact computes every source; a larger --budget allows more",
			what, n, g.M(), exact.Round(time.Second), int(workers), budget, k, opt.Seed, k))
		return analytics.SampleSources(n, k, opt.Seed)
	}
	if wantB {
		p.bSources = sample("betweenness", perSource, true)
	}
	if wantC {
		switch {
		case opt.WeightedPaths && wantB:
			// Dijkstra's sweeps give all three: closeness follows betweenness.
			p.cSources, p.together = p.bSources, true
		case opt.WeightedPaths:
			p.cSources = sample("closeness and harmonic centrality", perSource, true)
		default:
			// --sample is for betweenness: with hop distances exact
			// closeness costs about 1/64 of a Brandes sweep per source.
			p.cSources = sample("closeness and harmonic centrality", entries*secMSBFS/64/workers, false)
			// Exact betweenness sweeps every source anyway.
			p.together = wantB && p.bSources == nil && p.cSources == nil
		}
	}
	return p
}
