package loader

import (
	"strings"
	"testing"
)

// Every missing-value marker means "no value" in every column: no ID, no
// country (but NA is Namibia), no contribution; as a party's name it is a
// located problem.
func TestMissingMarkers(t *testing.T) {
	for _, m := range []string{"", "NA", "N/A", "n/a", "#N/A", "NULL", "null", "-", "none", "n.a.", "NaN", "#NULL!", "—"} {
		if !isMissing(m) {
			t.Errorf("%q is not a missing-value marker", m)
		}
	}
	for _, v := range []string{"0", "Nan Hai", "None Ltd", "NAM", "Null Island Institute"} {
		if isMissing(v) {
			t.Errorf("%q taken for a missing value", v)
		}
	}
	p := writeFile(t, "p.csv", []byte("project,pic,name,country,contribution,type\n"+
		"P1,#N/A,Org A,NULL,#N/A,-\nP1,null,Org B,DE,none,n/a\nP2,100,Org A,-,12.5,HES\nP2,200,Org C,NA,,\n"))
	ds := loadDS(t, Options{}, p)
	for _, id := range []string{"#N/A", "null", "NULL"} {
		if ds.Organizations[id] != nil {
			t.Errorf("marker %q became an organisation", id)
		}
	}
	if o := ds.Organizations["200"]; o == nil || o.Country != "NA" {
		t.Errorf("NA in a country column: %+v, want Namibia", o)
	}
	// Org A without an ID or a country joins the one Org A there is.
	if n := len(orgsNamed(ds, "Org A")); n != 1 {
		t.Errorf("%d organisations named Org A, want 1", n)
	}
	pairs := writeFile(t, "pairs.csv", []byte("party_a,country_a,party_b,country_b\nOrg A,DE,N/A,FR\nOrg A,DE,Org B,FR\n"))
	_, ps := load(t, Options{}, pairs)
	if !hasProblem(ps, "pairs.csv", want{line: 2, field: "party_b", value: "N/A", inMsg: "missing-value marker", column: true}) {
		t.Errorf("N/A as a party: %v", ps)
	}
	ds = loadDS(t, Options{SkipInvalid: true}, pairs)
	if len(ds.Agreements) != 1 || len(ds.Organizations) != 2 {
		t.Errorf("with SkipInvalid: %d agreements, %v; want the one good row", len(ds.Agreements), keys(ds.Organizations))
	}
}

// A party without a country whose name several organisations have is a
// located problem listing them; with SkipInvalid, a warning and the row is
// left out. Whichever order the rows come in.
func TestAmbiguousNameWithoutCountry(t *testing.T) {
	rows := []string{"Org X,DE,Park A,FR", "Org X,IT,Park B,FR", "Org X,,Park C,FR"}
	for _, order := range [][]int{{0, 1, 2}, {2, 1, 0}, {1, 2, 0}} {
		text := "party_a,country_a,party_b,country_b\n"
		line := 0
		for i, o := range order {
			text += rows[o] + "\n"
			if o == 2 {
				line = i + 2
			}
		}
		p := writeFile(t, "amb.csv", []byte(text))
		_, ps := load(t, Options{}, p)
		if !hasProblem(ps, "amb.csv", want{line: line, field: "party_a", value: "Org X", inMsg: "ambiguous: the name of de:orgx, it:orgx", column: true}) {
			t.Errorf("order %v: %v", order, ps)
		}
		rep, ps := load(t, Options{SkipInvalid: true}, p)
		if ps != nil || rep.Files[0].Skipped != 1 || !strings.Contains(rep.Files[0].Warnings[0].Msg, "ambiguous") {
			t.Errorf("order %v with SkipInvalid: %v %+v", order, ps, rep.Files[0])
		}
	}
}

// A mention without an ID joins the organisation with an ID of its name and
// country; two such are a problem naming both IDs.
func TestNameWithoutIDJoinsTheOneWithID(t *testing.T) {
	p := writeFile(t, "p.csv", []byte("project,pic,name,country\nP1,,Org Y,DE\nP1,100,Org Y,DE\nP2,200,Org Y,FR\nP2,,Org Y,FR\n"))
	ds := loadDS(t, Options{}, p)
	if len(ds.Organizations) != 2 || agreementsOf(ds, "100") != 1 || agreementsOf(ds, "200") != 1 {
		t.Errorf("organisations %v, want 100 and 200 only", keys(ds.Organizations))
	}
	p = writeFile(t, "q.csv", []byte("project,pic,name,country\nP1,,Org Y,DE\nP1,100,Org Y,DE\nP2,300,Org Y,DE\nP2,200,Org Z,FR\n"))
	_, ps := load(t, Options{}, p)
	if !hasProblem(ps, "q.csv", want{line: 2, field: "name", value: "Org Y", inMsg: "ambiguous: the name of 100, 300 in DE", column: true}) {
		t.Errorf("two Org Y with IDs in DE: %v", ps)
	}
}
