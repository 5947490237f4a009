package analysis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/collabnet/collabnet/analytics"
)

// Measure names a per-node measure. The name is the measure everywhere:
// the --measures word, the JSON field, the CSV column, the GraphML and
// GEXF attribute key and the Neo4j node property written by analyze
// --write.
type Measure string

// The built-in measures; their declarations (registry) say what each is.
const (
	Degree      Measure = "degree"
	Strength    Measure = "strength"
	Betweenness Measure = "betweenness"
	Closeness   Measure = "closeness"
	Harmonic    Measure = "harmonic"
	PageRank    Measure = "pagerank"
	Eigenvector Measure = "eigenvector"
	Clustering  Measure = "clustering"
	// ClusteringUnweighted is the plain local clustering coefficient.
	ClusteringUnweighted Measure = "clustering_unweighted"
	Community            Measure = "community"
)

// Kind is how a measure's value is typed in every output.
type Kind int

const (
	// Int: a count or a label; JSON integer, GraphML/GEXF long, Neo4j
	// integer.
	Int Kind = iota
	// Float: a real score; JSON number, GraphML/GEXF double, Neo4j float.
	Float
	// Score: a real score that may be unknown (NaN: closeness of a node
	// that was not a sampled source); JSON null, an empty CSV cell, no
	// GraphML/GEXF attribute and no Neo4j property when unknown.
	Score
)

// Cost is a measure's cost class, for the budget and --measures cheap.
type Cost int

const (
	// CostFree measures are read off the network (O(n)); every analysed
	// level has them, shown or not.
	CostFree Cost = iota
	// CostLinear measures grow about linearly with the ties (power
	// iterations, Louvain): seconds on hundreds of thousands of nodes.
	CostLinear
	// CostPaths measures sweep shortest paths from every source (O(n·m));
	// their time is estimated before they run and above Options.Budget
	// they are estimated from sampled sources.
	CostPaths
	// CostTriangles measures scan the pairs of each node's neighbours.
	CostTriangles
)

// MeasureDef declares one per-node measure: everything the flags, the
// outputs (JSON and its schema, CSV, GraphML, GEXF, the report), the
// write-back to Neo4j and the GDS engine need to know about it. Adding a
// measure is one MeasureDef (Register) and its algorithm.
type MeasureDef struct {
	Name Measure // see Measure: the one name in every output
	Doc  string  // one line: what the measure is, with its source or convention
	// Label and LabelZH name the measure in the report's English and
	// Chinese text.
	Label, LabelZH string
	Kind           Kind
	// Min and Max bound the value in the JSON Schema; NaN: unbounded.
	Min, Max float64
	Cost     Cost
	// Levels are the levels that have the measure; nil: every level.
	Levels []string
	// Ranked measures get a top list in the report.
	Ranked bool
	// Compute sets the measure's value of every node of c's network
	// (c.Set). Measures computed together (betweenness, closeness and
	// harmonic by one sweep) share the work through c.Once.
	Compute func(c *Computation) error
	// GDS is how the GDS engine computes the measure, nil when it does
	// not; then GDSRefused says why, and the engine refuses the measure.
	GDS        *GDSProc
	GDSRefused string
}

// GDSProc is how the GDS engine (neo4jstore) computes a measure.
type GDSProc struct {
	// Proc is the stream procedure, called as Proc($graph, $config) and
	// yielding nodeId and the score (column Yield); "" for the measures the
	// engine takes from the ties it streams anyway (degree, strength) and
	// for the community (neo4jstore runs gds.louvain or gds.leiden).
	Proc string
	// Yield is the procedure's score column; "" means "score".
	Yield string
	// Config is the procedure's configuration for a request; sampled is
	// the number of sources of a sampled betweenness (0: every source).
	Config func(opt Options, sampled int) map[string]any
	// Convert turns GDS's scores (indexed as the Level's nodes) into the
	// Go engine's meaning, in place.
	Convert func(v []float64, sampled int)
	// Refuse, when set, says why the engine cannot compute the measure
	// with these options (nil: it can).
	Refuse func(opt Options) error
}

// registry holds the measures, in output order.
var registry []MeasureDef

// Register declares a measure, after those declared before it in output
// order. Errors: a name already declared or not a lower-case word, no
// Compute, and neither GDS nor GDSRefused. It returns a function that
// removes the measure again (for tests that declare one).
func Register(d MeasureDef) (remove func(), err error) {
	switch {
	case d.Name == "" || strings.ToLower(string(d.Name)) != string(d.Name) || strings.ContainsAny(string(d.Name), " ,"):
		return nil, fmt.Errorf("measure %q: want a lower-case name without spaces or commas", d.Name)
	case Lookup(d.Name) != nil || d.Name == "all" || d.Name == "cheap":
		return nil, fmt.Errorf("measure %q is already declared", d.Name)
	case d.Compute == nil:
		return nil, fmt.Errorf("measure %q has no Compute function", d.Name)
	case d.GDS == nil && d.GDSRefused == "":
		return nil, fmt.Errorf("measure %q: give its GDS procedure, or GDSRefused to say why the GDS engine does not compute it", d.Name)
	case d.Doc == "":
		return nil, fmt.Errorf("measure %q has no Doc line", d.Name)
	}
	if d.Label == "" {
		d.Label = string(d.Name)
	}
	registry = append(registry, d)
	return func() {
		registry = slices.DeleteFunc(registry, func(x MeasureDef) bool { return x.Name == d.Name })
	}, nil
}

// Measures returns the declarations of every measure, in output order.
func Measures() []MeasureDef { return slices.Clone(registry) }

// Lookup returns the declaration of measure m, nil if none.
func Lookup(m Measure) *MeasureDef {
	for i := range registry {
		if registry[i].Name == m {
			return &registry[i]
		}
	}
	return nil
}

// AllMeasures returns every measure, in output order.
func AllMeasures() []Measure {
	out := make([]Measure, len(registry))
	for i, d := range registry {
		out[i] = d.Name
	}
	return out
}

// CheapMeasures returns the measures of cost CostFree or CostLinear: they
// take seconds on networks of hundreds of thousands of organisations.
func CheapMeasures() []Measure {
	var out []Measure
	for _, d := range registry {
		if d.Cost <= CostLinear {
			out = append(out, d.Name)
		}
	}
	return out
}

// MeasureNames are the names of ms.
func MeasureNames(ms []Measure) []string {
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = string(m)
	}
	return s
}

// ParseMeasures reads measure names (as --measures gives them, each
// possibly a comma-separated list; "all" and "cheap" name the sets) into a
// set in output order. An empty list is nil: the caller's default.
func ParseMeasures(names []string) ([]Measure, error) {
	set := map[Measure]bool{}
	for _, arg := range names {
		for _, n := range strings.Split(arg, ",") {
			n = strings.ToLower(strings.TrimSpace(n))
			switch {
			case n == "":
			case n == "all":
				for _, m := range AllMeasures() {
					set[m] = true
				}
			case n == "cheap":
				for _, m := range CheapMeasures() {
					set[m] = true
				}
			case Lookup(Measure(n)) != nil:
				set[Measure(n)] = true
			default:
				return nil, fmt.Errorf("measure %q: want %s, all or cheap", n, strings.Join(MeasureNames(AllMeasures()), ", "))
			}
		}
	}
	if len(set) == 0 {
		return nil, nil
	}
	var out []Measure
	for _, m := range AllMeasures() {
		if set[m] {
			out = append(out, m)
		}
	}
	return out, nil
}

// Value returns n's value of measure m as a float (NaN when unknown or
// not computed).
func (m Measure) Value(n *NodeScore) float64 { return n.Value(m) }

// Has reports whether the level computed measure m.
func (l *Level) Has(m Measure) bool { return slices.Contains(l.Measures, m) }

// Typed is a measure's value with its Kind's Go type: int64 for Int,
// float64 otherwise, nil when unknown (NaN) or not computed.
func (d *MeasureDef) Typed(n *NodeScore) any {
	v, ok := n.Values[d.Name]
	switch {
	case !ok || math.IsNaN(v) || math.IsInf(v, 0):
		return nil
	case d.Kind == Int:
		return int64(v)
	}
	return v
}

// JSONSchema is the JSON Schema of the measure's node field.
func (d *MeasureDef) JSONSchema() map[string]any {
	s := map[string]any{"description": d.Doc}
	switch d.Kind {
	case Int:
		s["type"] = "integer"
	case Float:
		s["type"] = "number"
	case Score:
		s["type"] = []any{"number", "null"}
	}
	if !math.IsNaN(d.Min) {
		s["minimum"] = d.Min
	}
	if !math.IsNaN(d.Max) {
		s["maximum"] = d.Max
	}
	return s
}

// forLevel reports whether the measure applies at level.
func (d *MeasureDef) forLevel(level string) bool {
	return d.Levels == nil || slices.Contains(d.Levels, level)
}

// Computation is what a measure's Compute function works on: one
// network, the options, and the level being filled.
type Computation struct {
	Ctx     context.Context
	Network *analytics.Network
	Options Options
	level   *Level
	done    map[string]error
	// deadline stops the path measures (zero: none).
	deadline time.Time
}

// Set stores the measure's value of every node, indexed as the
// network's nodes.
func (c *Computation) Set(m Measure, v []float64) {
	for i := range c.level.Nodes {
		c.level.Nodes[i].Set(m, v[i])
	}
}

// Wants reports whether measure m was asked for.
func (c *Computation) Wants(m Measure) bool { return c.level.Has(m) }

// Warn records a warning of the level and tells Options.Notify at once.
func (c *Computation) Warn(w string) {
	c.level.Warnings = append(c.level.Warnings, w)
	if c.Options.Notify != nil {
		c.Options.Notify(w)
	}
}

// Once runs f the first time it is called with key and returns its error
// every time: the way measures computed together share the work.
func (c *Computation) Once(key string, f func() error) error {
	if err, ok := c.done[key]; ok {
		return err
	}
	if c.done == nil {
		c.done = map[string]error{}
	}
	err := f()
	c.done[key] = err
	return err
}

// power adapts a power iteration to a Compute function: not converging is
// a warning, its last iterate is kept.
func power(m Measure, f func(*analytics.Network, analytics.PowerOptions) ([]float64, error)) func(*Computation) error {
	return func(c *Computation) error {
		if err := c.Ctx.Err(); err != nil {
			return err
		}
		x, err := f(c.Network, analytics.PowerOptions{Tolerance: c.Options.Tolerance})
		if errors.Is(err, analytics.ErrNotConverged) {
			c.Warn(err.Error())
		} else if err != nil {
			return err
		}
		c.Set(m, x)
		return nil
	}
}

func nodeValues(g *analytics.Network, f func(i int) float64) []float64 {
	v := make([]float64, g.N())
	for i := range v {
		v[i] = f(i)
	}
	return v
}

var nan = math.NaN()

// The built-in measures, in output order. Each is defined as NetworkX
// defines it (package analytics gives the formulas and references).
func init() {
	unbounded, zero, one := nan, 0.0, 1.0
	for _, d := range []MeasureDef{
		{Name: Degree, Doc: "number of ties (nx.degree)", Label: "degree", LabelZH: "度",
			Kind: Int, Min: zero, Max: unbounded, Cost: CostFree, Ranked: true,
			Compute: func(c *Computation) error {
				c.Set(Degree, nodeValues(c.Network, func(i int) float64 { return float64(c.Network.Degree(i)) }))
				return nil
			},
			GDS: &GDSProc{}},
		{Name: Strength, Doc: "weighted degree: the sum of the node's tie weights (nx.degree(weight=...))", Label: "strength", LabelZH: "强度",
			Kind: Float, Min: zero, Max: unbounded, Cost: CostFree, Ranked: true,
			Compute: func(c *Computation) error {
				c.Set(Strength, nodeValues(c.Network, c.Network.Strength))
				return nil
			},
			GDS: &GDSProc{}},
		{Name: Betweenness, Doc: "normalised shortest-path betweenness (nx.betweenness_centrality)", Label: "betweenness", LabelZH: "介数中心性",
			Kind: Float, Min: zero, Max: unbounded, Cost: CostPaths, Ranked: true,
			Compute: computePaths,
			GDS: &GDSProc{Proc: "gds.betweenness.stream",
				Config: func(opt Options, k int) map[string]any {
					c := map[string]any{}
					if k > 0 {
						c["samplingSize"], c["samplingSeed"] = int64(k), int64(opt.Seed)
					}
					if opt.WeightedPaths {
						c["relationshipWeightProperty"] = "distance"
					}
					return c
				},
				// GDS sums σ_st(v)/σ_st over unordered pairs, unnormalised,
				// and does not extrapolate a sample: normalise by
				// (n-1)(n-2)/2 and scale by n/k as NetworkX does.
				Convert: func(v []float64, k int) {
					n := float64(len(v))
					scale := 0.0
					if n > 2 {
						scale = 2 / ((n - 1) * (n - 2))
					}
					if k > 0 && float64(k) < n {
						scale *= n / float64(k)
					}
					for i := range v {
						v[i] *= scale
					}
				}}},
		{Name: Closeness, Doc: "Wasserman–Faust closeness (nx.closeness_centrality, wf_improved); null when unknown", Label: "closeness", LabelZH: "接近中心性",
			Kind: Score, Min: zero, Max: one, Cost: CostPaths, Ranked: true,
			Compute: computePaths,
			GDS: &GDSProc{Proc: "gds.closeness.stream",
				Config:  func(Options, int) map[string]any { return map[string]any{"useWassermanFaust": true} },
				Refuse:  hopsOnly(Closeness),
				Convert: func([]float64, int) {}}},
		{Name: Harmonic, Doc: "harmonic centrality (nx.harmonic_centrality); null when unknown", Label: "harmonic centrality", LabelZH: "调和中心性",
			Kind: Score, Min: zero, Max: unbounded, Cost: CostPaths, Ranked: true,
			Compute: computePaths,
			GDS: &GDSProc{Proc: "gds.closeness.harmonic.stream",
				Config: func(Options, int) map[string]any { return map[string]any{} },
				Refuse: hopsOnly(Harmonic),
				// GDS divides by n-1.
				Convert: func(v []float64, _ int) {
					for i := range v {
						v[i] *= float64(len(v) - 1)
					}
				}}},
		{Name: PageRank, Doc: "PageRank, damping 0.85, weighted, iterated to convergence (nx.pagerank)", Label: "PageRank", LabelZH: "PageRank",
			Kind: Float, Min: zero, Max: one, Cost: CostLinear, Ranked: true,
			Compute: power(PageRank, analytics.PageRank),
			GDS: &GDSProc{Proc: "gds.pageRank.stream",
				Config: func(opt Options, _ int) map[string]any {
					return map[string]any{"relationshipWeightProperty": "weight", "dampingFactor": 0.85,
						"tolerance": opt.Tolerance, "maxIterations": int64(analytics.DefaultMaxIter)}
				},
				// gds.pageRank does not redistribute the score of nodes
				// without ties; on an undirected network both fixed points
				// are proportional, so dividing by the sum gives nx.pagerank.
				Convert: func(v []float64, _ int) {
					sum := 0.0
					for _, x := range v {
						sum += x
					}
					if sum > 0 {
						for i := range v {
							v[i] /= sum
						}
					}
				}}},
		{Name: Eigenvector, Doc: "eigenvector centrality, weighted, unit Euclidean norm (nx.eigenvector_centrality)", Label: "eigenvector centrality", LabelZH: "特征向量中心性",
			Kind: Float, Min: unbounded, Max: unbounded, Cost: CostLinear, Ranked: true,
			Compute:    power(Eigenvector, analytics.Eigenvector),
			GDSRefused: "gds.eigenvector weighs each tie by 1/strength of its source node, which gives strength, not eigenvector centrality"},
		{Name: Clustering, Doc: "weighted clustering coefficient (Onnela; nx.clustering(weight=...))", Label: "clustering", LabelZH: "聚类系数",
			Kind: Float, Min: zero, Max: one, Cost: CostTriangles,
			Compute: func(c *Computation) error {
				v, err := analytics.Clustering(c.Ctx, c.Network, true, 0)
				if err != nil {
					return err
				}
				c.Set(Clustering, v)
				return nil
			},
			GDSRefused: "gds.localClusteringCoefficient is unweighted; collabnet's clustering is Onnela's weighted coefficient"},
		{Name: ClusteringUnweighted, Doc: "local clustering coefficient, unweighted: closed triangles over pairs of neighbours (nx.clustering)", Label: "clustering (unweighted)", LabelZH: "聚类系数（无权）",
			Kind: Float, Min: zero, Max: one, Cost: CostTriangles,
			Compute: func(c *Computation) error {
				v, err := analytics.Clustering(c.Ctx, c.Network, false, 0)
				if err != nil {
					return err
				}
				c.Set(ClusteringUnweighted, v)
				return nil
			},
			// GDS counts a node's ties, parallel ones included, as its
			// degree; the projection has one tie per pair (weights summed),
			// so it is the plain coefficient, 0 below two neighbours.
			GDS: &GDSProc{Proc: "gds.localClusteringCoefficient.stream", Yield: "localClusteringCoefficient",
				Config:  func(Options, int) map[string]any { return map[string]any{} },
				Convert: func([]float64, int) {}}},
		{Name: Community, Doc: "Louvain community (seeded), numbered by decreasing size; the level's graph has the modularity", Label: "community", LabelZH: "社区",
			Kind: Int, Min: zero, Max: unbounded, Cost: CostLinear,
			Compute: func(c *Computation) error {
				p, err := analytics.Louvain(c.Ctx, c.Network, analytics.LouvainOptions{Resolution: c.Options.Resolution, Seed: c.Options.Seed})
				if err != nil {
					return err
				}
				c.level.Graph.Modularity, c.level.Graph.Communities = p.Q, len(p.Sizes)
				c.Set(Community, nodeValues(c.Network, func(i int) float64 { return float64(p.Membership[i]) }))
				return nil
			},
			GDS: &GDSProc{}},
	} {
		if _, err := Register(d); err != nil {
			panic(err) // a programming error in the declarations above
		}
	}
}

// hopsOnly refuses weighted paths: GDS's closeness has no weighted variant.
func hopsOnly(m Measure) func(Options) error {
	return func(opt Options) error {
		if opt.WeightedPaths {
			return fmt.Errorf("--engine gds computes %s on hop distances only (GDS has no weighted variant); drop --weighted-paths or use --engine go", m)
		}
		return nil
	}
}

// computePaths computes every path measure asked for in one go.
func computePaths(c *Computation) error {
	return c.Once("paths", func() error {
		return pathMeasures(c, c.Wants(Betweenness), c.Wants(Closeness) || c.Wants(Harmonic))
	})
}
