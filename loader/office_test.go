package loader

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"
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
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range [][]any{
		{"project", "pic", "name", "country"},
		{"P1", "999640007", "Org A", "DE"},
		{"P1", "999640008", nil, "FR"},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetCellFormula("Sheet1", "C3", "1/0"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "div.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	_, ps := load(t, Options{}, path)
	if len(ps) != 1 || ps[0].Sheet != "Sheet1" || ps[0].Line != 3 || ps[0].Column != 3 {
		t.Errorf("problems %v, want one at div.xlsx:Sheet1!C3", ps)
	}
}
