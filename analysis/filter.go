package analysis

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/collabnet/collabnet/analytics"
	"github.com/collabnet/collabnet/graph"
)

// Filter selects the agreements and thins the network before the measures
// run. The steps apply in this order (FilterOrder), the same in analyze,
// export and report:
//
//  1. time window: agreements dated within [Since, Until] (a date given
//     to the year or month is kept when that year or month overlaps the
//     window); undated agreements are left out and counted;
//  2. scope: --countries keeps the ties among those countries' organisations,
//     or with Ego every agreement one of them is party to, with all its
//     parties ("who works with India");
//  3. the network is built (full or fractional counting) and, for the
//     country level, aggregated;
//  4. MinAgreements: nodes party to fewer agreements are dropped;
//  5. MinWeight: ties lighter than it are dropped;
//  6. Backbone "disparity": ties not significant at Alpha for either end
//     are dropped (Serrano, Boguñá & Vespignani 2009);
//  7. MaxLinks: only the strongest ties are kept;
//  8. Top: only the Top nodes by TopBy (computed on the network so far);
//  9. DropIsolates: nodes left without ties are dropped.
//
// Normalisation (Options.Normalize) takes its counts from the agreements of
// steps 1–2, so where it happens among 4–9 does not change its values.
// Steps 4–9 use the raw (counted) weights.
type Filter struct {
	Since         string  `json:"since,omitempty"` // YYYY, YYYY-MM or YYYY-MM-DD, inclusive
	Until         string  `json:"until,omitempty"`
	Ego           bool    `json:"ego,omitempty"`
	MinAgreements int     `json:"min_agreements,omitempty"`
	MinWeight     float64 `json:"min_weight,omitempty"`
	Backbone      string  `json:"backbone,omitempty"` // "" or "disparity"
	Alpha         float64 `json:"alpha,omitempty"`    // disparity significance level; 0 means 0.05
	MaxLinks      int     `json:"max_links,omitempty"`
	Top           int     `json:"top,omitempty"`
	TopBy         Measure `json:"top_by,omitempty"` // default strength
	DropIsolates  bool    `json:"drop_isolates,omitempty"`
}

// FilterOrder names the steps of Filter in the order they apply.
var FilterOrder = []string{"since/until", "countries/ego", "network (counting)", "min-agreements", "min-weight", "backbone", "max-links", "top", "drop-isolates"}

// DefaultAlpha is the disparity filter's significance level when none is given.
const DefaultAlpha = 0.05

// Filtered says what a level's filters removed: a statement the report
// and the JSON carry so that every figure traces back to its agreements.
type Filtered struct {
	// Agreements is the number of agreements the network is built from.
	Agreements int `json:"agreements"`
	// Undated counts agreements without a date, left out by a time window
	// or period.
	Undated int          `json:"undated,omitempty"`
	Steps   []FilterStep `json:"steps,omitempty"`
}

// FilterStep is one applied step and what it removed.
type FilterStep struct {
	Step       string `json:"step"` // as the user wrote it, "min-weight 2"
	Agreements int    `json:"agreements,omitempty"`
	Nodes      int    `json:"nodes,omitempty"`
	Ties       int    `json:"ties,omitempty"`
}

// String writes the step as the report says it: "min-weight 2: −3 nodes, −10 ties".
func (s FilterStep) String() string {
	var parts []string
	for _, x := range []struct {
		n    int
		what string
	}{{s.Agreements, "agreements"}, {s.Nodes, "nodes"}, {s.Ties, "ties"}} {
		if x.n != 0 {
			parts = append(parts, fmt.Sprintf("−%d %s", x.n, x.what))
		}
	}
	if len(parts) == 0 {
		return s.Step + ": nothing removed"
	}
	return s.Step + ": " + strings.Join(parts, ", ")
}

var dateRE = regexp.MustCompile(`^(\d{4})(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$`)

// dateSpan is the first and last day a date stands for, as YYYY-MM-DD
// (a year is its 1 January to 31 December); ok is false for no date.
// The last day of a month is written 31 whatever the month: the span is
// only compared, never printed.
func dateSpan(d string) (lo, hi string, ok bool) {
	m := dateRE.FindStringSubmatch(strings.TrimSpace(d))
	if m == nil {
		return "", "", false
	}
	switch {
	case m[5] != "":
		return m[0], m[0], true
	case m[3] != "":
		return m[0] + "-01", m[0] + "-31", true
	}
	return m[0] + "-01-01", m[0] + "-12-31", true
}

// window is an inclusive span of days, "" for open.
type window struct{ from, until string }

func (w window) open() bool { return w.from == "" && w.until == "" }

func (w window) contains(date string) (in, dated bool) {
	lo, hi, ok := dateSpan(date)
	if !ok {
		return false, false
	}
	return (w.from == "" || hi >= w.from) && (w.until == "" || lo <= w.until), true
}

// Validate checks the filter's options (dates, thresholds, backbone, top)
// as Analyze does, so that a command can refuse them before reading any
// graph. The countries are opt's.
func (f Filter) Validate(opt Options) error {
	_, err := f.validate(opt)
	return err
}

// validate checks the filter and returns its time window.
func (f Filter) validate(opt Options) (window, error) {
	var w window
	if f.Since != "" {
		lo, _, ok := dateSpan(f.Since)
		if !ok {
			return w, fmt.Errorf("--since %q: want a year, year-month or date (2016, 2016-03, 2016-03-01)", f.Since)
		}
		w.from = lo
	}
	if f.Until != "" {
		_, hi, ok := dateSpan(f.Until)
		if !ok {
			return w, fmt.Errorf("--until %q: want a year, year-month or date (2020, 2020-12, 2020-12-31)", f.Until)
		}
		w.until = hi
	}
	if w.from != "" && w.until != "" && w.from > w.until {
		return w, fmt.Errorf("--since %s is after --until %s", f.Since, f.Until)
	}
	if f.Ego && len(opt.Countries) == 0 {
		return w, fmt.Errorf("--ego needs --countries: the countries whose partners to keep")
	}
	switch {
	case f.MinAgreements < 0:
		return w, fmt.Errorf("--min-agreements %d: want 0 or more", f.MinAgreements)
	case f.MinWeight < 0 || math.IsNaN(f.MinWeight) || math.IsInf(f.MinWeight, 0):
		return w, fmt.Errorf("--min-weight %g: want 0 or more", f.MinWeight)
	case f.MaxLinks < 0:
		return w, fmt.Errorf("--max-links %d: want 0 (all) or more", f.MaxLinks)
	case f.Top < 0:
		return w, fmt.Errorf("--top %d: want 0 (all) or more", f.Top)
	case f.Alpha < 0 || f.Alpha >= 1 || math.IsNaN(f.Alpha):
		return w, fmt.Errorf("--alpha %g: want a significance level between 0 and 1, such as 0.05", f.Alpha)
	}
	if f.Backbone != "" && f.Backbone != "disparity" && f.Backbone != "none" {
		return w, fmt.Errorf("--backbone %q: want disparity (or none)", f.Backbone)
	}
	if f.TopBy != "" && Lookup(f.TopBy) == nil {
		return w, fmt.Errorf("--top-by %q: want one of %s", f.TopBy, strings.Join(MeasureNames(AllMeasures()), ", "))
	}
	return w, nil
}

// selection is the agreements a network is built from.
type selection struct {
	agreements []*graph.Agreement
	undated    int
	steps      []FilterStep
	filtered   bool // some agreement was left out by time or scope: nodes are the parties
}

// source is a dataset with its organisations and agreements sorted once
// for every window and level analysed.
type source struct {
	ds         *graph.Dataset
	orgs       []*graph.Organization
	agreements []*graph.Agreement
	top        map[string]string
}

// rollUp maps every organisation that is part of another (its part_of, or
// a part_of relation; PART_OF in Neo4j) to its topmost parent: the unit of
// a group counts as the group. A chain that loops stops at the last
// organisation before the loop.
func (src *source) rollUp() map[string]string {
	if src.top != nil {
		return src.top
	}
	parent := map[string]string{}
	for _, o := range src.orgs {
		if o.PartOf != "" && o.PartOf != o.ID {
			parent[o.ID] = o.PartOf
		}
	}
	for _, r := range src.ds.SortedRelations() {
		if (r.Type == "part_of" || r.Type == graph.RelPartOf) && r.From != r.To {
			if _, ok := parent[r.From]; !ok {
				parent[r.From] = r.To
			}
		}
	}
	src.top = map[string]string{}
	for id := range parent {
		seen := map[string]bool{id: true}
		t := id
		for {
			p, ok := parent[t]
			if !ok || seen[p] {
				break
			}
			seen[p] = true
			t = p
		}
		if t != id {
			src.top[id] = t
		}
	}
	return src.top
}

func newSource(ds *graph.Dataset) *source {
	return &source{ds: ds, orgs: ds.SortedOrganizations(), agreements: ds.SortedAgreements()}
}

// selectAgreements applies steps 1–2 of Filter within w.
func selectAgreements(src *source, opt Options, w window, what string) selection {
	ds := src.ds
	var s selection
	all := src.agreements
	s.agreements = all
	if !w.open() {
		var kept []*graph.Agreement
		for _, a := range all {
			in, dated := w.contains(a.Date)
			if !dated {
				s.undated++
			}
			if in {
				kept = append(kept, a)
			}
		}
		s.steps = append(s.steps, FilterStep{Step: what, Agreements: len(all) - len(kept)})
		s.agreements, s.filtered = kept, true
	}
	if opt.Filter.Ego {
		var kept []*graph.Agreement
		for _, a := range s.agreements {
			if slices.ContainsFunc(a.Parties, func(p graph.Party) bool {
				o := ds.Organizations[p.Org]
				return o != nil && slices.Contains(opt.Countries, o.Country)
			}) {
				kept = append(kept, a)
			}
		}
		s.steps = append(s.steps, FilterStep{Step: "ego " + strings.Join(opt.Countries, ","), Agreements: len(s.agreements) - len(kept)})
		s.agreements, s.filtered = kept, true
	}
	return s
}

func partyGroups(as []*graph.Agreement) [][]string {
	groups := make([][]string, len(as))
	for i, a := range as {
		g := make([]string, len(a.Parties))
		for k, p := range a.Parties {
			g[k] = p.Org
		}
		groups[i] = g
	}
	return groups
}

// countryGroups lists the distinct countries of each agreement's located parties.
func countryGroups(ds *graph.Dataset, groups [][]string) [][]string {
	out := make([][]string, len(groups))
	for i, g := range groups {
		var cs []string
		for _, id := range g {
			if o := ds.Organizations[id]; o != nil && o.Country != "" && !slices.Contains(cs, o.Country) {
				cs = append(cs, o.Country)
			}
		}
		out[i] = cs
	}
	return out
}

// built is a level's network after every filter, with what normalisation
// and the report need.
type built struct {
	level    string
	occGroup [][]string         // the groups s_i counts: parties, or countries
	g        *analytics.Network // raw (counted) weights
	occ      []float64          // agreements per node (s_i)
	co       *analytics.Network // full-counting co-occurrence (c_ij), when normalising
	country  *analytics.CountryNet
	filtered Filtered
}

// orgBuild is the organisation network of the agreements of one window
// and scope (steps 1–3 of Filter), which both levels start from.
type orgBuild struct {
	sel    selection
	groups [][]string
	orgNet *analytics.Network
}

// buildOrg selects the agreements within w and scope and projects them
// onto the organisation network.
func buildOrg(ctx context.Context, src *source, opt Options, w window, what string) (*orgBuild, error) {
	sel := selectAgreements(src, opt, w, what)
	groups := partyGroups(sel.agreements)
	var top map[string]string
	if opt.RollUp {
		top = src.rollUp()
		units := map[string]bool{}
		for _, g := range groups {
			for k, id := range g {
				if t, ok := top[id]; ok {
					units[id] = true
					g[k] = t
				}
			}
		}
		sel.steps = append(sel.steps, FilterStep{Step: fmt.Sprintf("roll-up: %d units counted as their parent organisation", len(units))})
	}
	var nodes []analytics.Node
	if sel.filtered {
		seen := map[string]bool{}
		for _, g := range groups {
			for _, id := range g {
				seen[id] = true
			}
		}
		for _, o := range src.orgs {
			if seen[o.ID] {
				nodes = append(nodes, analytics.Node{ID: o.ID, Name: o.Name, Country: o.Country})
			}
		}
	} else {
		for _, o := range src.orgs {
			if _, unit := top[o.ID]; !unit {
				nodes = append(nodes, analytics.Node{ID: o.ID, Name: o.Name, Country: o.Country})
			}
		}
	}
	counting := analytics.FullCounting
	if opt.Fractional {
		counting = analytics.FractionalCounting
	}
	orgNet, err := analytics.ProjectGroups(ctx, nodes, groups, counting)
	if err != nil {
		return nil, fmt.Errorf("building the organisation network: %w", err)
	}
	return &orgBuild{sel, groups, orgNet}, nil
}

// buildLevel builds one level's network from ob and applies the filters
// of opt that follow (steps 4–9, in FilterOrder).
func buildLevel(ctx context.Context, src *source, ob *orgBuild, opt Options, level string) (*built, error) {
	sel, groups, orgNet := ob.sel, ob.groups, ob.orgNet
	var err error
	b := &built{level: level, filtered: Filtered{Agreements: len(sel.agreements), Undated: sel.undated, Steps: slices.Clone(sel.steps)}}
	within := opt.Countries
	if opt.Filter.Ego {
		within = nil
	}
	var occGroups [][]string
	switch level {
	case LevelCountry:
		cn, err := analytics.CountryNetwork(orgNet, within)
		if err != nil {
			return nil, fmt.Errorf("building the country network: %w", err)
		}
		b.g, b.country = cn.Network, cn
		if len(within) > 0 {
			// The countries outside are not nodes at all: the step names them.
			b.filtered.Steps = append(b.filtered.Steps, FilterStep{Step: fmt.Sprintf("countries %s (ties among their organisations; %d organisations of other countries left out)", strings.Join(within, ","), cn.Excluded)})
		}
		occGroups = countryGroups(src.ds, groups)
		if opt.Normalize != "" && opt.Normalize != analytics.NormNone {
			if b.co, err = analytics.ProjectGroups(ctx, nil, occGroups, analytics.FullCounting); err != nil {
				return nil, err
			}
		}
	default:
		b.g, b.co, occGroups = orgNet, orgNet, groups
		if len(within) > 0 {
			if b.g, err = filterOrgs(orgNet, within); err != nil {
				return nil, err
			}
			b.filtered.Steps = append(b.filtered.Steps, FilterStep{Step: "countries " + strings.Join(within, ",") + " (ties among their organisations)",
				Nodes: orgNet.N() - b.g.N(), Ties: orgNet.M() - b.g.M()})
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b.occ = analytics.Occurrences(b.g, occGroups)
	b.occGroup = occGroups
	if err := b.thin(ctx, opt); err != nil {
		return nil, err
	}
	return b, nil
}

// thin applies steps 4–9 of Filter.
func (b *built) thin(ctx context.Context, opt Options) error {
	f := opt.Filter
	g := b.g
	step := func(name string, keepNode, keepTie []bool) {
		h := g.Subgraph(keepNode, keepTie)
		if keepNode != nil {
			var occ []float64
			for i, k := range keepNode {
				if k {
					occ = append(occ, b.occ[i])
				}
			}
			b.occ = occ
		}
		b.filtered.Steps = append(b.filtered.Steps, FilterStep{Step: name, Nodes: g.N() - h.N(), Ties: g.M() - h.M()})
		g = h
	}
	if f.MinAgreements > 0 {
		keep := make([]bool, g.N())
		for i := range keep {
			keep[i] = b.occ[i] >= float64(f.MinAgreements)
		}
		step("min-agreements "+strconv.Itoa(f.MinAgreements), keep, nil)
	}
	if f.MinWeight > 0 {
		keep := make([]bool, g.M())
		for i, e := range g.Edges() {
			keep[i] = e.W >= f.MinWeight
		}
		step("min-weight "+strconv.FormatFloat(f.MinWeight, 'g', -1, 64), nil, keep)
	}
	if f.Backbone == "disparity" {
		alpha := f.Alpha
		if alpha == 0 {
			alpha = DefaultAlpha
		}
		as := analytics.DisparityAlpha(g)
		keep := make([]bool, len(as))
		for i, a := range as {
			keep[i] = a < alpha
		}
		step("backbone disparity, alpha "+strconv.FormatFloat(alpha, 'g', -1, 64), nil, keep)
	}
	if f.MaxLinks > 0 {
		step("max-links "+strconv.Itoa(f.MaxLinks), nil, analytics.StrongestTies(g, f.MaxLinks))
	}
	if f.Top > 0 && f.Top < g.N() {
		by := f.TopBy
		if by == "" {
			by = Strength
		}
		sub := opt
		sub.Measures, sub.Notify, sub.Progress = []Measure{by}, nil, nil
		l, err := analyzeLevel(ctx, "top", g, sub, time.Time{})
		if err != nil {
			return err
		}
		keep := make([]bool, g.N())
		for _, n := range l.Top(f.Top, by.Value) {
			i, _ := g.Index(n.ID)
			keep[i] = true
		}
		step(fmt.Sprintf("top %d by %s", f.Top, by), keep, nil)
	}
	if f.DropIsolates {
		keep := make([]bool, g.N())
		for i := range keep {
			keep[i] = g.Degree(i) > 0
		}
		step("drop-isolates", keep, nil)
	}
	if b.country != nil && g != b.g {
		// Re-index the domestic figures on the thinned country network.
		cn := &analytics.CountryNet{Network: g, Unlocated: b.country.Unlocated, UnlocatedWeight: b.country.UnlocatedWeight, Excluded: b.country.Excluded}
		cn.Domestic = make([]float64, g.N())
		cn.DomesticTies = make([]int, g.N())
		for i, n := range g.Nodes() {
			j, _ := b.country.Index(n.ID)
			cn.Domestic[i], cn.DomesticTies[i] = b.country.Domestic[j], b.country.DomesticTies[j]
		}
		b.country = cn
	}
	b.g = g
	return nil
}

// normalized is the normalised weight of every tie of b.g (Edges order)
// and the co-occurrence count it comes from, or nil without normalisation.
func (b *built) normalized(n analytics.Normalization) (norm, counts []float64, err error) {
	if n == "" || n == analytics.NormNone {
		return nil, nil, nil
	}
	if norm, err = analytics.Normalized(b.g, b.co, b.occ, n); err != nil {
		return nil, nil, err
	}
	counts = make([]float64, 0, len(norm))
	for _, e := range b.g.Edges() {
		cu, _ := b.co.Index(b.g.Node(e.U).ID)
		cv, _ := b.co.Index(b.g.Node(e.V).ID)
		c, _ := b.co.Weight(cu, cv)
		counts = append(counts, c)
	}
	return norm, counts, nil
}

// buildAndAnalyze builds, filters, normalises and analyses one level.
func buildAndAnalyze(ctx context.Context, src *source, ob *orgBuild, opt Options, level string, deadline time.Time) (*Level, error) {
	p, err := prepareLevel(ctx, src, ob, opt, level)
	if err != nil {
		return nil, err
	}
	return p.analyze(ctx, opt, deadline)
}

// prepared is one level's network, built, filtered and normalised, with
// the names its nodes take from the dataset: analysing it needs the
// dataset no longer, which can then be collected.
type prepared struct {
	level        string
	b            *built
	gm           *analytics.Network // the network the measures run on
	norm, counts []float64
	// names: per country code its Chinese and English names; per
	// organisation ID its English name and kind (in [1] and [2]).
	names map[string][3]string
	years []float64 // avgYears, per node of b.g (NaN: none dated)
}

// prepareLevel builds, filters and normalises one level's network.
func prepareLevel(ctx context.Context, src *source, ob *orgBuild, opt Options, level string) (*prepared, error) {
	b, err := buildLevel(ctx, src, ob, opt, level)
	if err != nil {
		return nil, err
	}
	p := &prepared{level: level, b: b, gm: b.g, names: map[string][3]string{}}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if p.norm, p.counts, err = b.normalized(opt.Normalize); err != nil {
		return nil, fmt.Errorf("normalising the %s network: %w", level, err)
	}
	if p.norm != nil && opt.NormalizedWeights {
		if p.gm, err = b.g.Reweighted(p.norm); err != nil {
			return nil, err
		}
	}
	if b.country != nil {
		for code, c := range src.ds.Countries {
			p.names[code] = [3]string{c.NameZH, c.NameEN}
		}
	} else {
		for id, o := range src.ds.Organizations {
			if o.NameEN != "" || o.Kind != "" {
				p.names[id] = [3]string{"", o.NameEN, string(o.Kind)}
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p.years = b.avgYears(ob)
	return p, ctx.Err()
}

// analyze computes opt's measures on the prepared network; the path
// measures stop at the deadline (unless opt.Exact).
func (p *prepared) analyze(ctx context.Context, opt Options, deadline time.Time) (*Level, error) {
	b, norm := p.b, p.norm
	l, err := analyzeLevel(ctx, p.level, p.gm, opt, deadline)
	if err != nil {
		return nil, err
	}
	if p.gm != b.g {
		// The measures ran on the normalised weights: the ties keep the
		// counted ones.
		i := 0
		for u := range b.g.N() {
			adj, ws := b.g.Neighbors(u)
			for k, v := range adj {
				if int(v) > u {
					l.Edges.w[i] = ws[k]
					i++
				}
			}
		}
	}
	if norm != nil {
		l.Edges.setNormalized(norm, p.counts)
	}
	if norm != nil {
		l.Normalization = string(opt.Normalize)
	}
	if norm != nil || opt.Filter.MinAgreements > 0 {
		for i := range l.Nodes {
			k := int(b.occ[i])
			l.Nodes[i].Agreements = &k
		}
	}
	if len(b.filtered.Steps) > 0 {
		l.Filtered = &b.filtered
	}
	for i := range l.Nodes {
		if y := p.years[i]; !math.IsNaN(y) {
			l.Nodes[i].AvgYear = &y
		}
	}
	if b.country != nil {
		l.Unlocated = b.country.Unlocated
		for i, f := range b.country.Figures() {
			n := &l.Nodes[i]
			if c, ok := p.names[f.Country]; ok {
				n.Name, n.NameEN = c[0], c[1]
			}
			n.Partners, n.LinkStrength, n.Domestic, n.InternationalShare = &f.Partners, &f.LinkStrength, &f.Domestic, &f.InternationalShare
		}
	} else {
		for i := range l.Nodes {
			nm := p.names[l.Nodes[i].ID]
			l.Nodes[i].NameEN, l.Nodes[i].Kind = nm[1], nm[2]
		}
	}
	return l, nil
}

// windowName writes the time window as the user gave it: "since 2016 until 2018".
func (f Filter) windowName() string {
	var parts []string
	if f.Since != "" {
		parts = append(parts, "since "+f.Since)
	}
	if f.Until != "" {
		parts = append(parts, "until "+f.Until)
	}
	return strings.Join(parts, " ")
}

// avgYears is, per node of b.g (in its order), the mean year of the dated
// agreements it is party to among ob's (one pass over the memberships);
// NaN for a node party to none.
func (b *built) avgYears(ob *orgBuild) []float64 {
	n := b.g.N()
	sum, cnt := make([]float64, n), make([]float64, n)
	last := make([]int32, n) // the agreement that last counted a node, +1: once per agreement
	for k, a := range ob.sel.agreements {
		lo, _, ok := dateSpan(a.Date)
		if !ok {
			continue
		}
		y, _ := strconv.Atoi(lo[:4])
		for _, id := range b.occGroup[k] {
			i, ok := b.g.Index(id)
			if !ok || last[i] == int32(k+1) {
				continue
			}
			last[i] = int32(k + 1)
			sum[i] += float64(y)
			cnt[i]++
		}
	}
	for i := range sum {
		if cnt[i] == 0 {
			sum[i] = math.NaN()
		} else {
			sum[i] /= cnt[i]
		}
	}
	return sum
}

// SelectAgreements returns the agreements a network of opt is built from
// (steps 1–2 of Filter: the time window and, with Ego, the scope), sorted
// by ID, and how many were left out for having no date: the agreements
// behind every figure of an analysis with the same options.
func SelectAgreements(ds *graph.Dataset, opt Options) ([]*graph.Agreement, int, error) {
	w, err := opt.Filter.validate(opt)
	if err != nil {
		return nil, 0, err
	}
	sel := selectAgreements(newSource(ds), opt, w, opt.Filter.windowName())
	return sel.agreements, sel.undated, nil
}
