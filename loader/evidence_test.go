package loader

import (
	"io"
	"strings"
	"testing"

	"github.com/collabnet/collabnet/graph"
)

// Grades, reasons, locators and figure countries are checked where they are
// written: each bad value is a problem naming its line and field.
func TestBadEvidenceAndLocators(t *testing.T) {
	_, ps := load(t, Options{}, "bad_evidence.yaml")
	for _, w := range []want{
		{line: 4, field: "evidence", value: "guessed", inMsg: "unknown evidence grade"},
		{line: 5, field: "evidence", value: "inferred", inMsg: "needs a reason"},
		{line: 7, field: "countries", value: "Atlantis", inMsg: ""},
		{line: 7, field: "sources", inMsg: "at most 12 characters"},
		{line: 13, field: "counted_in", value: "inferred", inMsg: "needs a reason"},
		{line: 14, field: "sources", value: "s1@甲乙", inMsg: "needs the paragraph"},
		{line: 16, field: "reason", inMsg: "one line"},
	} {
		if !hasProblem(ps, "bad_evidence.yaml", w) {
			t.Errorf("no problem %+v in %v", w, ps)
		}
	}
}

// A counted_in entry is a bare figure ID (the agreement's grade) or a
// mapping with its own grade; locators are kept with their citation, and a
// member_of relation may point at a programme.
func TestEvidenceLoads(t *testing.T) {
	ds, _, err := loadString(t, `sources:
  - {id: s1, file: a.txt, title: ""}
organizations:
  - {id: a, name: 甲园, kind: science_park, sources: ["s1#1@甲园"], evidence: stated}
  - {id: b, name: 乙园, kind: science_park, sources: ["s1#1"], evidence: inferred, reason: "kind read from the name"}
programmes:
  - {id: p, name: 特色园}
figures:
  - {id: f, value: 3, unit: pairs, counts: pairs, coverage: true, countries: [德国, it], sources: ["s1#2@3对"], evidence: reported}
  - {id: g, value: 2, unit: pairs, counts: pairs, coverage: true, sources: ["s1#2"]}
agreements:
  - id: ab
    parties: [a, b]
    type: mou
    counted_in: [g, {figure: f, evidence: inferred, reason: "same event"}]
    sources: ["s1#3@甲乙", "s1#4@签约"]
    evidence: stated
relations:
  - {type: member_of, from: a, to: p, sources: ["s1#5@授牌"], evidence: stated}
`)
	if err != nil {
		t.Fatal(err)
	}
	a := ds.Agreements["ab"]
	if a.LinkGrade("g").Grade() != graph.GradeStated || a.LinkGrade("f") != (graph.Graded{Evidence: graph.GradeInferred, Reason: "same event"}) {
		t.Errorf("link grades: g %v, f %v", a.LinkGrade("g"), a.LinkGrade("f"))
	}
	if got := a.Sources; len(got) != 1 || len(got[0].Locators) != 2 || got[0].Locators[0] != "甲乙" || got[0].Locators[1] != "签约" {
		t.Errorf("citations %+v, want s1#3,4 with both locators", got)
	}
	if f := ds.Figures["f"]; f.Grade() != graph.GradeReported || len(f.Countries) != 2 || f.Countries[0] != "DE" || f.Countries[1] != "IT" {
		t.Errorf("figure f: %+v", f)
	}
	if ds.Figures["g"].Grade() != graph.GradeStated || ds.Figures["g"].Evidence != "" {
		t.Errorf("an ungraded figure counts as stated: %+v", ds.Figures["g"].Graded)
	}
	if b := ds.Organizations["b"]; b.Evidence != graph.GradeInferred || b.Reason == "" {
		t.Errorf("organisation b: %+v", b.Graded)
	}
	r := ds.Relations["member_of|a|p"]
	if r == nil || r.To != "p" {
		t.Errorf("relations %v", ds.Relations)
	}
}

func loadString(t *testing.T, text string) (*graph.Dataset, *Report, error) {
	t.Helper()
	l, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := Input{Name: "inline.yaml", Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(text)), nil }}
	return l.Load(t.Context(), []Input{in})
}
