package report

import (
	"cmp"
	"fmt"
	htmltemplate "html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/graph"
)

// page is what the templates render: the report, its charts and drawings,
// in one language.
type page struct {
	*Report
	HTMLLang  string
	K         int // TopK
	MaxMonths int // maxTimelineMonths

	CoverageChart *Chart
	Map           *WorldMap
	Net           *Interactive
	CountryNet    *Drawing
	CountryNote   string // countries not drawn, or why nothing is
	Matrix        *Drawing
	MatrixNote    string
	CountryChart  *Chart
	CountryRows   []countryRow
	CountryMore   int // countries not listed in CountryRows
	OrgNet        *Drawing
	OrgNote       string
	Tops          []topView
	AllTied       string               // replaces the per-measure tables, see allTied
	TiedTable     []analysis.NodeScore // the organisations tied in every measure
	TiedMore      int                  // more tied than listed
	YearChart     *Chart
	MonthChart    *Chart
	Ch            *changesView
	Evo           *evolutionView

	colourOf map[string]int // country → its community (communityColour), drawn countries only
}

// countryRow is a row of the country table: the country, and its community
// as the drawing colours and numbers it.
type countryRow struct {
	analysis.NodeScore
	Colour    string // "" when the country is not drawn
	Community string // the legend's number; "–" when not drawn
}

// maxCountryRows is the most countries the table lists (report.json has all).
const maxCountryRows = 50

type topView struct {
	TopList
	Label string // the measure, in the report's language
	Chart *Chart
	Note  string // replaces the chart and the table
	Tie   string // replaces the chart: every organisation listed ties
}

// changesView is Changes with its lists cut to maxListed entries and the
// rank changes grouped by measure and move.
type changesView struct {
	*Changes
	Lists      []changeList
	RankGroups []rankGroup
}

// rankGroup is the organisations that made the same move in one measure's
// top list (ties move together).
type rankGroup struct {
	Measure string // in the report's language
	Move    string // "3 → 1", "entered the top 10 at 4", ...
	Names   []string
	More    int // names not listed
}

// maxGroupNames is the most names a rank group lists.
const maxGroupNames = 12

type changeList struct {
	Title string
	Items []changeItem
	More  int
}

type changeItem struct {
	Text   string
	Detail string
}

// maxListed is the most entries a list of changes shows (report.json has all).
const maxListed = 50

func newPage(r *Report) (*page, error) {
	p := &page{Report: r, HTMLLang: "en", K: TopK, MaxMonths: maxTimelineMonths}
	if r.Lang == "zh" {
		p.HTMLLang = "zh-Hans"
	}
	var err error
	if p.CoverageChart, err = p.coverageChart(); err != nil {
		return nil, err
	}
	if err := p.worldMap(); err != nil {
		return nil, fmt.Errorf("world map: %w", err)
	}
	p.countryDrawings()
	p.countryRows()
	if p.CountryChart, err = p.countryChart(); err != nil {
		return nil, err
	}
	p.Evo = p.evolution()
	p.orgDrawing()
	p.interactive()
	if err := p.topCharts(); err != nil {
		return nil, err
	}
	if err := p.timelineCharts(); err != nil {
		return nil, err
	}
	p.Ch = p.changesView()
	return p, nil
}

// svgFiles are the charts and drawings by file name.
func (p *page) svgFiles() map[string][]byte {
	m := map[string][]byte{}
	for _, c := range []*Chart{p.CoverageChart, p.CountryChart, p.YearChart, p.MonthChart} {
		if c != nil && c.SVG != nil {
			m[c.Name] = c.SVG
		}
	}
	for _, t := range p.Tops {
		if t.Chart != nil && t.Chart.SVG != nil {
			m[t.Chart.Name] = t.Chart.SVG
		}
	}
	if p.Map != nil {
		m[p.Map.Name] = p.Map.SVG
	}
	ds := []*Drawing{p.CountryNet, p.Matrix, p.OrgNet}
	if p.Evo != nil {
		ds = append(ds, p.Evo.Overlay)
		for _, r := range p.Evo.Rows {
			ds = append(ds, r.Drawing)
		}
	}
	for _, d := range ds {
		if d != nil && d.SVG != nil {
			m[d.Name] = d.SVG
		}
	}
	return m
}

func (p *page) t(key string, args ...any) string { return tr(p.Lang, key, args...) }

// sep separates the items of a list in running text.
func (p *page) sep() string {
	if p.Lang == "zh" {
		return "、"
	}
	return ", "
}

// orgName is an organisation's name in the report's language, by the one
// display-name rule (graph.DisplayName): the English name (where known)
// in en, the name as the data give it in zh; without a name (participation
// data know organisations by ID only) the ID with its kind, "PIC 999640007".
func (p *page) orgName(id, name, nameEN string) string {
	return graph.DisplayName(p.Lang, name, nameEN, "", graph.IDKind(graph.LabelOrganization, id), id)
}

// orgOther is the organisation's name in the other language, if different.
func (p *page) orgOther(name, nameEN string) string {
	if nameEN == "" || name == "" || nameEN == name {
		return ""
	}
	if p.Lang == "en" {
		return name
	}
	return nameEN
}

func (p *page) countryName(code string) string {
	if code == "" {
		return map[string]string{"en": "unknown", "zh": "未知"}[p.Lang]
	}
	if c := p.countries[code]; c != nil {
		if p.Lang == "zh" && c.NameZH != "" {
			return c.NameZH
		}
		if c.NameEN != "" {
			return c.NameEN
		}
	}
	return code
}

func (p *page) coverageChart() (*Chart, error) {
	if len(p.Coverage) == 0 {
		return nil, nil
	}
	var labels []string
	var part, whole []float64
	for _, c := range p.Coverage {
		labels = append(labels, truncate(c.About+" · "+unitName(p.Lang, c.Unit), 34))
		part = append(part, float64(c.Named))
		whole = append(whole, c.Value)
	}
	title := p.t("coverage.chart")
	svg, err := stackedHBar(title, labels, part, whole, 640)
	if err != nil {
		return nil, fmt.Errorf("coverage chart: %w", err)
	}
	return &Chart{Name: "coverage.svg", Alt: title, SVG: svg}, nil
}

// countryDrawings draws the country network and the tie matrix.
func (p *page) countryDrawings() {
	l := p.Analysis.Country
	idx := map[string]int{}
	var nodes []drawNode
	var comm []int
	var names []string
	var notDrawn []string
	for _, n := range l.Nodes {
		if n.Int(analysis.Degree) == 0 {
			notDrawn = append(notDrawn, p.countryName(n.ID))
			continue
		}
		idx[n.ID] = len(nodes)
		name := p.countryName(n.ID)
		nodes = append(nodes, drawNode{ID: n.ID, Label: name, Strength: n.Value(analysis.Strength),
			Title: fmt.Sprintf("%s (%s): %s %s, %s %d", name, n.ID, measureName(p.Lang, "strength"), fmtNum(n.Value(analysis.Strength)), p.t("country.partners"), n.Int(analysis.Degree))})
		comm = append(comm, n.Int(analysis.Community))
		names = append(names, name)
	}
	var edges []drawEdge
	weight := map[[2]string]float64{}
	for _, e := range l.Edges.All() {
		weight[[2]string{e.Source, e.Target}] = e.Weight
		weight[[2]string{e.Target, e.Source}] = e.Weight
		u, okU := idx[e.Source]
		v, okV := idx[e.Target]
		if okU && okV {
			edges = append(edges, drawEdge{u, v, e.Weight})
		}
	}
	colourOf := map[string]int{}
	p.colourOf = colourOf
	if len(nodes) == 0 {
		p.CountryNote = p.t("country.empty")
	} else {
		legend := communityColours(nodes, comm, names)
		for _, n := range nodes {
			colourOf[n.ID] = n.Community
		}
		p.CountryNet = drawNetwork("country-network.svg", p.t("country.drawing"), nodes, edges, 5, 24, 13)
		p.CountryNet.Legend = legend
		p.CountryNet.Missing = notDrawn
		if len(notDrawn) > 0 {
			p.CountryNote = p.t("country.notdrawn", strings.Join(notDrawn, p.sep()))
		}
	}
	// The tie matrix.
	var cs []matrixCountry
	for _, n := range l.Nodes {
		dom := 0.0
		if n.Domestic != nil {
			dom = *n.Domestic
		}
		if n.Value(analysis.Strength)+dom <= 0 {
			continue
		}
		c, ok := colourOf[n.ID]
		if !ok {
			c = n.Int(analysis.Community)
		}
		cs = append(cs, matrixCountry{Code: n.ID, Label: p.countryName(n.ID), Community: c, Strength: n.Value(analysis.Strength), Domestic: dom})
	}
	total := len(cs)
	if total == 0 {
		p.MatrixNote = p.t("matrix.empty")
		return
	}
	if total > MaxMatrixCountries {
		slices.SortStableFunc(cs, func(a, b matrixCountry) int {
			return cmp.Or(cmp.Compare(b.Strength+b.Domestic, a.Strength+a.Domestic), strings.Compare(a.Code, b.Code))
		})
		cs = cs[:MaxMatrixCountries]
		p.MatrixNote = p.t("matrix.top", MaxMatrixCountries, total)
	}
	p.Matrix = drawMatrix("tie-matrix.svg", p.t("matrix.alt"), cs, weight, p.t("matrix.intl"), p.t("matrix.dom"))
}

func (p *page) countryRows() {
	ns := slices.Clone(p.Analysis.Country.Nodes)
	val := func(f *float64) float64 {
		if f == nil {
			return 0
		}
		return *f
	}
	slices.SortStableFunc(ns, func(a, b analysis.NodeScore) int {
		return cmp.Or(cmp.Compare(b.Value(analysis.Strength), a.Value(analysis.Strength)), cmp.Compare(val(b.Domestic), val(a.Domestic)), strings.Compare(a.ID, b.ID))
	})
	if len(ns) > maxCountryRows {
		p.CountryMore = len(ns) - maxCountryRows
		ns = ns[:maxCountryRows]
	}
	for _, n := range ns {
		row := countryRow{NodeScore: n, Community: "–"}
		if c, ok := p.colourOf[n.ID]; ok {
			row.Colour = communityColour(c)
			row.Community = fmt.Sprint(c + 1)
		}
		p.CountryRows = append(p.CountryRows, row)
	}
}

func (p *page) countryChart() (*Chart, error) {
	top, _, _ := p.Analysis.Country.Ranked(15, func(n *analysis.NodeScore) float64 { return n.Value(analysis.Strength) })
	var labels []string
	var values []float64
	for _, n := range top {
		if n.Value(analysis.Strength) <= 0 {
			break
		}
		labels = append(labels, truncate(p.countryName(n.ID), 24))
		values = append(values, n.Value(analysis.Strength))
	}
	if len(values) == 0 {
		return nil, nil
	}
	title := p.t("country.chart")
	svg, err := hbarChart(title, labels, values, fmtNum, 560)
	if err != nil {
		return nil, fmt.Errorf("country chart: %w", err)
	}
	return &Chart{Name: "countries.svg", Alt: title, SVG: svg}, nil
}

// orgDrawing draws the organisation network when it is small enough.
func (p *page) orgDrawing() {
	l := p.Analysis.Org
	idx := map[string]int{}
	var nodes []drawNode
	var comm []int
	var names []string
	isolated := 0
	for _, n := range l.Nodes {
		if n.Int(analysis.Degree) == 0 {
			isolated++
			continue
		}
		idx[n.ID] = len(nodes)
		name := p.orgName(n.ID, n.Name, n.NameEN)
		title := name
		if o := p.orgOther(n.Name, n.NameEN); o != "" {
			title += " / " + o
		}
		title += fmt.Sprintf(" (%s): %s %s", p.countryName(n.Country), measureName(p.Lang, "strength"), fmtNum(n.Value(analysis.Strength)))
		nodes = append(nodes, drawNode{ID: n.ID, Label: truncate(name, 32), Title: title, Strength: n.Value(analysis.Strength)})
		comm = append(comm, n.Int(analysis.Community))
		names = append(names, truncate(name, 32))
	}
	switch {
	case len(nodes) == 0:
		p.OrgNote = p.t("org.empty")
		return
	case len(nodes) > MaxDrawnOrgs:
		p.OrgNote = p.t("org.toolarge", len(nodes), MaxDrawnOrgs)
		return
	}
	edges := edgesAmong(&l.Edges, idx)
	legend := communityColours(nodes, comm, names)
	p.OrgNet = drawNetwork("org-network.svg", p.t("org.drawing"), nodes, edges, 4, 16, 11)
	p.OrgNet.Legend = legend
	if isolated > 0 {
		p.OrgNote = p.t("org.isolated", isolated)
	}
}

func (p *page) topCharts() error {
	for _, tl := range p.Top {
		v := topView{TopList: tl, Label: measureName(p.Lang, tl.Measure)}
		get := measureGet(tl.Measure)
		// The whole level scores the same: say so rather than draw equal bars.
		first, same, known := math.NaN(), true, 0
		for i := range p.Analysis.Org.Nodes {
			x := get(&p.Analysis.Org.Nodes[i])
			if math.IsNaN(x) {
				continue
			}
			if known == 0 {
				first = x
			} else if !analysis.Tied(x, first) {
				same = false
			}
			known++
		}
		switch {
		case known == 0:
			v.Note = p.t("top.none")
		case same && first == 0 && tl.Measure == "betweenness":
			v.Note = p.t("top.zero.betw") + " " + p.t("top.allzero")
		case same && first == 0:
			v.Note = p.t("top.allzero")
		case same:
			v.Note = p.t("top.allsame", fmtNum(first))
		case len(tl.Ranks) > 1 && tl.Ranks[len(tl.Ranks)-1] == 1:
			v.Tie = p.t("top.alltied", len(tl.Ranks)+tl.TiedBeyond, fmtNum(get(&tl.Nodes[0])))
		default:
			var labels []string
			var values []float64
			for i := range tl.Nodes {
				x := get(&tl.Nodes[i])
				if math.IsNaN(x) {
					continue
				}
				labels = append(labels, truncate(p.orgName(tl.Nodes[i].ID, tl.Nodes[i].Name, tl.Nodes[i].NameEN), 30))
				values = append(values, x)
			}
			title := p.t("top.chart", v.Label)
			svg, err := hbarChart(title, labels, values, fmtNum, 440)
			if err != nil {
				return fmt.Errorf("chart of %s: %w", tl.Measure, err)
			}
			v.Chart = &Chart{Name: "top-" + tl.Measure + ".svg", Alt: title, SVG: svg}
		}
		p.Tops = append(p.Tops, v)
	}
	p.allTied()
	return nil
}

// allTied replaces the per-measure tables by one when no measure tells
// the organisations apart: every measure either scores the whole level
// the same or ties the same organisations for first place (the curated
// data: pairs of parks, each with one agreement). AllTied then says so
// once, and TiedTable lists those organisations with every measure.
func (p *page) allTied() {
	var nodes []analysis.NodeScore
	var tied []string
	for _, v := range p.Tops {
		switch {
		case v.Note != "":
		case v.Tie != "":
			ids := func(ns []analysis.NodeScore) string {
				var s []string
				for _, n := range ns {
					s = append(s, n.ID)
				}
				return strings.Join(s, "\n")
			}
			if nodes != nil && ids(nodes) != ids(v.Nodes) {
				return
			}
			nodes = v.Nodes
			tied = append(tied, v.Label)
		default:
			return
		}
	}
	if len(p.Tops) < 2 {
		return
	}
	var ms []string
	for _, v := range p.Tops {
		ms = append(ms, v.Label)
	}
	if nodes == nil {
		p.AllTied = p.t("top.allsame.every", strings.Join(ms, p.sep()))
		p.TiedTable, p.TiedMore = p.Tops[0].Nodes, p.Tops[0].TiedBeyond
		return
	}
	more := 0
	for _, v := range p.Tops {
		if v.Tie != "" {
			more = v.TiedBeyond
		}
	}
	p.AllTied = p.t("top.alltied.every", len(nodes)+more, strings.Join(tied, p.sep()))
	p.TiedTable = nodes
	p.TiedMore = more
}

func measureGet(name string) func(*analysis.NodeScore) float64 {
	return getter(analysis.Measure(name))
}

func (p *page) timelineCharts() error {
	t := p.Timeline
	if len(t.Years) > 0 {
		var labels []string
		var values []float64
		step := max(1, (len(t.Years)+14)/15)
		for i, y := range t.Years {
			l := ""
			if i%step == 0 {
				l = y.Period
			}
			labels = append(labels, l)
			values = append(values, float64(y.Agreements))
		}
		title := p.t("timeline.years")
		svg, err := vbarChart(title, labels, values, 440)
		if err != nil {
			return fmt.Errorf("timeline chart: %w", err)
		}
		p.YearChart = &Chart{Name: "timeline-years.svg", Alt: title, SVG: svg}
	}
	if len(t.Months) > 0 {
		var labels []string
		var values []float64
		step := max(1, (len(t.Months)+7)/8)
		for i, m := range t.Months {
			l := ""
			if i%step == 0 {
				l = m.Period
			}
			labels = append(labels, l)
			values = append(values, float64(m.Agreements))
		}
		title := p.t("timeline.months")
		svg, err := vbarChart(title, labels, values, 440)
		if err != nil {
			return fmt.Errorf("timeline chart: %w", err)
		}
		p.MonthChart = &Chart{Name: "timeline-months.svg", Alt: title, SVG: svg}
	}
	return nil
}

func (p *page) changesView() *changesView {
	c := p.Changes
	if c == nil || c.First || c.PreviousError != "" {
		return &changesView{Changes: c}
	}
	v := &changesView{Changes: c}
	add := func(title string, n int, item func(i int) changeItem) {
		if n == 0 {
			return
		}
		l := changeList{Title: title, More: max(0, n-maxListed)}
		for i := range min(n, maxListed) {
			l.Items = append(l.Items, item(i))
		}
		v.Lists = append(v.Lists, l)
	}
	parties := func(os []SnapOrg) string {
		var ns []string
		for _, o := range os {
			ns = append(ns, p.orgName(o.ID, o.Name, o.NameEN))
		}
		return strings.Join(ns, " – ")
	}
	ag := func(as []AgreementRef) func(int) changeItem {
		return func(i int) changeItem {
			a := as[i]
			d := a.ID
			if a.Date != "" {
				d += ", " + a.Date
			}
			if a.Before != nil {
				d += "; " + p.t("changes.was", parties(a.Before))
			}
			return changeItem{parties(a.Parties), d}
		}
	}
	org := func(os []SnapOrg) func(int) changeItem {
		return func(i int) changeItem {
			return changeItem{p.orgName(os[i].ID, os[i].Name, os[i].NameEN), os[i].ID + ", " + p.countryName(os[i].Country)}
		}
	}
	ctry := func(cs []SnapCountry) func(int) changeItem {
		return func(i int) changeItem {
			n := cs[i].NameEN
			if p.Lang == "zh" && cs[i].NameZH != "" {
				n = cs[i].NameZH
			}
			if n == "" {
				n = cs[i].Code
			}
			return changeItem{n, cs[i].Code}
		}
	}
	for _, rc := range c.Ranks {
		m, move, name := measureName(p.Lang, rc.Measure), p.rankText(rc), p.orgName(rc.ID, rc.Name, rc.NameEN)
		k := len(v.RankGroups) - 1
		if k < 0 || v.RankGroups[k].Measure != m || v.RankGroups[k].Move != move {
			v.RankGroups = append(v.RankGroups, rankGroup{Measure: m, Move: move})
			k++
		}
		if g := &v.RankGroups[k]; len(g.Names) < maxGroupNames {
			g.Names = append(g.Names, name)
		} else {
			g.More++
		}
	}
	add(p.t("changes.new_ag"), len(c.NewAgreements), ag(c.NewAgreements))
	add(p.t("changes.rm_ag"), len(c.RemovedAgreements), ag(c.RemovedAgreements))
	add(p.t("changes.ch_ag"), len(c.ChangedAgreements), ag(c.ChangedAgreements))
	add(p.t("changes.new_org"), len(c.NewOrganizations), org(c.NewOrganizations))
	add(p.t("changes.rm_org"), len(c.RemovedOrganizations), org(c.RemovedOrganizations))
	add(p.t("changes.new_c"), len(c.NewCountries), ctry(c.NewCountries))
	add(p.t("changes.rm_c"), len(c.RemovedCountries), ctry(c.RemovedCountries))
	add(p.t("changes.coverage"), len(c.Coverage), func(i int) changeItem {
		x := c.Coverage[i]
		switch {
		case x.Before == nil:
			return changeItem{x.Figure, fmt.Sprintf("%s: %d / %s", p.t("changes.newfig"), *x.After, fmtNum(x.Value))}
		case x.After == nil:
			return changeItem{x.Figure, p.t("changes.gonefig")}
		}
		return changeItem{x.Figure, fmt.Sprintf("%d → %d / %s", *x.Before, *x.After, fmtNum(x.Value))}
	})
	return v
}

// rankText is a rank change as "3 → 1", "entered the top 10 at 4", ...
func (p *page) rankText(rc RankChange) string {
	switch {
	case rc.Before == nil && rc.After != nil:
		return p.t("changes.entered", TopK, *rc.After)
	case rc.After == nil && rc.Before != nil:
		return p.t("changes.left", TopK, *rc.Before)
	case rc.Before != nil && rc.After != nil:
		return fmt.Sprintf("%d → %d", *rc.Before, *rc.After)
	}
	return ""
}

// citeHTML links a citation to its source in the report's source list and
// shows its paragraphs and locators: s003 ¶1, 11 «首批推动».
func citeHTML(c graph.Citation) htmltemplate.HTML {
	esc := htmltemplate.HTMLEscapeString
	var ps []string
	for _, p := range c.Paragraphs {
		ps = append(ps, fmt.Sprint(p))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<a href="#src-%s">%s`, esc(c.Source), esc(c.Source))
	if len(ps) > 0 {
		fmt.Fprintf(&b, " ¶%s", strings.Join(ps, ", "))
	}
	b.WriteString("</a>")
	for _, l := range c.Locators {
		fmt.Fprintf(&b, ` <q class="loc">%s</q>`, esc(l))
	}
	return htmltemplate.HTML(b.String())
}

func funcMap(r *Report) map[string]any {
	p := &page{Report: r}
	return map[string]any{
		"t":        func(key string, args ...any) string { return tr(r.Lang, key, args...) },
		"orgName":  p.orgName,
		"orgOther": p.orgOther,
		"country":  p.countryName,
		"measure":  func(m string) string { return measureName(r.Lang, m) },
		"unit":     func(u string) string { return unitName(r.Lang, u) },
		"rankText": p.rankText,
		"svg":      func(s string) htmltemplate.HTML { return htmltemplate.HTML(s) },
		"pct":      func(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) },
		"num": func(f any) string {
			switch v := f.(type) {
			case float64:
				return fmtNum(v)
			case *float64:
				if v == nil {
					return ""
				}
				return fmtNum(*v)
			case *int:
				if v == nil {
					return ""
				}
				return fmt.Sprint(*v)
			}
			return fmt.Sprint(f)
		},
		"value": func(m string, n analysis.NodeScore) string { return fmtNum(measureGet(m)(&n)) },
		"cite":  citeHTML,
		"citeText": func(c graph.Citation) string {
			out := c.String()
			for _, l := range c.Locators {
				out += " «" + l + "»"
			}
			return out
		},
		"grades": func() []graph.Grade { return graph.Grades },
		"grade":  func(g graph.Grade) string { return tr(r.Lang, "grade."+string(g)) },
		"atype":  func(typ string) string { return graph.AgreementTypeName(r.Lang, typ) },
		"period": func(per string) string { return periodName(r.Lang, per) },
		"count":  func(m map[graph.Grade]int, g graph.Grade) int { return m[g] },
		"join":   strings.Join,
		"list":   func(xs []string) string { return strings.Join(xs, p.sep()) },
		"mulf":   func(a, b float64) float64 { return a * b },
		"inc":    func(i int) int { return i + 1 },
		"delta": func(a, b int) string {
			switch d := b - a; {
			case d > 0:
				return fmt.Sprintf("+%d", d)
			case d < 0:
				return fmt.Sprintf("−%d", -d)
			}
			return "0"
		},
		"when": func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return t.UTC().Format("2006-01-02 15:04 UTC")
		},
		// md escapes what would break a Markdown table cell.
		"md": mdEscape,
	}
}

// mdEscaper backslash-escapes the ASCII punctuation that CommonMark and
// GitHub Flavored Markdown give a meaning inline (emphasis * _ ~, code `,
// links [ ] !, HTML < > &, headings #, table cells |, and the backslash
// itself), so that a name such as "*Org* <b>" shows as written; line
// breaks become spaces, since every value sits on one line or table row.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "~", `\~`, "[", `\[`, "]", `\]`, "!", `\!`,
	"<", `\<`, ">", `\>`, "&", `\&`, "#", `\#`, "|", `\|`, "\r\n", " ", "\n", " ", "\r", " ")

// mdEscape is the template function md: text as Markdown shows it literally.
func mdEscape(s string) string { return mdEscaper.Replace(s) }

// periodName is the --period option in lang: "year" is "year" / "年",
// "N-years" "N years" / "N 年".
func periodName(lang, per string) string {
	n := strings.TrimSuffix(per, "-years")
	if per == "year" || per == "years" {
		n = "1"
	}
	if _, err := strconv.Atoi(n); err != nil {
		return per
	}
	switch {
	case lang == "zh":
		return n + " 年"
	case n == "1":
		return "year"
	}
	return n + " years"
}
