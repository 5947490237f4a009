package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/collabnet/collabnet/export"
)

// injectionPairs is a pairs table whose names a spreadsheet program would
// evaluate as formulas, and Chinese names that need UTF-8.
const injectionPairs = "party_a,country_a,party_b,country_b,type\n" +
	"=1+2,CN,北京大学,CN,mou\n" +
	"\"+SUM(1,1)\",CN,@cmd,DE,mou\n" +
	"-2+3,FR,清华大学,CN,mou\n"

// formulaLike reports a cell Excel or LibreOffice would evaluate.
func formulaLike(c string) bool {
	if c == "" || !strings.ContainsRune("=+-@\t\r", rune(c[0])) {
		return false
	}
	return export.NeutralizeCell(c) != c // a plain number is left alone
}

func readCSVFile(t *testing.T, path string) (bool, [][]string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	bom := strings.HasPrefix(string(b), export.UTF8BOM)
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), export.UTF8BOM))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return bom, recs
}

// export --format csv --excel: a byte-order mark, no formula-like cell,
// the names still there (behind their quote).
func TestCSVExportForExcel(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "pairs.csv")
	if err := os.WriteFile(in, []byte(injectionPairs), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "full.csv")
	if _, err := run(t, dir, "export", "--level", "full", "-i", in, "--format", "csv", "--excel", "--out", out); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{out, filepath.Join(dir, "full-edges.csv")} {
		bom, recs := readCSVFile(t, f)
		if !bom {
			t.Errorf("%s has no UTF-8 byte-order mark", filepath.Base(f))
		}
		for _, r := range recs {
			for _, c := range r {
				if formulaLike(c) {
					t.Errorf("%s: cell %q would be evaluated as a formula", filepath.Base(f), c)
				}
			}
		}
	}
	_, recs := readCSVFile(t, out)
	all := ""
	for _, r := range recs {
		all += strings.Join(r, ",") + "\n"
	}
	for _, name := range []string{"'=1+2", "'+SUM(1,1)", "'@cmd", "'-2+3", "北京大学", "清华大学"} {
		if !strings.Contains(all, name) {
			t.Errorf("the nodes file does not have %q", name)
		}
	}
	// Without --excel, no mark; list --format csv neutralises too.
	if _, err := run(t, dir, "export", "--level", "full", "-i", in, "--format", "csv", "--out", out); err != nil {
		t.Fatal(err)
	}
	if bom, _ := readCSVFile(t, out); bom {
		t.Error("a byte-order mark without --excel")
	}
	got, err := run(t, dir, "list", "organizations", "-i", in, "--format", "csv", "--excel")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got, export.UTF8BOM) {
		t.Error("list --excel: no byte-order mark")
	}
	recs, err = csv.NewReader(strings.NewReader(strings.TrimPrefix(got, export.UTF8BOM))).ReadAll()
	if err != nil {
		t.Fatalf("list --format csv: %v\n%s", err, got)
	}
	for _, r := range recs {
		for _, c := range r {
			if formulaLike(c) {
				t.Errorf("list: cell %q would be evaluated as a formula", c)
			}
		}
	}
}
