package graph

import "slices"

// FigureCoverage compares a reported figure with the named agreements that
// are counted in it: of the 42 pairs reported at IASP 2025, how many does
// the dataset name with both parties. Only links graded stated count as
// named; links graded inferred or reported are listed apart, so a reading
// of the curators never passes for a stated fact.
type FigureCoverage struct {
	Figure *ReportedFigure
	// Named are the agreements counted in the figure by a stated link, sorted.
	Named []string
	// Unconfirmed are the agreements linked to the figure by an inferred or
	// reported link, sorted: not counted in Share or Unnamed.
	Unconfirmed []string
	Share       float64 // len(Named) / Figure.Value; 0 when the figure is not a count of agreements
	Unnamed     float64 // Figure.Value - len(Named), never below 0
	// Countries has one entry per country the figure names (Figure.Countries),
	// in that order; empty when the figure is not a count of agreements.
	Countries []CountryCoverage
}

// CountryCoverage is one country a reported figure names, against the
// figure's named agreements: which of them involve the country, and the
// range its share of the figure's ties can take given the unnamed rest.
type CountryCoverage struct {
	Country string   // ISO 3166-1 alpha-2
	Named   []string // agreements counted in the figure by a stated link with a party in the country, sorted
	// MinTies is the fewest ties of the figure that can involve the
	// country: its named agreements, and at least 1, because the figure's
	// source names the country among those its ties involve.
	MinTies int
	// MaxTies is the most: its named agreements plus every unnamed tie.
	MaxTies float64
	// Low and High are MinTies and MaxTies as shares of Figure.Value (0..1).
	Low, High float64
}

// Coverage lists every reported figure with the named agreements counted in it.
func (d *Dataset) Coverage() []FigureCoverage {
	named := map[string][]string{}
	unconfirmed := map[string][]string{}
	for _, a := range d.SortedAgreements() {
		for _, f := range a.CountedIn {
			if a.LinkGrade(f).Grade() == GradeStated {
				named[f] = append(named[f], a.ID)
			} else {
				unconfirmed[f] = append(unconfirmed[f], a.ID)
			}
		}
	}
	var out []FigureCoverage
	for _, f := range d.SortedFigures() {
		c := FigureCoverage{Figure: f, Named: named[f.ID], Unconfirmed: unconfirmed[f.ID]}
		if f.Coverage && f.Value > 0 {
			c.Share = float64(len(c.Named)) / f.Value
			c.Unnamed = max(0, f.Value-float64(len(c.Named)))
			for _, code := range f.Countries {
				cc := CountryCoverage{Country: code}
				for _, id := range c.Named {
					if d.involves(d.Agreements[id], code) {
						cc.Named = append(cc.Named, id)
					}
				}
				cc.MinTies = max(len(cc.Named), 1)
				cc.MaxTies = min(f.Value, float64(len(cc.Named))+c.Unnamed)
				cc.Low, cc.High = min(1, float64(cc.MinTies)/f.Value), cc.MaxTies/f.Value
				c.Countries = append(c.Countries, cc)
			}
		}
		out = append(out, c)
	}
	return out
}

// involves reports whether a party of a is located in the country.
func (d *Dataset) involves(a *Agreement, code string) bool {
	return a != nil && slices.ContainsFunc(a.Parties, func(p Party) bool {
		o := d.Organizations[p.Org]
		return o != nil && o.Country == code
	})
}
