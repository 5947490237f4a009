package loader

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Spreadsheet error values (what a cell shows when its formula failed: a
// VLOOKUP into a deleted sheet, a division by zero) are never a value: in a
// column we read, each is an error at its cell, in every language Excel
// writes them and as LibreOffice and Google Sheets write them. Before,
// #REF! as a partner's name became an organisation "#REF!" that every
// broken row joined. #N/A and #NULL! stay missing-value markers (README).
// A column we do not read (a remark) may hold one.
func TestSpreadsheetErrorValuesRefused(t *testing.T) {
	csv := "party_a,country_a,party_b,country_b,type,remark\n" +
		"Park A,CN,#REF!,DE,mou,\n" + // 2
		"Park A,CN,#VALUE!,DE,mou,\n" + // 3
		"Park B,CN,#NAME?,FR,mou,\n" + // 4
		"Park B,CN,#DIV/0!,FR,mou,\n" + // 5
		"Park C,CN,#WERT!,FR,mou,\n" + // 6: German Excel's #VALUE!
		"Park C,CN,#¡VALOR!,FR,mou,\n" + // 7: Spanish Excel's #VALUE!
		"Park D,CN,Err:502,FR,mou,\n" + // 8: LibreOffice
		"Park D,CN,Org E, #REF! ,mou,\n" + // 9: in a country cell
		"Park E,CN,Org F,DE,#NAME?,\n" + // 10: in a type cell
		"Park F,CN,Org G,#N/A,mou,#REF!\n" + // 11: a marker, and a column we do not read
		"Park G,CN,Org H,DE,mou,\n" // 12
	p := writeFile(t, "errors.csv", []byte(csv))
	_, ps := load(t, Options{}, p)
	bad := map[int]string{2: "party_b", 3: "party_b", 4: "party_b", 5: "party_b", 6: "party_b", 7: "party_b", 8: "party_b", 9: "country_b", 10: "type"}
	for line, field := range bad {
		if !hasProblem(ps, "errors.csv", want{line: line, field: field, inMsg: "spreadsheet error value", column: true}) {
			t.Errorf("line %d: no located refusal of the error value in %s: %v", line, field, ps)
		}
	}
	if len(ps) != len(bad) {
		t.Errorf("%d problems, want %d (lines 11 and 12 are good): %v", len(ps), len(bad), ps)
	}
	// Skipped, the error rows leave the two good agreements and no node
	// named after an error value.
	ds := loadDS(t, Options{SkipInvalid: true}, p)
	if len(ds.Agreements) != 2 {
		t.Errorf("%d agreements, want 2 (lines 11 and 12)", len(ds.Agreements))
	}
	var got []string
	for _, o := range ds.Organizations {
		got = append(got, o.Name)
	}
	slices.Sort(got)
	if w := []string{"Org G", "Org H", "Park F", "Park G"}; !slices.Equal(got, w) {
		t.Errorf("organisations %q, want %q", got, w)
	}
}

// The same in a workbook: a formula without a saved value that computes to
// an error value (a division by zero) is an error at its cell.
func TestSpreadsheetErrorValueXLSX(t *testing.T) {
	f := workbook(t, []string{"Sheet1"}, map[string][][]any{"Sheet1": {
		{"project", "pic", "name", "country"},
		{"P1", "999640007", "Org A", "DE"},
		{"P1", "999640008", nil, "FR"},
	}})
	if err := f.SetCellFormula("Sheet1", "C3", "1/0"); err != nil {
		t.Fatal(err)
	}
	path := saveXLSX(t, f, "div.xlsx")
	_, ps := load(t, Options{}, path)
	if len(ps) != 1 || ps[0].Sheet != "Sheet1" || ps[0].Line != 3 || ps[0].Column != 3 {
		t.Errorf("problems %v, want one at div.xlsx:Sheet1!C3", ps)
	}
}

// Two inputs with the same base name (an office's partners.csv of each
// year, in a folder per year) are two sources: a row is cited in its own
// file. Before, both were the source file:partners.csv, titled after the
// last one read, and a pair stated in 2024/partners.csv line 2 and
// 2025/partners.csv line 3 cited "2025/partners.csv ¶2, 3".
func TestSameBaseNameTwoSources(t *testing.T) {
	dir := writeFiles(t, map[string]string{})
	for year, text := range map[string]string{
		"2024": "party_a,country_a,party_b,country_b,type,date\nA Park,CN,B Park,DE,mou,2024\n",
		"2025": "party_a,country_a,party_b,country_b,type,date\nX Park,CN,Y Lab,FR,mou,2025\nA Park,CN,B Park,DE,mou,2024\n",
	} {
		p := filepath.Join(dir, year, "partners.csv")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ds := loadDS(t, Options{}, filepath.Join(dir, "2024", "partners.csv"), filepath.Join(dir, "2025", "partners.csv"))
	cites := func(id string) map[string][]int {
		a := ds.Agreements[id]
		if a == nil {
			t.Fatalf("no agreement %s: %v", id, keys(ds.Agreements))
		}
		m := map[string][]int{}
		for _, c := range a.Sources {
			s := ds.Sources[c.Source]
			if s == nil {
				t.Fatalf("%s cites %s, which is no source", id, c.Source)
			}
			m[filepath.Base(filepath.Dir(s.File))+"/"+filepath.Base(s.File)] = c.Paragraphs
		}
		return m
	}
	if got, w := cites("pair:cn:apark|de:bpark|mou|2024"), map[string][]int{"2024/partners.csv": {2}, "2025/partners.csv": {3}}; !maps.EqualFunc(got, w, slices.Equal) {
		t.Errorf("A Park – B Park cites %v, want %v", got, w)
	}
	if got, w := cites("pair:cn:xpark|fr:ylab|mou|2025"), map[string][]int{"2025/partners.csv": {2}}; !maps.EqualFunc(got, w, slices.Equal) {
		t.Errorf("X Park – Y Lab cites %v, want %v", got, w)
	}
	if _, ok := ds.Sources["file:2024/partners.csv"]; !ok || len(ds.Sources) != 2 {
		t.Errorf("sources %v, want file:2024/partners.csv and file:2025/partners.csv", keys(ds.Sources))
	}
}

func TestTableSourceNames(t *testing.T) {
	got := tableSourceNames([]string{"/r/a/2024/p.csv", "/r/b/2025/p.csv", "/r/x.csv", "/r/a/x/q.csv", "/r/b/x/q.csv", "/r/x.csv"})
	w := map[string]string{"/r/a/2024/p.csv": "file:2024/p.csv", "/r/b/2025/p.csv": "file:2025/p.csv", "/r/x.csv": "file:x.csv",
		"/r/a/x/q.csv": "file:a/x/q.csv", "/r/b/x/q.csv": "file:b/x/q.csv"}
	if !maps.Equal(got, w) {
		t.Errorf("tableSourceNames = %v, want %v", got, w)
	}
}

// A workbook with a sheet per year: each sheet read is a source of its
// own, so a project cites the rows of its own sheet (rows 2 to 4 of 2024
// and rows 2 to 4 of 2025 are different rows).
func TestSheetsAreSources(t *testing.T) {
	f := workbook(t, []string{"2024", "2025"}, map[string][][]any{
		"2024": {{"project", "pic", "name", "country"}, {"P1", "1", "Org A", "DE"}, {"P1", "2", "Org B", "FR"}},
		"2025": {{"project", "pic", "name", "country"}, {"P2", "1", "Org A", "DE"}, {"P2", "3", "Org C", "IT"}},
	})
	path := saveXLSX(t, f, "book.xlsx")
	ds := loadDS(t, Options{}, path)
	for id, w := range map[string]string{"project:P1": "file:book.xlsx!2024", "project:P2": "file:book.xlsx!2025"} {
		a := ds.Agreements[id]
		if a == nil || len(a.Sources) != 1 || a.Sources[0].Source != w || !slices.Equal(a.Sources[0].Paragraphs, []int{2, 3}) {
			t.Errorf("%s: sources %+v, want %s ¶2, 3", id, a, w)
		}
		if s := ds.Sources[w]; s == nil || s.File != path {
			t.Errorf("source %s: %+v, want the file %s", w, s, path)
		}
	}
}

// A PIC column Excel formatted as a number with thousands separators (and a
// German sheet's, and two decimals with a decimal comma) is saved in a CSV
// as the cells show it. Each is the same PIC as the plain digits, so the
// two spellings of each organisation are one organisation: two, not four.
func TestFormattedIDsAreOneOrganisation(t *testing.T) {
	p := writeFile(t, "formatted.csv", []byte("projectID;organisationID;name;country\n"+
		"101;\"999,640,007\";Alpha;DE\n101;999640008,00;Beta;FR\n"+
		"102;999.640.007;Alpha GmbH;DE\n102;999640008;Beta SA;FR\n103;999 640 007;Alpha;DE\n"))
	ds := loadDS(t, Options{}, p)
	if got := slices.Sorted(maps.Keys(ds.Organizations)); !slices.Equal(got, []string{"999640007", "999640008"}) {
		t.Errorf("organisations %q, want 999640007 and 999640008", got)
	}
}

// The World Bank's country names (World Development Indicators, as its
// downloads write them), with the ISO 3166-1 code of each, written by hand:
// an office's sheet pasted from a World Bank table resolves without an
// alias. Before, "Korea, Rep." and twelve others were refused as unknown.
// Chinese official and administrative names, capitals and ISO's inverted
// names too; "Georgia (USA)" still names two countries.
func TestWorldBankCountryNames(t *testing.T) {
	c, err := NewCountries(nil)
	if err != nil {
		t.Fatal(err)
	}
	for in, w := range map[string]string{
		"Bahamas, The": "BS", "Congo, Dem. Rep.": "CD", "Congo, Rep.": "CG", "Egypt, Arab Rep.": "EG",
		"Gambia, The": "GM", "Hong Kong SAR, China": "HK", "Iran, Islamic Rep.": "IR",
		"Korea, Dem. People's Rep.": "KP", "Korea, Rep.": "KR", "Macao SAR, China": "MO",
		"Micronesia, Fed. Sts.": "FM", "Venezuela, RB": "VE", "Yemen, Rep.": "YE", "Somalia, Fed. Rep.": "SO",
		"St. Martin (French part)": "MF", "Sint Maarten (Dutch part)": "SX", "Virgin Islands (U.S.)": "VI",
		"Puerto Rico (US)": "PR", "Turkiye": "TR", "Slovak Republic": "SK", "Kyrgyz Republic": "KG",
		"Lao PDR": "LA", "Russian Federation": "RU", "Syrian Arab Republic": "SY", "Cabo Verde": "CV",
		"Cote d'Ivoire": "CI", "Curacao": "CW", "West Bank and Gaza": "PS", "Viet Nam": "VN",
		"Brunei Darussalam": "BN", "St. Kitts and Nevis": "KN", "St. Vincent and the Grenadines": "VC",
		"KOREA, REP.": "KR", "Netherlands, The": "NL", "China, People's Republic of": "CN",
		"P.R. China": "CN", "PR China": "CN", "中华人民共和国": "CN", "中華人民共和國": "CN", "大韩民国": "KR",
		"中国台湾省": "TW", "台湾地区": "TW", "中国香港地区": "HK", "香港（中国）": "HK",
	} {
		if got, err := c.Resolve(in); err != nil || got != w {
			t.Errorf("Resolve(%q) = %q, %v; want %s", in, got, err, w)
		}
	}
	for _, in := range []string{"Georgia (USA)", "Korea", "Congo", "Rep."} {
		if got, err := c.Resolve(in); err == nil {
			t.Errorf("Resolve(%q) = %q; want an error", in, got)
		}
	}
}

// A Chinese office's sheet has its title above the header, often merged
// across the columns (so that, with merged cells carried, every cell of
// row 1 holds it). The title row is passed over with a note naming it, and
// rows keep their sheet row numbers. Before, the merged title was refused
// as "column 2 repeats the header of column 1", a plain title line as
// "not a format we know".
func TestTitleRowAboveHeader(t *testing.T) {
	f := workbook(t, []string{"2024", "2025"}, map[string][][]any{
		"2024": {{"2024年对外合作协议一览表"}, {"序号", "party_a", "country_a", "party_b", "country_b", "type"},
			{1, "海淀区", "CN", "KAIST", "KR", "合作备忘录"}},
		"2025": {{"2025年对外合作协议一览表"}, {"序号", "party_a", "country_a", "party_b", "country_b", "type"},
			{1, "海淀区", "CN", "Ankara Teknokent", "TR", "框架协议"}, {2, "海淀区", "CN", "#REF!", "DE", "mou"}},
	})
	for _, sheet := range []string{"2024", "2025"} {
		if err := f.MergeCell(sheet, "A1", "F1"); err != nil {
			t.Fatal(err)
		}
	}
	path := saveXLSX(t, f, "office.xlsx")
	rep, ps := load(t, Options{}, path)
	// Row 4 of sheet 2025 is the bad row: its sheet row, not the 3rd row read.
	if len(ps) != 1 || ps[0].Sheet != "2025" || ps[0].Line != 4 || ps[0].Column != 4 {
		t.Errorf("problems %v, want one at office.xlsx:2025!D4", ps)
	}
	if rep == nil || len(rep.Files) != 1 || len(rep.Files[0].Sheets) != 2 {
		t.Fatalf("report %+v, want both sheets read", rep)
	}
	notes := 0
	for _, w := range rep.Files[0].Warnings {
		if w.Line == 1 && strings.Contains(w.Msg, "title") && strings.Contains(w.Msg, "对外合作协议一览表") {
			notes++
		}
	}
	if notes != 2 {
		t.Errorf("%d notes of a title row, want 2 (one per sheet): %v", notes, rep.Files[0].Warnings)
	}
	ds := loadDS(t, Options{SkipInvalid: true}, path)
	if got := slices.Sorted(maps.Keys(ds.Agreements)); !slices.Equal(got, []string{
		"pair:cn:海淀区|kr:kaist|mou", "pair:cn:海淀区|tr:ankarateknokent|cooperation_agreement"}) {
		t.Errorf("agreements %q", got)
	}
	// The same as CSV, as Excel saves it (the title's row padded with
	// commas) and as a person types it (the title alone).
	for _, title := range []string{"2025年对外合作协议一览表,,,,\n", "2025年对外合作协议一览表\n"} {
		p := writeFile(t, "office.csv", []byte(title+"party_a,country_a,party_b,country_b,type\n海淀区,CN,KAIST,KR,合作备忘录\n海淀区,CN,Ankara Teknokent,TR,框架协议,\n"))
		ds := loadDS(t, Options{}, p)
		a := ds.Agreements["pair:cn:海淀区|kr:kaist|mou"]
		if len(ds.Agreements) != 2 || a == nil || !slices.Equal(a.Sources[0].Paragraphs, []int{3}) {
			t.Errorf("title %q: agreements %v, want 2, the KAIST one citing line 3", title, keys(ds.Agreements))
		}
	}
	// A file of single values has no header below a title: the first line
	// is refused as the header it is.
	_, ps = load(t, Options{}, writeFile(t, "notes.csv", []byte("a note\nanother\n")))
	if len(ps) != 1 || ps[0].Line != 1 || !strings.Contains(ps[0].Msg, "not a format we know") {
		t.Errorf("problems %v, want the header at line 1 refused", ps)
	}
}

// Full-width digits in a date or a number (a Chinese sheet typed with the
// IME in full-width mode) are the digits: ２０２５年３月２７日 under the
// layout YYYY年M月D日 is 2025-03-27, and １２３４．５ is 1234.5. Before,
// both were refused although the layout was named.
func TestFullWidthDatesAndNumbers(t *testing.T) {
	p := writeFile(t, "fw.csv", []byte("projectID,organisationID,name,country,ecContribution,start_date\n"+
		"P1,1,Org A,DE,１２３４．５,２０２５年３月２７日\nP2,2,Org B,FR,,２０２４－０５－０１\n"))
	ds := loadDS(t, Options{DateFormats: []string{"YYYY年M月D日"}}, p)
	if a := ds.Agreements["project:P1"]; a == nil || a.Date != "2025-03-27" || len(a.Parties) != 1 || a.Parties[0].Contribution != 1234.5 {
		t.Errorf("P1: %+v, want 2025-03-27 and a contribution of 1234.5", a)
	}
	if a := ds.Agreements["project:P2"]; a == nil || a.Date != "2024-05-01" {
		t.Errorf("P2: %+v, want 2024-05-01", a)
	}
}

// Two columns that our names both map to one field (a "Start date" and a
// "Signed" column are both a date; pic and organisationID both the
// organisation's ID) are an error at the header naming both, unless
// columns: names the one meant. Before, the first in our list of names was
// taken and the other column silently dropped: a pair signed 2019-05-01
// got the date 2020.
func TestTwoColumnsForOneField(t *testing.T) {
	p := writeFile(t, "dates.csv", []byte("party_a,country_a,party_b,country_b,type,Start date,Signed\nA Park,CN,B Lab,DE,mou,2020,2019-05-01\n"))
	_, ps := load(t, Options{}, p)
	if len(ps) != 1 || ps[0].Line != 1 || !strings.Contains(ps[0].Msg, `6 ("Start date") and 7 ("Signed")`) || !strings.Contains(ps[0].Msg, "field date") {
		t.Errorf("problems %v, want one at line 1 naming Start date and Signed", ps)
	}
	ds := loadDS(t, Options{Columns: map[string]string{"date": "Signed"}}, p)
	if a := ds.Agreements["pair:cn:apark|de:blab|mou|2019-05-01"]; a == nil {
		t.Errorf("with columns: date: Signed, agreements %v, want the one of 2019-05-01", keys(ds.Agreements))
	}
	p = writeFile(t, "ids.csv", []byte("project,pic,organisationID,name,country\nP1,999640007,999000001,Org A,DE\n"))
	if _, ps := load(t, Options{}, p); len(ps) != 1 || !strings.Contains(ps[0].Msg, `2 ("pic") and 3 ("organisationID")`) {
		t.Errorf("problems %v, want one naming pic and organisationID", ps)
	}
}

// A workbook is read as Excel shows it: a hidden sheet (last year's copy, a
// lookup table with the same header) is not read unless --sheet names it,
// and the summary says so; rows hidden or filtered out are read, and a
// note names them. Before, the hidden sheet's rows were loaded without a
// word about their being hidden.
func TestHiddenSheetsAndRows(t *testing.T) {
	f := workbook(t, []string{"2025", "old"}, map[string][][]any{
		"2025": {{"party_a", "country_a", "party_b", "country_b", "type"}, {"A Park", "CN", "B Lab", "DE", "mou"}, {"A Park", "CN", "C Lab", "IT", "mou"}},
		"old":  {{"party_a", "country_a", "party_b", "country_b", "type"}, {"A Park", "CN", "Z Lab", "FR", "mou"}},
	})
	if err := f.SetSheetVisible("old", false); err != nil {
		t.Fatal(err)
	}
	if err := f.SetRowVisible("2025", 3, false); err != nil {
		t.Fatal(err)
	}
	path := saveXLSX(t, f, "hidden.xlsx")
	rep, ps := load(t, Options{}, path)
	if ps != nil {
		t.Fatal(ps)
	}
	if fr := rep.Files[0]; !slices.Equal(fr.Sheets, []string{"2025"}) || len(fr.SheetsSkipped) != 1 || !strings.Contains(fr.SheetsSkipped[0], "hidden") {
		t.Errorf("sheets read %q, skipped %q; want 2025 read and old skipped as hidden", fr.Sheets, fr.SheetsSkipped)
	}
	noted := slices.ContainsFunc(rep.Files[0].Warnings, func(w Problem) bool {
		return w.Sheet == "2025" && w.Line == 3 && strings.Contains(w.Msg, "hidden in Excel")
	})
	if !noted {
		t.Errorf("no note of the hidden row 3: %v", rep.Files[0].Warnings)
	}
	ds := loadDS(t, Options{}, path)
	if got := slices.Sorted(maps.Keys(ds.Agreements)); !slices.Equal(got, []string{"pair:cn:apark|de:blab|mou", "pair:cn:apark|it:clab|mou"}) {
		t.Errorf("agreements %q, want B Lab's and C Lab's (the hidden row)", got)
	}
	ds = loadDS(t, Options{Sheet: "old"}, path)
	if got := slices.Sorted(maps.Keys(ds.Agreements)); !slices.Equal(got, []string{"pair:cn:apark|fr:zlab|mou"}) {
		t.Errorf("--sheet old: agreements %q, want Z Lab's", got)
	}
}

// Placeholders where a partner's name is not known yet (Unknown, TBD,
// 待定, 不明, 暂缺, (none), <unknown>, n/a.) are refused as names, like the
// missing-value markers: as a name each made one organisation of every row
// that wrote it. Before, "Unknown" in two rows was one German partner of
// two parks, a hub made of nothing. Names that merely look odd load.
func TestPlaceholderNamesRefused(t *testing.T) {
	bad := []string{"Unknown", "unknown", "TBD", "To be determined", "待定", "未定", "不明", "暂缺", "空", "匿名", "某公司",
		"(none)", "<unknown>", "n/a.", "【待定】", "Anonymous", "xxx"}
	good := []string{"Unknown Pleasures GmbH", "X Corp", "0", "1688", "空客中国", "TBD Pharma"}
	var b strings.Builder
	b.WriteString("party_a,country_a,party_b,country_b,type\n")
	for i, n := range append(bad, good...) {
		fmt.Fprintf(&b, "Park %d,CN,%s,DE,mou\n", i, n)
	}
	p := writeFile(t, "placeholders.csv", []byte(b.String()))
	_, ps := load(t, Options{}, p)
	for i, n := range bad {
		if !hasProblem(ps, "placeholders.csv", want{line: i + 2, field: "party_b", value: n, inMsg: "placeholder", column: true}) {
			t.Errorf("line %d: %q not refused as a placeholder", i+2, n)
		}
	}
	if len(ps) != len(bad) {
		t.Errorf("%d problems, want %d: %v", len(ps), len(bad), ps)
	}
	ds := loadDS(t, Options{SkipInvalid: true}, p)
	if len(ds.Agreements) != len(good) {
		t.Errorf("%d agreements, want %d (the good names)", len(ds.Agreements), len(good))
	}
	// A participations table's name column too.
	p = writeFile(t, "parts.csv", []byte("project,name,country\nP1,Org A,DE\nP1,Unknown,FR\nP2,Org B,DE\nP2,Unknown,FR\n"))
	if _, ps := load(t, Options{}, p); len(ps) != 2 || !strings.Contains(ps[0].Msg, "placeholder") {
		t.Errorf("problems %v, want lines 3 and 5 refused", ps)
	}
}

// A Chinese sheet lists several signatories in one cell (清华大学、北京大学,
// or with a full-width comma between Chinese names): a pairs row has one
// party a side, so the cell is an error at its place. Before, it became
// one organisation "清华大学、北京大学", a third beside Tsinghua and PKU.
// A native organisation whose one name holds 、 (one body with two names)
// still matches, and English names with commas load.
func TestCellListingSeveralParties(t *testing.T) {
	p := writeFile(t, "multi.csv", []byte("party_a,country_a,party_b,country_b,type\n"+
		"清华大学、北京大学,CN,MIT,US,合作备忘录\n"+
		"中关村科学城,CN,新加坡国立大学，南洋理工大学,SG,mou\n"+
		"清华大学,CN,\"University of California, Berkeley\",US,mou\n"+
		"清华大学,CN,\"Université Paris-Saclay，France\",FR,mou\n"))
	_, ps := load(t, Options{}, p)
	if len(ps) != 2 || !hasProblem(ps, "multi.csv", want{line: 2, field: "party_a", inMsg: "several organisations", column: true}) ||
		!hasProblem(ps, "multi.csv", want{line: 3, field: "party_b", inMsg: "several organisations", column: true}) {
		t.Errorf("problems %v, want lines 2 and 3 refused", ps)
	}
	native := writeFile(t, "orgs.yaml", []byte(`organizations:
  - id: bj-kw
    name: 北京市科学技术委员会、中关村科技园区管理委员会
    country: CN
    kind: government_agency
`))
	pairs := writeFile(t, "kw.csv", []byte("party_a,country_a,party_b,country_b,type\n北京市科学技术委员会、中关村科技园区管理委员会,CN,MIT,US,mou\n"))
	ds := loadDS(t, Options{}, native, pairs)
	if _, ok := ds.Agreements["pair:bj-kw|us:mit|mou"]; !ok {
		t.Errorf("agreements %v, want the native body's with MIT", keys(ds.Agreements))
	}
}

// A sheet saved as an 8-bit CSV (Excel's "CSV (Comma delimited)" on Western
// Windows) writes ? for every character the code page lacks: 海淀 Science
// Park and 张江 Science Park both become "?? Science Park", Zürich "Z?rich".
// Each such name is an error at its cell that says how to save the file.
// Before, the two parks were one organisation. A question mark ending a
// word is a name's own.
func TestLostCharactersRefused(t *testing.T) {
	p := writeFile(t, "ansi.csv", []byte("party_a,country_a,party_b,country_b,type\n"+
		"?? Science Park,CN,MIT,US,mou\n"+ // 海淀 Science Park
		"?? Science Park,CN,KAIST,KR,mou\n"+ // 张江 Science Park
		"A Park,CN,Z?rich Tech,CH,mou\n"+ // Zürich
		"B Park,CN,?cole Centrale,FR,mou\n"+ // École
		"C Park,CN,Who? Labs,DE,mou\n"))
	_, ps := load(t, Options{}, p)
	for line, field := range map[int]string{2: "party_a", 3: "party_a", 4: "party_b", 5: "party_b"} {
		if !hasProblem(ps, "ansi.csv", want{line: line, field: field, inMsg: "CSV UTF-8", column: true}) {
			t.Errorf("line %d: no located refusal of the lost characters: %v", line, ps)
		}
	}
	if len(ps) != 4 {
		t.Errorf("%d problems, want 4 (Who? Labs is a name): %v", len(ps), ps)
	}
}

// The same in an event or a title, which identify agreements and events.
func TestLostCharactersInEventsAndTitles(t *testing.T) {
	p := writeFile(t, "ansi2.csv", []byte("party_a,country_a,party_b,country_b,type,event,title\n"+
		"A Park,CN,B Lab,DE,mou,IASP 2025 ????,\n"+ // IASP 2025 北京会议
		"A Park,CN,C Lab,DE,mou,,Z?rich MoU\n"+
		"A Park,CN,D Lab,DE,mou,Who? Forum,\n"+
		"A Park,CN,E Lab,DE,mou,,???\n")) // all lost: no letter, the sink's own problem
	_, ps := load(t, Options{}, p)
	if !hasProblem(ps, "ansi2.csv", want{line: 2, field: "event", inMsg: "CSV UTF-8", column: true}) ||
		!hasProblem(ps, "ansi2.csv", want{line: 3, field: "title", inMsg: "CSV UTF-8", column: true}) {
		t.Errorf("problems %v, want lines 2 (event) and 3 (title) refused", ps)
	}
	for _, p := range ps {
		if p.Line == 4 {
			t.Errorf("Who? Forum refused: %v", p)
		}
	}
}

// Excel for Mac's "CSV (Macintosh)" ends lines in a lone CR and writes Mac
// Roman. Its accented names are read as written. Before, the charset
// detector, which does not know Mac Roman, chose windows-1252, and Société
// Générale loaded as "SociŽtŽ GŽnŽrale" (exit 0). A Chinese file with CR
// line ends (Mac Chinese) stays Chinese.
func TestMacRomanCSV(t *testing.T) {
	text := "party_a,country_a,party_b,country_b,type\rUniversité de Lyon,FR,Technische Universität München,DE,mou\rZürich Park,CH,Société Générale,FR,mou\r"
	b, err := charmap.Macintosh.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("é")) || !bytes.Contains(b, []byte{0x8E}) { // é is 8E in Mac Roman (Apple's table)
		t.Fatal("not Mac Roman")
	}
	ds := loadDS(t, Options{}, writeFile(t, "mac.csv", b))
	var got []string
	for _, o := range ds.Organizations {
		got = append(got, o.Name)
	}
	slices.Sort(got)
	if w := []string{"Société Générale", "Technische Universität München", "Université de Lyon", "Zürich Park"}; !slices.Equal(got, w) {
		t.Errorf("names %q, want %q", got, w)
	}
	cn, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("party_a,country_a,party_b,country_b,type\r海淀区,CN,KAIST,KR,mou\r张江科学城,CN,MIT,US,mou\r"))
	if err != nil {
		t.Fatal(err)
	}
	ds = loadDS(t, Options{}, writeFile(t, "mac_cn.csv", cn))
	if _, ok := ds.Organizations["cn:张江科学城"]; !ok {
		t.Errorf("organisations %v, want cn:张江科学城", keys(ds.Organizations))
	}
}

// workbook is a workbook of the named sheets, in that order, each filled
// from A1 with its rows; the caller adds merges, formulas or hidden parts
// and saves it with saveXLSX.
func workbook(t *testing.T, sheets []string, rows map[string][][]any) *excelize.File {
	t.Helper()
	f := excelize.NewFile()
	t.Cleanup(func() { _ = f.Close() })
	for i, sheet := range sheets {
		var err error
		switch {
		case i > 0:
			_, err = f.NewSheet(sheet)
		case sheet != "Sheet1":
			err = f.SetSheetName("Sheet1", sheet)
		}
		if err != nil {
			t.Fatal(err)
		}
		for j, r := range rows[sheet] {
			cell, _ := excelize.CoordinatesToCellName(1, j+1)
			if err := f.SetSheetRow(sheet, cell, &r); err != nil {
				t.Fatal(err)
			}
		}
	}
	return f
}

// saveXLSX writes f as name in a temporary directory and returns its path.
func saveXLSX(t *testing.T, f *excelize.File, name string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}
