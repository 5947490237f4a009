// Package report runs the analytics on a collaboration graph and writes what
// an analyst reads: report.html, report.md and report.json, and the graph as
// GraphML.
package report

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/collabnet/collabnet/analytics"
	"github.com/collabnet/collabnet/graph"
)

// Options are the analysis parameters; the report's method notes name them.
type Options struct {
	Countries     []string // ISO codes: analyse only ties within these countries
	Fractional    bool     // fractional counting of multi-party agreements
	WeightedPaths bool     // distance 1/w instead of hops
	Resolution    float64  // Louvain resolution
	Seed          uint64   // Louvain seed
	Sample        int      // >0: betweenness/closeness estimated from this many sources
}

// NodeScore is one node's measures, named as in the JSON output.
type NodeScore struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	NameEN      string  `json:"name_en,omitempty"`
	Country     string  `json:"country"`
	Degree      int     `json:"degree"`
	Strength    float64 `json:"strength"`
	Betweenness float64 `json:"betweenness"`
	Closeness   Score   `json:"closeness"`
	Harmonic    Score   `json:"harmonic"`
	PageRank    float64 `json:"pagerank"`
	Eigenvector float64 `json:"eigenvector"`
	Clustering  float64 `json:"clustering"`
	Community   int     `json:"community"`
	// Country level only.
	Partners           *int     `json:"partners,omitempty"`
	LinkStrength       *float64 `json:"link_strength,omitempty"`
	Domestic           *float64 `json:"domestic,omitempty"`
	InternationalShare *float64 `json:"international_share,omitempty"`
}

// Score is a measure that may be unknown: with sampled sources, closeness
// and harmonic centrality are computed for the sources only. Unknown is NaN
// in Go and null in JSON (which has no NaN).
type Score float64

func (s Score) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(s)) || math.IsInf(float64(s), 0) {
		return []byte("null"), nil
	}
	return json.Marshal(float64(s))
}

// GraphFigures are the graph-level figures.
type GraphFigures struct {
	Nodes       int     `json:"nodes"`
	Edges       int     `json:"edges"`
	TotalWeight float64 `json:"total_weight"`
	Density     float64 `json:"density"`
	Components  int     `json:"components"`
	Largest     int     `json:"largest_component"`
	Isolated    int     `json:"isolated"`
	Modularity  float64 `json:"modularity"`
	Communities int     `json:"communities"`
}

// Level is the analysis of one network (organisations or countries).
type Level struct {
	Level    string       `json:"level"`
	Graph    GraphFigures `json:"graph"`
	Nodes    []NodeScore  `json:"nodes"`
	Edges    []Tie        `json:"edges"`
	Warnings []string     `json:"warnings,omitempty"`
	// Country level: organisations without a country, left out.
	Unlocated int `json:"unlocated,omitempty"`
}

// Tie is one weighted tie of a network.
type Tie struct {
	Source string  `json:"source"`
	Target string  `json:"target"`
	Weight float64 `json:"weight"`
}

// Analysis is both levels.
type Analysis struct {
	Options Options `json:"options"`
	Org     *Level  `json:"org"`
	Country *Level  `json:"country"`
}

// Analyze builds the organisation network from the dataset's agreements and
// the country network from it, and computes every measure on both.
func Analyze(ctx context.Context, ds *graph.Dataset, opt Options) (*Analysis, error) {
	var nodes []analytics.Node
	enOf := map[string]string{}
	for _, o := range ds.SortedOrganizations() {
		nodes = append(nodes, analytics.Node{ID: o.ID, Name: o.Name, Country: o.Country})
		enOf[o.ID] = o.NameEN
	}
	groups := ds.PartyGroups()
	counting := analytics.FullCounting
	if opt.Fractional {
		counting = analytics.FractionalCounting
	}
	orgNet, err := analytics.ProjectGroups(nodes, groups, counting)
	if err != nil {
		return nil, fmt.Errorf("building the organisation network: %w", err)
	}
	cn, err := analytics.CountryNetwork(orgNet, opt.Countries)
	if err != nil {
		return nil, fmt.Errorf("building the country network: %w", err)
	}
	if len(opt.Countries) > 0 {
		// The organisation level follows the same filter as the country level.
		if orgNet, err = filterOrgs(orgNet, opt.Countries); err != nil {
			return nil, err
		}
	}
	an := &Analysis{Options: opt}
	if an.Org, err = analyzeLevel(ctx, "org", orgNet, opt); err != nil {
		return nil, err
	}
	for i := range an.Org.Nodes {
		an.Org.Nodes[i].NameEN = enOf[an.Org.Nodes[i].ID]
	}
	if an.Country, err = analyzeLevel(ctx, "country", cn.Network, opt); err != nil {
		return nil, err
	}
	an.Country.Unlocated = cn.Unlocated
	for i, f := range cn.Figures() {
		n := &an.Country.Nodes[i]
		if c := ds.Countries[f.Country]; c != nil {
			n.Name, n.NameEN = c.NameZH, c.NameEN
		}
		n.Partners, n.LinkStrength, n.Domestic, n.InternationalShare = &f.Partners, &f.LinkStrength, &f.Domestic, &f.InternationalShare
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

func analyzeLevel(ctx context.Context, name string, g *analytics.Network, opt Options) (*Level, error) {
	aopt := analytics.Options{
		Paths:   analytics.PathOptions{WeightedPaths: opt.WeightedPaths},
		Louvain: analytics.LouvainOptions{Resolution: opt.Resolution, Seed: opt.Seed},
	}
	if opt.Sample > 0 && opt.Sample < g.N() {
		aopt.Paths.Sources = analytics.SampleSources(g.N(), opt.Sample, opt.Seed)
	}
	r, err := analytics.Analyze(ctx, g, aopt)
	if err != nil {
		return nil, fmt.Errorf("analysing the %s network: %w", name, err)
	}
	// Empty lists, not nil: the JSON shape is fixed ("edges": [] for a network
	// without ties; see schemas/analyze.schema.json).
	l := &Level{Level: name, Warnings: r.Warnings, Nodes: []NodeScore{}, Edges: []Tie{}, Graph: GraphFigures{
		Nodes: r.Summary.Nodes, Edges: r.Summary.Edges, TotalWeight: r.Summary.TotalWeight,
		Density: r.Summary.Density, Components: r.Summary.Components, Largest: r.Summary.LargestComponent,
		Isolated: r.Summary.Isolated, Modularity: r.Summary.Modularity}}
	if r.Community != nil {
		l.Graph.Communities = len(r.Community.Sizes)
	}
	for i, n := range g.Nodes() {
		s := NodeScore{ID: n.ID, Name: n.Name, Country: n.Country, Degree: r.Degree[i], Strength: r.Strength[i],
			Betweenness: r.Betweenness[i], Closeness: Score(r.Closeness[i]), Harmonic: Score(r.Harmonic[i]),
			PageRank: r.PageRank[i], Eigenvector: r.Eigenvector[i], Clustering: r.Clustering[i]}
		if r.Community != nil {
			s.Community = r.Community.Membership[i]
		}
		l.Nodes = append(l.Nodes, s)
	}
	for _, e := range g.Edges() {
		l.Edges = append(l.Edges, Tie{g.Node(int(e.U)).ID, g.Node(int(e.V)).ID, e.W})
	}
	return l, nil
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
