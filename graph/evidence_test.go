package graph

import (
	"slices"
	"testing"
)

// A figure of 10 pairs naming DE and KR, with two agreements linked to it:
// one by a stated link with a German party, one by an inferred link with a
// Korean party. Only the stated one is named; DE's share of the 10 ties is
// 1..9 of 10 (its named tie plus the 9 unnamed), KR's 1..9 of 10 too (no
// named tie, but the figure names it, so at least one; at most the 9
// unnamed). Worked by hand.
func coverageFixture() *Dataset {
	d := NewDataset()
	for _, o := range []*Organization{{ID: "cn1", Country: "CN"}, {ID: "de1", Country: "DE"}, {ID: "kr1", Country: "KR"}} {
		d.Organizations[o.ID] = o
	}
	d.Figures["f"] = &ReportedFigure{ID: "f", Value: 10, Unit: "pairs", Coverage: true, Countries: []string{"DE", "KR"}}
	d.Figures["r"] = &ReportedFigure{ID: "r", Value: 5, Unit: "events", Graded: Graded{Evidence: GradeReported}}
	d.Agreements["a1"] = &Agreement{ID: "a1", Parties: []Party{{Org: "cn1"}, {Org: "de1"}}, CountedIn: []string{"f"}, Graded: Graded{Evidence: GradeStated}}
	d.Agreements["a2"] = &Agreement{ID: "a2", Parties: []Party{{Org: "cn1"}, {Org: "kr1"}}, CountedIn: []string{"f"},
		CountedInGrades: map[string]Graded{"f": {GradeInferred, "same event"}}}
	d.Agreements["a3"] = &Agreement{ID: "a3", Parties: []Party{{Org: "de1"}, {Org: "kr1"}}, Graded: Graded{GradeInferred, "why"}}
	d.Relations["visited|de1|cn1"] = &Relation{Type: "visited", From: "de1", To: "cn1", Graded: Graded{Evidence: GradeInferred, Reason: "x"}}
	return d
}

func TestCoverageCountsStatedLinksAndCountryRanges(t *testing.T) {
	var c FigureCoverage
	for _, x := range coverageFixture().Coverage() {
		if x.Figure.ID == "f" {
			c = x
		}
	}
	if !slices.Equal(c.Named, []string{"a1"}) || !slices.Equal(c.Unconfirmed, []string{"a2"}) || c.Share != 0.1 || c.Unnamed != 9 {
		t.Fatalf("coverage %+v", c)
	}
	want := []CountryCoverage{
		{Country: "DE", Named: []string{"a1"}, MinTies: 1, MaxTies: 10, Low: 0.1, High: 1},
		{Country: "KR", Named: nil, MinTies: 1, MaxTies: 9, Low: 0.1, High: 0.9},
	}
	if len(c.Countries) != 2 {
		t.Fatalf("countries %+v", c.Countries)
	}
	for i, w := range want {
		g := c.Countries[i]
		if g.Country != w.Country || !slices.Equal(g.Named, w.Named) || g.MinTies != w.MinTies || g.MaxTies != w.MaxTies || g.Low != w.Low || g.High != w.High {
			t.Errorf("country %d: %+v, want %+v", i, g, w)
		}
	}
}

func TestWithEvidenceKeepsStatedFacts(t *testing.T) {
	d := coverageFixture()
	s := d.WithEvidence([]Grade{GradeStated})
	if len(s.Agreements) != 2 || s.Agreements["a3"] != nil {
		t.Errorf("agreements %v: want a1, a2 (a2 is ungraded: stated)", s.Agreements)
	}
	if len(s.Agreements["a2"].CountedIn) != 0 || !slices.Equal(s.Agreements["a1"].CountedIn, []string{"f"}) {
		t.Errorf("links: a1 %v, a2 %v; the inferred link goes", s.Agreements["a1"].CountedIn, s.Agreements["a2"].CountedIn)
	}
	if len(s.Relations) != 0 || s.Figures["r"] != nil || s.Figures["f"] == nil || len(s.Organizations) != 3 {
		t.Errorf("relations %v figures %v organisations %d", s.Relations, s.Figures, len(s.Organizations))
	}
	if len(d.Agreements["a2"].CountedIn) != 1 || len(d.Relations) != 1 {
		t.Error("WithEvidence changed the dataset it was given")
	}
	m := d.GradeMix()
	if m.Agreements[GradeStated] != 2 || m.Agreements[GradeInferred] != 1 || m.Links[GradeInferred] != 1 || m.Links[GradeStated] != 1 || m.Figures[GradeReported] != 1 {
		t.Errorf("grade mix %+v", m)
	}
	if g, err := ParseGrades([]string{"stated", "inferred", "stated"}); err != nil || !slices.Equal(g, []Grade{GradeInferred, GradeStated}) {
		t.Errorf("ParseGrades: %v %v", g, err)
	}
	if _, err := ParseGrades([]string{"sure"}); err == nil {
		t.Error("ParseGrades accepted sure")
	}
}
