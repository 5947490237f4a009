package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/export"
)

// evolutionView is the section "how the network changed over time": a row
// and a small drawing of the country network per period, and per pair of
// consecutive periods the countries that entered or left and the largest
// rank moves by strength.
type evolutionView struct {
	// Overlay is the whole country network coloured by the average year
	// of each country's agreements (VOSviewer's overlay), with its scale.
	Overlay          *Drawing
	OverlayFrom      string // the earliest average year, as its colour
	OverlayTo        string
	OverlayFromColor string
	OverlayToColor   string
	Rows             []periodRow
	Changes          []periodChange
	Undated          int
	Filtered         string // the filter statement of the country level, "" when unfiltered
}

type periodRow struct {
	Label      string
	Agreements int
	Countries  int
	Ties       int
	Weight     float64
	Drawing    *Drawing
}

type periodChange struct {
	From, To          string
	Entrants, Leavers []string // country names
	Risers, Fallers   []string // "name 12 → 5"
}

// maxMovers is how many rank moves each direction lists.
const maxMovers = 8

// evolution builds the section from the analysis' periods (nil without).
func (p *page) evolution() *evolutionView {
	an := p.Analysis
	v := &evolutionView{Undated: an.Undated}
	if an.Country != nil && an.Country.Filtered != nil {
		v.Filtered = filterStatement(an.Country.Filtered, p.Lang)
	}
	p.overlay(v)
	if len(an.Periods) == 0 {
		return v
	}
	for _, per := range an.Periods {
		l := per.Country
		if l == nil {
			continue
		}
		row := periodRow{Label: per.Label, Countries: len(l.Nodes), Ties: l.Edges.Len(), Weight: l.Graph.TotalWeight}
		if l.Filtered != nil {
			row.Agreements = l.Filtered.Agreements
		}
		row.Drawing = p.periodDrawing(per.Label, l)
		v.Rows = append(v.Rows, row)
	}
	for _, c := range an.Changes {
		if c.Level != analysis.LevelCountry {
			continue
		}
		pc := periodChange{From: c.From, To: c.To}
		for _, id := range c.Entrants {
			pc.Entrants = append(pc.Entrants, p.countryName(id))
		}
		for _, id := range c.Leavers {
			pc.Leavers = append(pc.Leavers, p.countryName(id))
		}
		var moved []analysis.Move
		for _, m := range c.Moves {
			if m.RankFrom > 0 && m.RankTo > 0 && m.RankFrom != m.RankTo {
				moved = append(moved, m)
			}
		}
		gain := func(m analysis.Move) int { return m.RankFrom - m.RankTo }
		slices.SortStableFunc(moved, func(a, b analysis.Move) int {
			return cmp.Or(cmp.Compare(gain(b), gain(a)), strings.Compare(a.ID, b.ID))
		})
		text := func(m analysis.Move) string {
			return fmt.Sprintf("%s %d → %d", p.countryName(m.ID), m.RankFrom, m.RankTo)
		}
		for _, m := range moved {
			if gain(m) > 0 && len(pc.Risers) < maxMovers {
				pc.Risers = append(pc.Risers, text(m))
			}
		}
		for i := len(moved) - 1; i >= 0; i-- {
			if m := moved[i]; gain(m) < 0 && len(pc.Fallers) < maxMovers {
				pc.Fallers = append(pc.Fallers, text(m))
			}
		}
		v.Changes = append(v.Changes, pc)
	}
	return v
}

// Sizes of the period drawings, in the units of drawWidth.
const (
	periodRMin, periodRMax = 6.0, 24.0
	periodFontSize         = 30.0
)

// periodDrawing draws one period's country network, small, coloured by
// the whole window's communities so that a country keeps its colour from
// one period to the next.
func (p *page) periodDrawing(label string, l *analysis.Level) *Drawing {
	idx := map[string]int{}
	var nodes []drawNode
	for _, n := range l.Nodes {
		if n.Int(analysis.Degree) == 0 {
			continue
		}
		idx[n.ID] = len(nodes)
		name := p.countryName(n.ID)
		c, ok := p.colourOf[n.ID]
		if !ok {
			c = -1 // "other" grey: not in the whole window's drawing
		}
		nodes = append(nodes, drawNode{ID: n.ID, Label: name, Strength: n.Value(analysis.Strength), Community: c,
			Title: fmt.Sprintf("%s (%s), %s: %s %s, %s %d", name, n.ID, label, measureName(p.Lang, "strength"), fmtNum(n.Value(analysis.Strength)), p.t("country.partners"), n.Int(analysis.Degree))})
	}
	edges := edgesAmong(&l.Edges, idx)
	if len(nodes) == 0 {
		return nil
	}
	// The small multiples are shown about a third of drawWidth wide
	// (.multiples: columns of at least 15rem): circles and type three times
	// the full drawings', so that labels read at 7 px or more.
	d := drawNetwork("period-"+label+".svg", p.t("evolution.drawing", label), nodes, edges, periodRMin, periodRMax, periodFontSize)
	return d
}

// filterStatement says what the filters removed, in the order they applied.
func filterStatement(f *analysis.Filtered, lang string) string {
	parts := []string{tr(lang, "filter.built", f.Agreements)}
	if f.Undated > 0 {
		parts = append(parts, tr(lang, "filter.undated", f.Undated))
	}
	for _, s := range f.Steps {
		parts = append(parts, s.String())
	}
	return strings.Join(parts, "; ")
}

// overlay draws the whole country network with each country coloured by
// the mean year of its dated agreements on the viridis scale, from the
// earliest mean to the latest (export.Viridis, as the GEXF --color-by
// avg_year).
func (p *page) overlay(v *evolutionView) {
	l := p.Analysis.Country
	if l == nil {
		return
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, n := range l.Nodes {
		if n.AvgYear != nil && n.Int(analysis.Degree) > 0 {
			lo, hi = math.Min(lo, *n.AvgYear), math.Max(hi, *n.AvgYear)
		}
	}
	if math.IsInf(lo, 0) || hi <= lo {
		return // no dates, or all the same mean year: nothing to tell apart
	}
	hex := func(t float64) string {
		r, g, b := export.Viridis(t)
		return fmt.Sprintf("#%02x%02x%02x", r, g, b)
	}
	idx := map[string]int{}
	var nodes []drawNode
	for _, n := range l.Nodes {
		if n.Int(analysis.Degree) == 0 {
			continue
		}
		idx[n.ID] = len(nodes)
		name := p.countryName(n.ID)
		fill, year := "#bab0ac", "–"
		if n.AvgYear != nil {
			fill, year = hex((*n.AvgYear-lo)/(hi-lo)), fmt.Sprintf("%.1f", *n.AvgYear)
		}
		nodes = append(nodes, drawNode{ID: n.ID, Label: name, Strength: n.Value(analysis.Strength), Fill: fill,
			Title: fmt.Sprintf("%s (%s): %s %s", name, n.ID, p.t("evolution.avgyear"), year)})
	}
	edges := edgesAmong(&l.Edges, idx)
	if len(nodes) == 0 {
		return
	}
	v.Overlay = drawNetwork("country-overlay-year.svg", p.t("evolution.overlay"), nodes, edges, 4, 18, 11)
	v.OverlayFrom, v.OverlayTo = fmt.Sprintf("%.1f", lo), fmt.Sprintf("%.1f", hi)
	v.OverlayFromColor, v.OverlayToColor = hex(0), hex(1)
}
