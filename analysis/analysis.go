// Package analysis chooses what to compute on a collaboration graph: it
// builds the organisation and country networks from a dataset and runs the
// requested analytics measures on them. report renders its result; the
// analyze and export commands print and write it.
package analysis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/collabnet/collabnet/analytics"
	"github.com/collabnet/collabnet/graph"
)

// Options are the analysis parameters; the report's method notes name them.
type Options struct {
	Countries     []string `json:"countries,omitempty"`      // ISO codes: analyse only ties within these countries
	Fractional    bool     `json:"fractional,omitempty"`     // fractional counting of multi-party agreements
	WeightedPaths bool     `json:"weighted_paths,omitempty"` // distance 1/w instead of hops
	Resolution    float64  `json:"resolution"`               // Louvain resolution
	Seed          uint64   `json:"seed"`                     // Louvain seed
	Sample        int      `json:"sample,omitempty"`         // >0: betweenness/closeness estimated from this many sources
	// Budget (0: DefaultBudget) is a deadline: the wall-clock time from
	// the start of Analyze after which the path measures stop with what
	// they have: betweenness estimated from the sources swept by then (in
	// a seeded random order), closeness and harmonic centrality only if
	// complete, with a warning that says so. Exact computes path measures
	// from every source, however long it takes. In JSON the budget is
	// budget_seconds.
	Exact  bool          `json:"exact,omitempty"`
	Budget time.Duration `json:"-"`
	// Tolerance stops PageRank and eigenvector centrality once no score
	// changes by more than it in a step; 0 means analytics.DefaultTolerance
	// (1e-12).
	Tolerance float64 `json:"tolerance,omitempty"`
	// Notify, when set, is told each warning as soon as it is known (a
	// path measure switched to sampling is known before it runs); every
	// warning is also in its Level's Warnings.
	Notify func(warning string) `json:"-"`
	// Progress, when set, is told how far the long measures are: the
	// measure ("betweenness", "closeness"), sources swept and their total.
	Progress func(measure string, done, total int) `json:"-"`
	// Measures are the per-node measures to compute, at every level
	// analysed; nil means AllMeasures.
	Measures []Measure `json:"measures,omitempty"`
	// Engine is where the measures run: "go" (or empty), this process
	// with package analytics, or "gds", inside Neo4j with Graph Data
	// Science (neo4jstore.AnalyzeGDS). Analyze runs only "go".
	Engine string `json:"engine,omitempty"`
	// Community is the community detection: "louvain" (or empty), or
	// "leiden", which only the gds engine has.
	Community string `json:"community,omitempty"`
	// Levels are the networks to analyse, LevelOrg and/or LevelCountry;
	// nil means both. The country network is aggregated from the
	// organisation network, which is then built but not analysed.
	Levels []string `json:"-"`
	// Filter selects agreements and thins the network (see Filter for
	// the order of its steps).
	Filter Filter `json:"filter,omitzero"`
	// Normalize is the similarity measure each tie is normalised by
	// (analytics.Normalization; "" or none: no normalisation); the
	// normalised value is written beside the raw weight.
	Normalize analytics.Normalization `json:"normalize,omitempty"`
	// NormalizedWeights has the weighted measures (strength, PageRank,
	// clustering, weighted paths) and Louvain use the normalised weights
	// instead of the counted ones.
	NormalizedWeights bool `json:"normalized_weights,omitempty"`
	// Period splits the dated agreements into periods ("year" or
	// "N-years") and analyses the network of each (Analysis.Periods).
	Period string `json:"period,omitempty"`
	// RollUp counts every organisation that is part of another (part_of)
	// as its topmost parent, in the network and its normalisation.
	RollUp bool `json:"roll_up,omitempty"`
	// PeriodLevels and PeriodMeasures narrow what each period analyses
	// (nil: Levels and Measures); the report asks for the country level's
	// degree and strength only.
	PeriodLevels   []string  `json:"period_levels,omitempty"`
	PeriodMeasures []Measure `json:"period_measures,omitempty"`
}

// budget is Budget, or DefaultBudget when unset.
func (o Options) budget() time.Duration {
	if o.Budget <= 0 {
		return DefaultBudget
	}
	return o.Budget
}

// The engines.
const (
	EngineGo  = "go"
	EngineGDS = "gds"
)

// The levels of analysis.
const (
	LevelOrg     = "org"
	LevelCountry = "country"
)

// measures returns the measures to compute, in output order.
func (o Options) measures() []Measure {
	if o.Measures == nil {
		return AllMeasures()
	}
	return o.Measures
}

func (o Options) wants(level string) bool { return o.Levels == nil || slices.Contains(o.Levels, level) }

// NodeScore is one node of an analysed network and its measures. Values
// holds the measures computed (keyed by name; NaN when unknown), and the
// free ones (degree, strength) always; its JSON has the id, names,
// country, the measures in output order, and the country figures.
type NodeScore struct {
	ID      string
	Name    string
	NameEN  string
	Country string
	Values  map[Measure]float64
	// Country level only.
	Partners           *int
	LinkStrength       *float64
	Domestic           *float64
	InternationalShare *float64
	// Agreements is the number of agreements the node is party to (for a
	// country, with at least one of its organisations) among those the
	// network is built from: s_i of the normalisation, the count
	// --min-agreements tests. Set with either.
	Agreements *int
	// AvgYear is the mean year of the dated agreements the node is party
	// to among those the network is built from (VOSviewer's overlay
	// "average publication year"); nil when none is dated.
	AvgYear *float64
	// Kind is an organisation's kind (organisation level).
	Kind string
}

// Value is n's value of measure m, NaN when unknown or not computed.
func (n *NodeScore) Value(m Measure) float64 {
	if v, ok := n.Values[m]; ok {
		return v
	}
	return math.NaN()
}

// Int is n's value of an integer measure (degree, community); 0 when not
// computed.
func (n *NodeScore) Int(m Measure) int {
	v, ok := n.Values[m]
	if !ok || math.IsNaN(v) {
		return 0
	}
	return int(v)
}

// Set sets n's value of measure m.
func (n *NodeScore) Set(m Measure, v float64) {
	if n.Values == nil {
		n.Values = make(map[Measure]float64, 4)
	}
	n.Values[m] = v
}

// GraphFigures are the graph-level figures. Modularity and Communities
// are those of the Louvain partition, set (and in the JSON) only when the
// community measure was computed.
type GraphFigures struct {
	GraphShape
	Modularity  float64 `json:"modularity"`
	Communities int     `json:"communities"`
}

// GraphShape are the figures computed for every level: size, density
// and connectivity (analytics.Summarize).
type GraphShape = analytics.Summary

// Level is the analysis of one network (organisations or countries).
type Level struct {
	Level string `json:"level"`
	// Measures are the per-node measures computed, in output order.
	Measures []Measure    `json:"measures"`
	Graph    GraphFigures `json:"graph"`
	Nodes    []NodeScore  `json:"nodes"`
	Edges    Ties         `json:"edges"`
	Warnings []string     `json:"warnings,omitempty"`
	// Sampled gives, for each measure estimated from sampled sources, the
	// number of sources; measures not listed are exact.
	Sampled map[Measure]int `json:"sampled,omitempty"`
	// Country level: organisations without a country, left out.
	Unlocated int `json:"unlocated,omitempty"`
	// Normalization is the similarity measure of the edges' Normalized.
	Normalization string `json:"normalization,omitempty"`
	// Filtered says what the filters removed, step by step (nil: none).
	Filtered *Filtered `json:"filtered,omitempty"`
}

// Tie is one weighted tie of a network.
type Tie struct {
	Source string  `json:"source"`
	Target string  `json:"target"`
	Weight float64 `json:"weight"`
	// Normalized is the weight normalised by Level.Normalization, from
	// Agreements (c_ij: the agreements the two ends share; for countries,
	// those with parties of both) and the ends' NodeScore.Agreements.
	Normalized *float64 `json:"normalized,omitempty"`
	Agreements int      `json:"agreements,omitempty"`
}

// Analysis is the levels analysed; a level not asked for is nil.
type Analysis struct {
	Options Options `json:"options"`
	Org     *Level  `json:"org,omitempty"`
	Country *Level  `json:"country,omitempty"`
	// With Options.Period: the network of each period, the changes
	// between consecutive periods, and the agreements without a date
	// (in no period).
	Periods []*Period `json:"periods,omitempty"`
	Changes []*Change `json:"changes,omitempty"`
	Undated int       `json:"undated,omitempty"`
}

// Engine computes an Analysis of the graph it was opened on: GoEngine in
// this process with package analytics, or neo4jstore.GDSEngine inside
// Neo4j with Graph Data Science. Both fill the same Levels, with the
// measures' meanings of the registry.
type Engine interface {
	Analyze(ctx context.Context, req Options) (*Analysis, error)
}

// GoEngine is the Engine that analyses a Dataset in this process (Analyze).
type GoEngine struct{ Dataset *graph.Dataset }

// Analyze is Analyze(ctx, e.Dataset, req).
func (e GoEngine) Analyze(ctx context.Context, req Options) (*Analysis, error) {
	return Analyze(ctx, e.Dataset, req)
}

// Analyze builds the organisation network from the dataset's agreements
// (the ties Dataset.Partnerships derives, weighted by opt.Fractional) and,
// when asked, the country network from it, and computes opt's measures on
// the levels opt asks for. Only cancellation and invalid options are
// errors; a power iteration that did not converge is a Level warning.
func Analyze(ctx context.Context, ds *graph.Dataset, opt Options) (*Analysis, error) {
	if opt.Engine != "" && opt.Engine != EngineGo {
		return nil, fmt.Errorf("engine %q: only analyze --source neo4j runs on the %s engine; this runs on the %s engine", opt.Engine, EngineGDS, EngineGo)
	}
	if opt.Community != "" && opt.Community != "louvain" {
		return nil, fmt.Errorf("community detection %q: the %s engine has louvain; leiden needs --engine %s", opt.Community, EngineGo, EngineGDS)
	}
	for _, l := range opt.Levels {
		if l != LevelOrg && l != LevelCountry {
			return nil, fmt.Errorf("level %q: want %s or %s", l, LevelOrg, LevelCountry)
		}
	}
	w, err := opt.Filter.validate(opt)
	if err != nil {
		return nil, err
	}
	if opt.Fractional && opt.Normalize != "" && opt.Normalize != analytics.NormNone {
		return nil, fmt.Errorf("--normalize %s works on full counts: van Eck & Waltman's measures divide co-occurrence counts by occurrence counts, which fractional counting does not give", opt.Normalize)
	}
	if opt.NormalizedWeights && (opt.Normalize == "" || opt.Normalize == analytics.NormNone) {
		return nil, errors.New("normalised weights for the measures need --normalize")
	}
	deadline := time.Now().Add(opt.budget())
	what := opt.Filter.windowName()
	an := &Analysis{Options: opt}
	src := newSource(ds)
	ob, err := buildOrg(ctx, src, opt, w, what)
	if err != nil {
		return nil, err
	}
	// Both levels are built before either is analysed: without periods
	// the dataset (a third of the memory of a large input) is then no
	// longer needed and can be collected while the measures run, if the
	// caller holds it no longer.
	var ps []*prepared
	for _, lv := range []string{LevelCountry, LevelOrg} {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if opt.wants(lv) {
			p, err := prepareLevel(ctx, src, ob, opt, lv)
			if err != nil {
				return nil, err
			}
			ps = append(ps, p)
		}
	}
	if opt.Period == "" {
		big := ob.orgNet.M() > 1<<18
		ds, src, ob = nil, nil, nil
		if big {
			// As after loading: the dataset is garbage now (unless the
			// caller holds it); collected here, it does not set how far
			// the heap grows while the measures run and the ties are laid
			// out. Small networks skip it: there it costs more than it saves.
			runtime.GC()
		}
	}
	for i, p := range ps {
		l, err := p.analyze(ctx, opt, deadline)
		if err != nil {
			return nil, err
		}
		if p.level == LevelCountry {
			an.Country = l
		} else {
			an.Org = l
		}
		ps[i] = nil // a level's build is not needed once analysed
	}
	if opt.Period != "" {
		if err := an.periods(ctx, src, w, deadline); err != nil {
			return nil, err
		}
	}
	return an, nil
}

// filterOrgs keeps the organisations of the given countries and their ties.
func filterOrgs(g *analytics.Network, countries []string) (*analytics.Network, error) {
	b := analytics.NewBuilder()
	keep := make([]bool, g.N())
	for i, n := range g.Nodes() {
		if slices.Contains(countries, n.Country) {
			keep[i] = true
			b.AddNode(n)
		}
	}
	for _, e := range g.Edges() {
		if keep[e.U] && keep[e.V] {
			b.AddTie(g.Node(int(e.U)).ID, g.Node(int(e.V)).ID, e.W)
		}
	}
	return b.Build()
}

// analyzeLevel computes opt's measures on g (each by its declaration's
// Compute, in output order), the free measures whether asked for or not,
// and the graph figures (which take one pass over the ties).
//
// The path measures run last and stop at the deadline (unless
// opt.Exact; zero: none): the budget is a deadline for the whole
// analysis, and they are the measures that can stop with what they have.
func analyzeLevel(ctx context.Context, name string, g *analytics.Network, opt Options, deadline time.Time) (*Level, error) {
	var ms []Measure
	for _, m := range opt.measures() {
		if d := Lookup(m); d == nil {
			return nil, fmt.Errorf("measure %q is not declared (want %s)", m, strings.Join(MeasureNames(AllMeasures()), ", "))
		} else if d.forLevel(name) {
			ms = append(ms, m)
		}
	}
	l := &Level{Level: name, Measures: ms, Graph: GraphFigures{GraphShape: analytics.Summarize(g)}}
	l.Nodes = make([]NodeScore, g.N())
	for i, n := range g.Nodes() {
		l.Nodes[i] = NodeScore{ID: n.ID, Name: n.Name, Country: n.Country}
	}
	c := &Computation{Ctx: ctx, Network: g, Options: opt, level: l, deadline: deadline}
	for _, paths := range []bool{false, true} {
		for _, d := range registry {
			if (d.Cost == CostPaths) != paths || !l.Has(d.Name) && !(d.Cost == CostFree && d.forLevel(name)) {
				continue
			}
			if err := d.Compute(c); err != nil {
				return nil, fmt.Errorf("analysing the %s network: %s: %w", name, d.Name, err)
			}
		}
	}
	// Straight from the CSR, by column (Ties), sharing the nodes' IDs.
	nodes := g.Nodes()
	ids := make([]string, len(nodes))
	for i, n := range nodes {
		ids[i] = n.ID
	}
	l.Edges = tiesOf(ids, g.M())
	for u := range nodes {
		adj, w := g.Neighbors(u)
		for k, v := range adj {
			if int(v) > u {
				l.Edges.add(int32(u), v, w[k])
			}
		}
	}
	return l, nil
}

// pathMeasures computes betweenness and/or closeness and harmonic
// centrality as planPaths decides, stops them at the deadline unless
// opt.Exact, and records which were sampled. A measure cut short by the
// deadline is kept as what it has when it is betweenness (an estimate
// from the sources swept, rescaled for them) and left out when it is
// closeness or harmonic centrality (a value for some nodes only); a
// warning says which, and how many sources were swept.
func pathMeasures(c *Computation, wantB, wantC bool) error {
	ctx, g, opt, l := c.Ctx, c.Network, c.Options, c.level
	p := planPaths(g, opt, wantB, wantC, c.deadline)
	n := g.N()
	budget := opt.budget()
	drop := func(ms ...Measure) {
		l.Measures = slices.DeleteFunc(l.Measures, func(m Measure) bool { return slices.Contains(ms, m) })
		for _, m := range ms {
			delete(l.Sampled, m)
		}
	}
	sampled := func(k int, ms ...Measure) {
		if l.Sampled == nil {
			l.Sampled = map[Measure]int{}
		}
		for _, m := range ms {
			if l.Has(m) {
				l.Sampled[m] = k
			}
		}
	}
	// run sweeps sources (nil: all) for b and/or cl, and says how many
	// sources it swept of how many. Closeness and harmonic are set only
	// when every source was swept.
	run := func(sources []int, b, cl bool) (swept, of int, err error) {
		popt := analytics.PathOptions{WeightedPaths: opt.WeightedPaths, Sources: sources, NoBetweenness: !b, NoCloseness: !cl}
		if opt.Progress != nil {
			what := string(Betweenness)
			if !b {
				what = string(Closeness)
			}
			popt.Progress = func(done, total int) { opt.Progress(what, done, total) }
		}
		runCtx := ctx
		if !p.deadline.IsZero() {
			if !b && !opt.WeightedPaths {
				// The multi-source BFS stops on its context only.
				var cancel context.CancelFunc
				runCtx, cancel = context.WithDeadline(ctx, p.deadline)
				defer cancel()
			} else {
				popt.Deadline = p.deadline
			}
		}
		of = n
		if sources != nil {
			of = len(sources)
		}
		ps, err := analytics.PathCentrality(runCtx, g, popt)
		if err != nil {
			if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
				return 0, of, nil // the budget ran out
			}
			return 0, of, err
		}
		if b && l.Has(Betweenness) && ps.Swept >= 2 {
			c.Set(Betweenness, ps.Betweenness)
		}
		if cl && ps.Swept == of {
			if l.Has(Closeness) {
				c.Set(Closeness, ps.Closeness)
			}
			if l.Has(Harmonic) {
				c.Set(Harmonic, ps.Harmonic)
			}
		}
		return ps.Swept, of, nil
	}
	// closeness records closeness and harmonic centrality: exact, sampled
	// (--sample) or, cut short by the budget, left out.
	closeness := func(swept, of int) {
		switch {
		case swept < of:
			drop(Closeness, Harmonic)
			c.Warn(fmt.Sprintf("closeness and harmonic centrality not computed: the budget of %s ran out after %d of their %d sources (they are given only when complete). --exact computes them however long it takes; a larger --budget allows more",
				budget, swept, of))
		case p.cSampled:
			sampled(swept, Closeness, Harmonic)
		}
	}
	betweenness := func(swept, of int, started time.Time) {
		switch {
		case swept < of && swept < 2:
			drop(Betweenness)
			c.Warn(fmt.Sprintf("betweenness not computed: the budget of %s ran out before two sources were swept (an estimate needs two). --exact computes it however long it takes; a larger --budget allows more", budget))
		case swept < of:
			sampled(swept, Betweenness)
			// The estimate of the exact run, recalibrated by the sweeps.
			exact := time.Duration(float64(time.Since(started)) / float64(swept) * float64(n))
			c.Warn(fmt.Sprintf("betweenness estimated from %d of the %d nodes as sources, in seeded random order (seed %d, as --sample %d): the budget of %s ran out; the exact run would take about %s on %d cores at the rate measured. --exact computes every source; a larger --budget allows more",
				swept, n, opt.Seed, swept, budget, roundDuration(exact), runtime.GOMAXPROCS(0)))
		case p.bSampled:
			sampled(swept, Betweenness)
		}
	}
	if p.together {
		started := time.Now()
		swept, of, err := run(p.bSources, wantB, wantC)
		if err != nil {
			return err
		}
		if wantC {
			closeness(swept, of)
		}
		if wantB {
			betweenness(swept, of, started)
		}
		return nil
	}
	// Closeness first: with hop distances it is cheap, and only complete
	// is it kept.
	if wantC {
		swept, of, err := run(p.cSources, false, true)
		if err != nil {
			return err
		}
		closeness(swept, of)
	}
	if wantB {
		started := time.Now()
		swept, of, err := run(p.bSources, true, false)
		if err != nil {
			return err
		}
		betweenness(swept, of, started)
	}
	return nil
}

// Top returns the k nodes with the highest value of a measure, ties broken by ID.
func (l *Level) Top(k int, measure func(*NodeScore) float64) []NodeScore {
	ns := slices.Clone(l.Nodes)
	slices.SortStableFunc(ns, func(a, b NodeScore) int {
		x, y := measure(&a), measure(&b)
		switch {
		case x > y || (!math.IsNaN(x) && math.IsNaN(y)):
			return -1
		case x < y || (math.IsNaN(x) && !math.IsNaN(y)):
			return 1
		}
		return 0
	})
	return ns[:min(k, len(ns))]
}
