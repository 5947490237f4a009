package graph

// FigureCoverage compares a reported figure with the named agreements that
// are counted in it: of the 42 pairs reported at IASP 2025, how many does
// the dataset name with both parties.
type FigureCoverage struct {
	Figure  *ReportedFigure
	Named   []string // IDs of the agreements counted in the figure, sorted
	Share   float64  // len(Named) / Figure.Value; 0 when the figure is not a count of agreements
	Unnamed float64  // Figure.Value - len(Named), never below 0
}

// Coverage lists every reported figure with the named agreements counted in it.
func (d *Dataset) Coverage() []FigureCoverage {
	named := map[string][]string{}
	for _, a := range d.SortedAgreements() {
		for _, f := range a.CountedIn {
			named[f] = append(named[f], a.ID)
		}
	}
	var out []FigureCoverage
	for _, f := range d.SortedFigures() {
		c := FigureCoverage{Figure: f, Named: named[f.ID]}
		if f.Coverage && f.Value > 0 {
			c.Share = float64(len(c.Named)) / f.Value
			c.Unnamed = max(0, f.Value-float64(len(c.Named)))
		}
		out = append(out, c)
	}
	return out
}
