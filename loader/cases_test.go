package loader

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/collabnet/collabnet/graph"
)

// The files of testdata/cases are copies of ../shared/cases/loader; its
// README gives the right result of each, which these tests assert.

func loadDS(t *testing.T, opts Options, files ...string) *graph.Dataset {
	t.Helper()
	l, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	var ins []Input
	for _, f := range files {
		if !filepath.IsAbs(f) && !strings.HasPrefix(f, "testdata") {
			f = filepath.Join("testdata", f)
		}
		ins = append(ins, FileInput(f))
	}
	ds, _, err := l.Load(t.Context(), ins)
	if err != nil {
		t.Fatalf("load %v: %v", files, err)
	}
	return ds
}

// canonical is a dataset as JSON without what depends on how the input was
// laid out: the Source nodes of table files and citations of their lines.
func canonical(t *testing.T, ds *graph.Dataset) string {
	t.Helper()
	ds.Canonicalize()
	for id := range ds.Sources {
		if strings.HasPrefix(id, "file:") {
			delete(ds.Sources, id)
		}
	}
	for _, a := range ds.Agreements {
		a.Sources = slices.DeleteFunc(a.Sources, func(c graph.Citation) bool { return strings.HasPrefix(c.Source, "file:") })
	}
	b, err := json.MarshalIndent(ds, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// orgsNamed lists the organisations whose stored name prints as name.
func orgsNamed(ds *graph.Dataset, name string) []*graph.Organization {
	var out []*graph.Organization
	for _, o := range ds.Organizations {
		if o.Name == name {
			out = append(out, o)
		}
	}
	return out
}

func agreementsOf(ds *graph.Dataset, org string) int {
	n := 0
	for _, a := range ds.Agreements {
		for _, p := range a.Parties {
			if p.Org == org {
				n++
			}
		}
	}
	return n
}

func TestCasePICMissingRowOrder(t *testing.T) {
	a := loadDS(t, Options{}, "cases/pic_missing_row_order_a.csv")
	b := loadDS(t, Options{}, "cases/pic_missing_row_order_b.csv")
	for _, ds := range []*graph.Dataset{a, b} {
		if n := len(ds.Organizations); n != 3 {
			t.Errorf("%d organisations, want 3: %v", n, keys(ds.Organizations))
		}
		orgA := orgsNamed(ds, "Org A")
		if len(orgA) != 1 || orgA[0].ID != "100000001" || agreementsOf(ds, "100000001") != 2 {
			t.Errorf("Org A should be once, with its PIC 100000001 and both projects: %v", keys(ds.Organizations))
		}
	}
	if ca, cb := canonical(t, a), canonical(t, b); ca != cb {
		t.Errorf("the two row orders give different graphs:\n%s\n%s", ca, cb)
	}
}

func TestCasePICPlaceholder(t *testing.T) {
	ds := loadDS(t, Options{}, "cases/pic_N-A_placeholder_merges_orgs.csv")
	if _, ok := ds.Organizations["N/A"]; ok {
		t.Error("N/A became an organisation ID")
	}
	for _, name := range []string{"Org A", "Org B", "Org C", "Org D", "Org E"} {
		if n := len(orgsNamed(ds, name)); n != 1 {
			t.Errorf("%s: %d organisations, want 1", name, n)
		}
	}
	if a, c := orgsNamed(ds, "Org A"), orgsNamed(ds, "Org C"); len(a) == 1 && len(c) == 1 && (a[0].Country != "DE" || c[0].Country != "FR") {
		t.Errorf("Org A in %q, Org C in %q; want DE and FR", a[0].Country, c[0].Country)
	}
	if n := len(ds.Organizations); n != 5 {
		t.Errorf("%d organisations, want 5", n)
	}
}

func TestCaseCountryNAIsNamibia(t *testing.T) {
	ds := loadDS(t, Options{}, "cases/country_NA_namibia_vs_N-A_placeholder.csv")
	want := map[string]string{"Org A": "NA", "Org B": "DE", "Org C": "", "Org D": ""}
	for name, c := range want {
		os := orgsNamed(ds, name)
		if len(os) != 1 || os[0].Country != c {
			t.Errorf("%s: %d organisations, country %v; want one in %q", name, len(os), os, c)
		}
	}
	if ds.Countries["NA"] == nil || ds.Countries["NA"].NameEN != "Namibia" {
		t.Errorf("no Namibia country node: %v", keys(ds.Countries))
	}
}

func TestCaseInvisibleCharacters(t *testing.T) {
	ds := loadDS(t, Options{FoldAccents: true}, "cases/invisible_chars_names.csv")
	var es []*graph.Organization
	for _, o := range ds.Organizations {
		if o.Country == "ES" {
			es = append(es, o)
		}
		for _, n := range append([]string{o.Name}, o.Aliases...) {
			if strings.IndexFunc(n, func(r rune) bool { return unicode.Is(unicode.Cf, r) || (unicode.IsSpace(r) && r != ' ') }) >= 0 {
				t.Errorf("stored name %q carries an invisible character or a special space", n)
			}
		}
	}
	if len(es) != 1 || es[0].Name != "Org E" {
		t.Fatalf("organisations in ES: %d, want one named \"Org E\"", len(es))
	}
	if n := agreementsOf(ds, es[0].ID); n != 7 {
		t.Errorf("Org E has %d agreements, want 7", n)
	}
	if n := len(ds.Organizations); n != 8 {
		t.Errorf("%d organisations, want Org E and seven parks", n)
	}
}

func TestCaseExcelDates(t *testing.T) {
	const file = "cases/excel_dates_participations.csv"
	_, ps := load(t, Options{}, file)
	for _, w := range []want{
		{line: 4, field: "start_date", value: "01/05/2019", inMsg: "--date-format", column: true},
		{line: 5, field: "start_date", value: "01/05/2019", inMsg: "--date-format", column: true},
		{line: 6, field: "start_date", value: "43586", inMsg: "excel-serial", column: true},
		{line: 8, field: "start_date", value: "2019-13-45", inMsg: "not a real date", column: true},
		{line: 9, field: "start_date", value: "2019-13-45", inMsg: "not a real date", column: true},
	} {
		if !hasProblem(ps, file, w) {
			t.Errorf("missing %+v in:\n%v", w, ps)
		}
	}
	for _, p := range ps {
		if p.Column != 6 {
			t.Errorf("problem not at column 6: %v", p)
		}
	}
	// Told the layouts, the same dates are read right; the impossible one
	// is still refused, and skipped under SkipInvalid.
	l, _ := New(Options{DateFormats: []string{"DD/MM/YYYY", DateExcelSerial}, SkipInvalid: true})
	ds, rep, err := l.Load(t.Context(), []Input{FileInput("testdata/" + file)})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"P1", "P2", "P3"} {
		if a := ds.Agreements["project:"+p]; a == nil || a.Date != "2019-05-01" {
			t.Errorf("project %s: %+v, want dated 2019-05-01", p, a)
		}
	}
	if _, ok := ds.Agreements["project:P4"]; ok || rep.Files[0].Skipped != 2 {
		t.Errorf("P4's impossible date: skipped %d rows, want 2", rep.Files[0].Skipped)
	}
	// MM/DD/YYYY reads the same cell as 5 January.
	ds = loadDS(t, Options{DateFormats: []string{"MM/DD/YYYY"}, SkipInvalid: true}, file)
	if d := ds.Agreements["project:P2"].Date; d != "2019-01-05" {
		t.Errorf("01/05/2019 as MM/DD/YYYY = %s, want 2019-01-05", d)
	}
}

func TestCaseGB18030(t *testing.T) {
	ds := loadDS(t, Options{}, "cases/excel_gb18030_chinese.csv")
	for name, country := range map[string]string{"中关村科技园区": "CN", "北京大学": "CN", "Park C": "FR"} {
		if os := orgsNamed(ds, name); len(os) != 1 || os[0].Country != country {
			t.Errorf("%s: %v, want one organisation in %s", name, os, country)
		}
	}
	// Named explicitly, the same.
	ds2 := loadDS(t, Options{Encoding: "gbk"}, "cases/excel_gb18030_chinese.csv")
	if canonical(t, ds) != canonical(t, ds2) {
		t.Error("--encoding gbk reads another graph than detection")
	}
	// Read as UTF-8, it fails naming the encoding.
	_, ps := load(t, Options{Encoding: "utf-8"}, "cases/excel_gb18030_chinese.csv")
	if !hasProblem(ps, "excel_gb18030_chinese.csv", want{line: 3, field: "party_a", inMsg: "gb18030", column: true}) {
		t.Errorf("the UTF-8 error does not suggest gb18030: %v", ps)
	}
}
