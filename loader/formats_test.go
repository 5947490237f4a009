package loader

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/collabnet/collabnet/graph"
)

// CORDIS's organization.csv as downloaded (after its data dictionary:
// semicolons, quoted fields with ; and line breaks inside, EU country
// codes) loads as a participations table with no configuration.
func TestCORDISOrganizationCSV(t *testing.T) {
	rep, ps := load(t, Options{}, "good/cordis_organization.csv")
	if ps != nil {
		t.Fatal(ps)
	}
	if fr := rep.Files[0]; fr.Format != FormatParticipations || fr.Rows != 4 {
		t.Errorf("read as %q with %d rows, want participations with 4", fr.Format, fr.Rows)
	}
	ds := loadDS(t, Options{}, "good/cordis_organization.csv")
	want := map[string][2]string{
		"999000001": {"Example University A; Faculty of Examples", "GR"},
		"999000002": {"Example Research Institute B", "GB"},
		"999000003": {`Example Company C "Testing"`, "DE"},
	}
	for id, w := range want {
		o := ds.Organizations[id]
		if o == nil || o.Name != w[0] || o.Country != w[1] {
			t.Errorf("organisation %s = %+v, want %q in %s", id, o, w[0], w[1])
		}
	}
	if o := ds.Organizations["999000001"]; o != nil && o.Kind != graph.KindUniversity {
		t.Errorf("HES read as %s", o.Kind)
	}
	a := ds.Agreements["project:900000001"]
	if a == nil || len(a.Parties) != 2 {
		t.Fatalf("project 900000001 = %+v, want two parties", a)
	}
	for _, p := range a.Parties {
		if p.Org == "999000001" && (p.Role != "coordinator" || p.Contribution != 250000.5) {
			t.Errorf("coordinator party = %+v", p)
		}
	}
	if len(ds.Agreements) != 2 {
		t.Errorf("%d agreements, want 2", len(ds.Agreements))
	}
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Excel's "Unicode text" is UTF-16 LE with a BOM, tab-separated; a Big5
// file is traditional Chinese from Taiwan or Hong Kong. Both load with the
// right names, detected.
func TestEncodingsDetected(t *testing.T) {
	text := "party_a\tcountry_a\tparty_b\tcountry_b\ttype\r\n國立臺灣大學\t臺灣\t中關村軟件園\t中國\tmou\r\n新竹科學園區\tTW\tPark B\tFR\tmou\r\n"
	u16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	big5, err := traditionalchinese.Big5.NewEncoder().String(strings.ReplaceAll(text, "\t", ","))
	if err != nil {
		t.Fatal(err)
	}
	u16be, err := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"unicode.txt": u16, "big5.csv": big5, "utf16be.txt": u16be} {
		ds := loadDS(t, Options{}, writeFile(t, name, []byte(data)))
		for n, c := range map[string]string{"國立臺灣大學": "TW", "中關村軟件園": "CN", "新竹科學園區": "TW", "Park B": "FR"} {
			if os := orgsNamed(ds, n); len(os) != 1 || os[0].Country != c {
				t.Errorf("%s: %q: %v, want one in %s", name, n, os, c)
			}
		}
	}
	// The old test file, UTF-16 with a BOM, comma-separated.
	ds := loadDS(t, Options{}, "good/utf16.csv")
	if len(orgsNamed(ds, "Berlin")) != 1 || len(orgsNamed(ds, "Paris")) != 1 {
		t.Errorf("utf16.csv: %v", keys(ds.Organizations))
	}
}

// The delimiter is sniffed from the header; --delimiter overrides it.
func TestDelimiters(t *testing.T) {
	for _, d := range []string{",", ";", "\t", "|"} {
		text := strings.ReplaceAll("city1,country1,city2,country2\nBerlin,DE,\"Paris, Ville\",FR\n", ",", d)
		if d != "," {
			text = strings.ReplaceAll(text, "Paris"+d+" Ville", "Paris, Ville")
		}
		ds := loadDS(t, Options{}, writeFile(t, "t.csv", []byte(text)))
		if len(orgsNamed(ds, "Paris, Ville")) != 1 || len(ds.Agreements) != 1 {
			t.Errorf("delimiter %q: %v", d, keys(ds.Organizations))
		}
	}
	// A header with no delimiter at all, told: one semicolon table.
	p := writeFile(t, "t.txt", []byte("city1;country1;city2;country2\nBerlin;DE;Paris;FR\n"))
	if ds := loadDS(t, Options{Delimiter: ";"}, p); len(ds.Agreements) != 1 {
		t.Error("--delimiter ; not used")
	}
	if _, err := New(Options{Delimiter: ";;"}); err == nil {
		t.Error("a two-character delimiter accepted")
	}
}

// A workbook is read from its first sheet or the one named; dates stored
// as Excel dates come out as ISO dates, and problems name sheet and cell.
func TestXLSX(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{"party_a", "country_a", "party_b", "country_b", "type", "date"},
		{"Org A", "DE", "Park B", "FR", "mou", 43586.0},
		{"", ""}, // an empty row is no row
		{"Org\u00a0A", "Germany", "Park C", "Atlantis", "mou", "2020"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14}) // m/d/yyyy
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle("Sheet1", "F2", "F2", dateStyle); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("Good"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetRow("Good", "A1", &[]any{"city1", "country1", "city2", "country2"}); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetRow("Good", "A2", &[]any{"Berlin", "DE", "Paris", "FR"}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "book.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	_, ps := load(t, Options{}, path)
	if len(ps) != 1 || !strings.HasPrefix(ps[0].String(), path+":Sheet1!D4: country_b \"Atlantis\": unknown country") {
		t.Errorf("problems %v, want one at %s:Sheet1!D4", ps, path)
	}
	ds := loadDS(t, Options{SkipInvalid: true}, path)
	if len(ds.Agreements) != 1 {
		t.Fatalf("%d agreements, want 1", len(ds.Agreements))
	}
	for _, a := range ds.Agreements {
		if a.Date != "2019-05-01" {
			t.Errorf("the Excel date cell 43586 came out as %q, want 2019-05-01", a.Date)
		}
	}
	ds = loadDS(t, Options{Sheet: "Good"}, path)
	if len(orgsNamed(ds, "Berlin")) != 1 || ds.Organizations["de:berlin"].Kind != graph.KindCity {
		t.Errorf("sheet Good: %v", keys(ds.Organizations))
	}
	l, _ := New(Options{Sheet: "Nope"})
	if _, _, err := l.Load(t.Context(), []Input{FileInput(path)}); err == nil || !strings.Contains(err.Error(), "Sheet1, Good") {
		t.Errorf("a missing sheet: %v, want the sheets listed", err)
	}
}

// UTF-16 saved without a byte-order mark (every other byte NUL in ASCII
// text) is read, LE or BE, with a note that says how it was read; a file
// whose NULs do not follow that pattern is refused with the --encoding to
// use, not a header of \x00s.
func TestUTF16WithoutBOM(t *testing.T) {
	text := "party_a,country_a,party_b,country_b,type\r\nKöln,DE,北京,CN,MoU\r\nParis,FR,Berlin,DE,mou\r\n"
	for name, order := range map[string]unicode.Endianness{"utf-16le": unicode.LittleEndian, "utf-16be": unicode.BigEndian} {
		b, err := unicode.UTF16(order, unicode.IgnoreBOM).NewEncoder().String(text)
		if err != nil {
			t.Fatal(err)
		}
		l, _ := New(Options{})
		ds, rep, err := l.Load(t.Context(), []Input{FileInput(writeFile(t, name+".csv", []byte(b)))})
		if err != nil {
			t.Fatalf("%s without a BOM: %v", name, err)
		}
		for n, c := range map[string]string{"Köln": "DE", "北京": "CN", "Paris": "FR", "Berlin": "DE"} {
			if os := orgsNamed(ds, n); len(os) != 1 || os[0].Country != c {
				t.Errorf("%s: %q: %v, want one in %s", name, n, os, c)
			}
		}
		if ws := rep.Files[0].Warnings; len(ws) != 1 || !strings.Contains(ws[0].Msg, "--encoding "+name) {
			t.Errorf("%s: warnings %v, want one note naming --encoding %s", name, ws, name)
		}
	}
	// NULs on both sides: not clearly UTF-16; the error names the likely one.
	le := func(s string) string {
		b, _ := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().String(s)
		return b
	}
	bad := le("party_a,country_a,party_b,") + "\x00" + le("country_b\nx,y\n")
	_, ps := load(t, Options{}, writeFile(t, "nul.csv", []byte(bad)))
	if len(ps) != 1 || ps[0].Line != 1 || !strings.Contains(ps[0].Msg, "UTF-16LE without a byte-order mark: use --encoding utf-16le") || strings.ContainsRune(ps[0].String(), 0) {
		t.Errorf("problems %q, want one at the header saying to use --encoding utf-16le, without NULs", ps)
	}
}
