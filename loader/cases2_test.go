package loader

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/collabnet/collabnet/graph"
)

// The files of testdata/loader2 are copies of ../shared/cases/loader2; its
// README gives the right result of each, which these tests assert.

// countryStrengths counts, per country, the agreements between parties of
// two different countries it takes part in (the strength of the country
// network when every agreement is a tie of weight 1).
func countryStrengths(ds *graph.Dataset) map[string]int {
	s := map[string]int{}
	for _, a := range ds.Agreements {
		var cs []string
		for _, p := range a.Parties {
			if o := ds.Organizations[p.Org]; o != nil && o.Country != "" && !slices.Contains(cs, o.Country) {
				cs = append(cs, o.Country)
			}
		}
		if len(cs) < 2 {
			continue
		}
		for _, c := range cs {
			s[c] += len(cs) - 1
		}
	}
	return s
}

func TestCase2HongKongMacaoSpellings(t *testing.T) {
	ds := loadDS(t, Options{}, "loader2/hongkong_macao_spellings.csv")
	for _, o := range ds.Organizations {
		want := ""
		switch {
		case strings.HasPrefix(o.Name, "Park HK"):
			want = "HK"
		case strings.HasPrefix(o.Name, "Park MO"):
			want = "MO"
		case strings.HasPrefix(o.Name, "Park CN"):
			want = "CN"
		case strings.HasPrefix(o.Name, "Org G"):
			want = "DE"
		}
		if o.Country != want {
			t.Errorf("%s is in %q, want %q", o.Name, o.Country, want)
		}
	}
	want := map[string]int{"CN": 1, "HK": 3, "MO": 4, "DE": 8}
	if got := countryStrengths(ds); !maps.Equal(got, want) {
		t.Errorf("country strengths %v, want %v", got, want)
	}
}

func TestCase2FloatPIC(t *testing.T) {
	ds := loadDS(t, Options{}, "loader2/float_pic_cordis_extract.csv", "loader2/float_pic_pandas_export.csv")
	a := orgsNamed(ds, "Org A")
	if len(a) != 1 || a[0].ID != "999640007" {
		t.Fatalf("Org A: %d organisations %v, want one with PIC 999640007", len(a), keys(ds.Organizations))
	}
	if n := agreementsOf(ds, "999640007"); n != 2 {
		t.Errorf("Org A is in %d projects, want 2", n)
	}
	if _, ok := ds.Organizations["999640019"]; !ok {
		t.Errorf("Org C's PIC 999640019.0 is not 999640019: %v", keys(ds.Organizations))
	}
	if n := len(ds.Organizations); n != 4 {
		t.Errorf("%d organisations, want 4 (A, B, C, D): %v", n, keys(ds.Organizations))
	}
}

func TestCase2MergedCountryCells(t *testing.T) {
	ds := loadDS(t, Options{}, "loader2/merged_country_cells.xlsx")
	for _, name := range []string{"Org B", "Org C", "Org D"} {
		if os := orgsNamed(ds, name); len(os) != 1 || os[0].Country != "DE" {
			t.Errorf("%s: %v, want one organisation in DE (the merged D2:D4)", name, os)
		}
	}
	// The CN-DE tie: agreements between a CN and a DE party.
	n := 0
	for _, a := range ds.Agreements {
		cs := map[string]bool{}
		for _, p := range a.Parties {
			cs[ds.Organizations[p.Org].Country] = true
		}
		if cs["CN"] && cs["DE"] {
			n++
		}
	}
	if n != 3 {
		t.Errorf("CN-DE tie weight %d, want 3", n)
	}
}

func TestCase2MacCRLineEndings(t *testing.T) {
	ds := loadDS(t, Options{}, "loader2/mac_cr_line_endings.csv")
	if n := len(ds.Agreements); n != 3 {
		t.Errorf("%d agreements, want 3", n)
	}
	if n := len(ds.Organizations); n != 6 {
		t.Errorf("%d organisations, want 6", n)
	}
}

func TestCase2DuplicateHeader(t *testing.T) {
	const file = "loader2/duplicate_name_header.csv"
	_, ps := load(t, Options{}, file)
	if len(ps) != 1 || !hasProblem(ps, file, want{line: 1, field: "name", inMsg: "repeats the header", column: true}) {
		t.Errorf("want one problem at line 1 naming the repeated column name, got %v", ps)
	}
	if len(ps) == 1 && ps[0].Column != 5 {
		t.Errorf("the problem points at column %d, want 5 (the second name)", ps[0].Column)
	}
}

func TestCase2PunctuationOnlyNames(t *testing.T) {
	const file = "loader2/punctuation_only_names.csv"
	_, ps := load(t, Options{}, file)
	values := []string{"..", "……", "？？", "???", "***"}
	for i, v := range values {
		if !hasProblem(ps, file, want{line: i + 2, field: "party_a", value: v, inMsg: "without a letter or digit", column: true}) {
			t.Errorf("no located problem for the name %q at line %d: %v", v, i+2, ps)
		}
	}
	if len(ps) != len(values) {
		t.Errorf("%d problems, want %d: %v", len(ps), len(values), ps)
	}
}

func TestCase2SheetsPerYear(t *testing.T) {
	l, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	ds, rep, err := l.Load(t.Context(), []Input{FileInput("testdata/loader2/sheets_per_year.xlsx")})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(ds.Agreements); n != 3 {
		t.Errorf("%d agreements, want 3 (1 of 2023, 2 of 2024)", n)
	}
	fr := rep.Files[0]
	if !slices.Equal(fr.Sheets, []string{"2023", "2024"}) {
		t.Errorf("sheets read %v, want 2023 and 2024", fr.Sheets)
	}
	if !slices.ContainsFunc(fr.Warnings, func(p Problem) bool { return strings.Contains(p.Msg, "2023, 2024") }) {
		t.Errorf("the load does not say which sheets it read: %v", fr.Warnings)
	}
	// --sheet reads one, and says which were not read.
	l, _ = New(Options{Sheet: "2024"})
	ds, rep, err = l.Load(t.Context(), []Input{FileInput("testdata/loader2/sheets_per_year.xlsx")})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(ds.Agreements); n != 2 || !slices.Equal(rep.Files[0].SheetsSkipped, []string{"2023 (--sheet names 2024)"}) {
		t.Errorf("--sheet 2024: %d agreements, skipped %v; want 2, and 2023 named", n, rep.Files[0].SheetsSkipped)
	}
}

// Every kind of territory spelling: "X, <sovereign>", "X SAR, <sovereign>",
// the sovereign first (UN M49), and the Chinese forms, each resolving to
// the territory's own code; places in a country to the country; two
// member states to an error.
func TestCountryTerritorySpellings(t *testing.T) {
	c, err := NewCountries(nil)
	if err != nil {
		t.Fatal(err)
	}
	ok := map[string]string{
		"Hong Kong, China": "HK", "Hong Kong SAR, China": "HK", "Macao SAR, China": "MO", "Macau, China": "MO",
		"Macao, China": "MO", "Taiwan, China": "TW", "Puerto Rico, USA": "PR", "Greenland, Denmark": "GL",
		"Kosovo, Serbia": "XK", "Faroe Islands, Denmark": "FO", "Aruba, Netherlands": "AW", "Gibraltar, UK": "GI",
		"Guam, United States": "GU", "New Caledonia, France": "NC", "Curaçao, Netherlands": "CW",
		"China, Hong Kong SAR": "HK", "China, Hong Kong Special Administrative Region": "HK",
		"中国香港": "HK", "香港特别行政区": "HK", "中國澳門": "MO", "澳门特别行政区": "MO", "中国台湾": "TW",
		"台湾，中国": "TW", "Chinese Taipei": "TW", "Taiwan, Province of China": "TW",
		"Shanghai, China": "CN", "England, United Kingdom": "GB",
	}
	for in, want := range ok {
		if got, err := c.Resolve(in); err != nil || got != want {
			t.Errorf("Resolve(%q) = %q, %v; want %s", in, got, err, want)
		}
	}
	// A US state that shares a country's name: not a guess either way.
	if got, err := c.Resolve("Georgia, USA"); err == nil || !strings.Contains(err.Error(), "two countries") {
		t.Errorf("Resolve(Georgia, USA) = %q, %v; want an error naming both", got, err)
	}
}

// Suggestions come from a name the value starts or nearly is, never from
// the nearest code, which is another country.
func TestCountrySuggestionsAreSimilar(t *testing.T) {
	c, _ := NewCountries(nil)
	for in, want := range map[string]string{"GER": "Germany = DE", "Grece": "Greece = GR", "Republic of China": ""} {
		_, err := c.Resolve(in)
		if err == nil {
			t.Errorf("Resolve(%q) succeeded", in)
			continue
		}
		has := strings.Contains(err.Error(), "did you mean")
		if want == "" && has || want != "" && !strings.Contains(err.Error(), want) {
			t.Errorf("Resolve(%q): %v; want suggestion %q", in, err, want)
		}
	}
}

func TestCanonicalID(t *testing.T) {
	for in, want := range map[string]string{
		"999640007": "999640007", "999640007.0": "999640007", "999640007.00": "999640007",
		"９９９６４０００７": "999640007", " 999640007 ": "999640007", "\u200b999640007": "999640007",
		"N/A": "", "..": "", "／": "", "无": "", "DE-123": "DE-123", "0123": "0123", "1.5": "1.5",
		// Number formats saved with the value (Excel's CSV is what the cells
		// show): thousands separators, a decimal comma's zero fraction.
		"999,640,007": "999640007", "999.640.007": "999640007", "999 640 007": "999640007",
		"999\u00a0640\u00a0007": "999640007", "1'234'567": "1234567", "1\u2019234\u2019567": "1234567",
		"999640007,00": "999640007", "999640007,0": "999640007", "12,0": "12",
		// Not a number format: left as written.
		"1,000": "1,000", "1,234": "1,234", "999,640.007": "999,640.007", "12,345,67": "12,345,67", "1.2.3": "1.2.3",
	} {
		if got, err := canonicalID(in); err != nil || got != want {
			t.Errorf("canonicalID(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"9.11101E+17", "9,99E+08", "1.23457e11", "911101000000000000", "#VALUE!", "#REF!", "#####"} {
		if got, err := canonicalID(in); err == nil {
			t.Errorf("canonicalID(%q) = %q; want an error (Excel damaged it)", in, got)
		} else if !strings.Contains(err.Error(), "ID") && !strings.Contains(err.Error(), "Excel") {
			t.Errorf("canonicalID(%q): %v does not say what is wrong", in, err)
		}
	}
}

// Scientific notation in a PIC column is a located refusal that says how to
// keep IDs as text.
func TestScientificPICRefused(t *testing.T) {
	p := writeFile(t, "sci.csv", []byte("project,pic,name,country\nP1,9.11101E+17,Org A,DE\nP1,9.11101E+17,Org B,FR\n"))
	_, ps := load(t, Options{}, p)
	for _, line := range []int{2, 3} {
		if !hasProblem(ps, "sci.csv", want{line: line, field: "pic", value: "9.11101E+17", inMsg: "keep IDs as text", column: true}) {
			t.Errorf("line %d: no located refusal of the scientific PIC: %v", line, ps)
		}
	}
}

func TestUnknownColumnsKey(t *testing.T) {
	_, err := New(Options{Columns: map[string]string{"partner_name": "Name"}})
	if err == nil || !strings.Contains(err.Error(), "partner_name") || !strings.Contains(err.Error(), "party_a") {
		t.Errorf("an unknown columns: key: %v; want an error naming it and the fields", err)
	}
}

func TestShortRowsPadded(t *testing.T) {
	p := writeFile(t, "short.csv", []byte("party_a,country_a,party_b,country_b,type,date\nPark A,CN,Org B,DE,mou\nPark C,CN,Org D,FR,mou,2020,,\n"))
	ds := loadDS(t, Options{}, p)
	if n := len(ds.Agreements); n != 2 {
		t.Errorf("%d agreements, want 2", n)
	}
	p = writeFile(t, "short.csv", []byte("party_a,country_a,party_b,country_b\nPark A,CN,Org B,DE,extra\n"))
	_, ps := load(t, Options{}, p)
	if !hasProblem(ps, "short.csv", want{line: 2, inMsg: "beyond the last column"}) {
		t.Errorf("a value beyond the last column: %v", ps)
	}
}

func TestChinesePlaceholders(t *testing.T) {
	for _, v := range []string{"无", "暂无", "不详", "未知", "/", "／", "Ｎ/Ａ"} {
		if !isMissing(v) && hasLetterOrDigit(CleanName(v)) {
			t.Errorf("%q is neither a marker nor refused as a name", v)
		}
	}
	if got := countryCell("未知"); got != "" {
		t.Errorf("country 未知 = %q, want unknown", got)
	}
}

// A formula cell of a workbook a script wrote has no saved value: it is
// computed, or, when it cannot be, a located problem.
func TestFormulaWithoutCachedValue(t *testing.T) {
	f := excelize.NewFile()
	rows := [][]any{{"party_a", "country_a", "party_b", "country_b", "type"}, {"Park A", "CN", "Org B", "DE", "mou"}, {"Park C", nil, "Org D", nil, "mou"}}
	for i, r := range rows {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	// D3 = D2 (DE), B3 = B2 (CN), with no cached value; then B3 = a
	// function excelize does not know.
	for _, c := range []string{"B", "D"} {
		if err := f.SetCellFormula("Sheet1", c+"3", c+"2"); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), "formula.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	ds := loadDS(t, Options{}, p)
	if os := orgsNamed(ds, "Org D"); len(os) != 1 || os[0].Country != "DE" {
		t.Errorf("Org D: %v, want one in DE (=D2 computed)", os)
	}
	if err := f.SetCellFormula("Sheet1", "B3", "NOSUCHFUNCTION(1)"); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	_, ps := load(t, Options{}, p)
	if len(ps) != 1 || ps[0].Line != 3 || ps[0].Column != 2 || ps[0].Sheet != "Sheet1" || !strings.Contains(ps[0].Msg, "formula") {
		t.Errorf("an uncomputable formula: %v; want one problem at Sheet1!B3", ps)
	}
}

// Small files in legacy encodings are detected (ICU's detector): a French
// windows-1252 CSV of a few lines is not Big5, a GBK pairs file of two rows
// is Chinese; the load says what it read them as.
func TestSmallLegacyEncodingsDetected(t *testing.T) {
	fr := "project,name,country\nP1,Université de Genève,CH\nP1,École Polytechnique,FR\nP2,Société Générale,FR\nP2,Centre français d'études,FR\n"
	b, err := charmap.Windows1252.NewEncoder().String(fr)
	if err != nil {
		t.Fatal(err)
	}
	l, _ := New(Options{})
	ds, rep, err := l.Load(t.Context(), []Input{FileInput(writeFile(t, "fr.csv", []byte(b)))})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"Université de Genève", "École Polytechnique", "Société Générale", "Centre français d'études"} {
		if len(orgsNamed(ds, n)) != 1 {
			t.Errorf("%q not read: %v", n, keys(ds.Organizations))
		}
	}
	if !slices.ContainsFunc(rep.Files[0].Warnings, func(p Problem) bool { return strings.Contains(p.Msg, "windows-1252") }) {
		t.Errorf("the load does not say it read windows-1252: %v", rep.Files[0].Warnings)
	}
	gbk, err := simplifiedchinese.GBK.NewEncoder().String("party_a,country_a,party_b,country_b,type\n北京大学,中国,Org X,DE,mou\n")
	if err != nil {
		t.Fatal(err)
	}
	ds = loadDS(t, Options{}, writeFile(t, "gbk.csv", []byte(gbk)))
	if os := orgsNamed(ds, "北京大学"); len(os) != 1 || os[0].Country != "CN" {
		t.Errorf("GBK: %v", keys(ds.Organizations))
	}
	// UTF-8 with one stray Latin-1 byte is UTF-8 with damage: located.
	p := writeFile(t, "mixed.csv", []byte("city1,country1,city2,country2\nMünchen,DE,Saint-Étienne,FR\nK\xf6ln,DE,Lille,FR\n"))
	if _, ps := load(t, Options{}, p); !hasProblem(ps, "mixed.csv", want{line: 3, inMsg: "invalid UTF-8"}) {
		t.Errorf("mixed UTF-8: %v", ps)
	}
}

// Letters NFKC leaves alone fold in matching keys (with accent folding), by
// a transliteration table; stored names keep their spelling.
func TestTransliteratedKeys(t *testing.T) {
	for _, p := range [][2]string{{"Łódź", "Lodz"}, {"Ørsted", "Orsted"}, {"Đorđević", "Djordjevic"}, {"Đà Nẵng", "Da Nang"},
		{"Işık Üniversitesi", "Isik Universitesi"}, {"Straße", "Strasse"}, {"Æbeltoft", "Aebeltoft"}, {"Œuvre", "Oeuvre"},
		{"Þórshöfn", "Thorshofn"}, {"Ålborg", "Alborg"}, {"Müller", "Muller"}} {
		if a, b := NameKey(p[0], true), NameKey(p[1], true); a != b {
			t.Errorf("NameKey(%q) = %q, NameKey(%q) = %q; want equal", p[0], a, p[1], b)
		}
	}
	// Chinese keeps its characters; without accent folding nothing is transliterated.
	if k := NameKey("北京大学", true); k != "北京大学" {
		t.Errorf("NameKey(北京大学) = %q", k)
	}
	if NameKey("Łódź", false) == NameKey("Lodz", false) {
		t.Error("transliterated without accent folding")
	}
	p := writeFile(t, "lodz.csv", []byte("party_a,country_a,party_b,country_b,type\nŁódź University,PL,Org B,DE,mou\nLodz University,PL,Org C,FR,mou\n"))
	ds := loadDS(t, Options{FoldAccents: true}, p)
	var pl []*graph.Organization
	for _, o := range ds.Organizations {
		if o.Country == "PL" {
			pl = append(pl, o)
		}
	}
	if len(pl) != 1 || agreementsOf(ds, pl[0].ID) != 2 || !slices.Contains(append([]string{pl[0].Name}, pl[0].Aliases...), "Łódź University") {
		t.Errorf("Łódź University and Lodz University: %+v, want one organisation keeping both spellings", pl)
	}
}
