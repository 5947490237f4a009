package loader

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/collabnet/collabnet/internal/hostile"
)

// small are limits small enough to reach with small inputs.
var small = Limits{InputBytes: 1 << 20, YAMLBytes: 64 << 10, CellBytes: 100, Columns: 8, Rows: 5, XLSXCells: 200, Ratio: 100}

func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func loadBytes(t *testing.T, lim Limits, name string, b []byte) (Problems, error) {
	t.Helper()
	l, err := New(Options{Limits: lim})
	if err != nil {
		t.Fatal(err)
	}
	ds, _, err := l.Load(t.Context(), []Input{bytesInput(name, b)})
	if err == nil {
		return nil, nil
	}
	if ds != nil {
		t.Errorf("a refused input returned a dataset")
	}
	var ps Problems
	if errors.As(err, &ps) {
		return ps, nil
	}
	return nil, err
}

func TestLimits(t *testing.T) {
	head := "project,org,name,country\n"
	long := strings.Repeat("x", 101)
	wide := head + "1,a,A,DE" + strings.Repeat(",", 8) + "\n"
	var rows strings.Builder
	rows.WriteString(head)
	for i := range 6 {
		rows.WriteString("1,o" + string(rune('a'+i)) + ",N,DE\n")
	}
	xrows := func(n, lastCol int) string {
		var b strings.Builder
		for r := 1; r <= n; r++ {
			fmt.Fprintf(&b, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c><c r="%s%d"><v>1</v></c></row>`, r, r, columnLetters(lastCol), r)
		}
		return b.String()
	}
	bytesLim := Limits{InputBytes: 1 << 20}
	cases := []struct {
		name string
		file string
		b    []byte
		lim  *Limits // other than small
		want Problem // File, Sheet, Line, Column, Field and a part of Msg
	}{
		{"cell", "f.csv", []byte(head + "1,a," + long + ",DE\n"), nil, Problem{Line: 2, Column: 3, Field: "name", Msg: "a cell longer than 100 bytes (--max-cell-bytes"}},
		{"quoted cell with line ends", "f.csv", []byte(head + "1,a,\"" + strings.Repeat("x\n", 60) + "\",DE\n"), nil, Problem{Line: 52, Column: 3, Field: "name", Msg: "a cell longer than 100 bytes"}},
		{"cell in gzip", "f.csv.gz", gz(t, []byte(head+"1,a,"+long+",DE\n")), nil, Problem{Line: 2, Column: 3, Field: "name", Msg: "a cell longer than 100 bytes"}},
		{"header cell", "f.csv", []byte("project,org," + long + "\n"), nil, Problem{Line: 1, Column: 3, Msg: "a cell longer than 100 bytes"}},
		{"columns", "f.csv", []byte(wide), nil, Problem{Line: 2, Column: 9, Msg: "more than 8 columns in this row (--max-columns"}},
		{"rows", "f.csv", []byte(rows.String()), nil, Problem{Line: 7, Msg: "more than 5 data rows (--max-rows"}},
		{"bytes", "f.csv", []byte(head + strings.Repeat("1,a,A,DE\n", 120_000)), &bytesLim, Problem{Line: 116507, Msg: "the file holds more than 1 MiB (--max-input-bytes"}},
		{"gzip bytes", "f.csv.gz", gz(t, []byte(head+strings.Repeat("1,a,A,DE\n", 120_000))), &bytesLim, Problem{Line: 116507, Msg: "the gzip holds more than 1 MiB (--max-input-bytes"}},
		{"yaml bytes", "f.yaml", []byte("sources:\n" + strings.Repeat("  - {id: s, title: t}\n", 4000)), nil, Problem{Msg: "holds more YAML than 64 KiB (--max-yaml-bytes raises the limit); a YAML file is parsed whole"}},
		{"yaml value", "f.yaml", []byte("sources:\n  - id: s\n    title: " + long + "\n"), nil, Problem{Line: 3, Column: 12, Msg: "a value longer than 100 bytes (--max-cell-bytes"}},
		{"yaml key", "f.yaml", []byte("sources:\n  - id: s\n    " + long + ": t\n"), nil, Problem{Line: 3, Column: 5, Msg: "a value longer than 100 bytes"}},
		{"xlsx dimension", "f.xlsx", xlsxWith(t, "A1:J3", xrows(3, 2)), nil, Problem{Sheet: "Sheet1", Line: 3, Column: 10, Msg: "the declared dimension A1:J3 ends in column J, beyond the limit of 8 columns (--max-columns"}},
		{"xlsx dimension rows", "f.xlsx", xlsxWith(t, "A1:B7", xrows(3, 2)), nil, Problem{Sheet: "Sheet1", Line: 7, Msg: "the declared dimension A1:B7 ends in row 7, beyond the limit of 5 data rows (--max-rows"}},
		{"xlsx cell column", "f.xlsx", xlsxWith(t, "", xrows(3, 10)), nil, Problem{Sheet: "Sheet1", Line: 1, Column: 10, Msg: "a cell in column J, beyond the limit of 8 columns"}},
		{"xlsx rows", "f.xlsx", xlsxWith(t, "A1:B2", xrows(9, 2)), nil, Problem{Sheet: "Sheet1", Line: 7, Msg: "a row in row 7, beyond the limit of 5 data rows"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lim := small
			if c.lim != nil {
				lim = *c.lim
			}
			ps, err := loadBytes(t, lim, c.file, c.b)
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != 1 {
				t.Fatalf("want one problem, got %v", ps)
			}
			p, w := ps[0], c.want
			if p.File != c.file || p.Sheet != w.Sheet || p.Line != w.Line || p.Column != w.Column || p.Field != w.Field || !strings.Contains(p.Msg, w.Msg) {
				t.Errorf("got  %+v\nwant %+v", p, w)
			}
			// Under the defaults, the same input is not refused for a limit.
			ps, err = loadBytes(t, Limits{}, c.file, c.b)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				if strings.Contains(p.Msg, "raises the limit") {
					t.Errorf("refused under the default limits: %v", p)
				}
			}
		})
	}
}

// Markup runs: one long value in a worksheet, inline or shared, is refused
// before the XML decoder holds it; and so is a part that inflates too much
// or a worksheet of too many cells.
func TestXLSXLimits(t *testing.T) {
	inline := strings.Repeat("y", 5000)
	lim := small
	lim.CellBytes = 1000
	// A long header name: the header's cells are inline strings.
	f := xlsxWith(t, "", `<row r="1"><c r="A1" t="inlineStr"><is><t>`+inline+`</t></is></c></row>`)
	ps, err := loadBytes(t, lim, "f.xlsx", f)
	if err != nil || len(ps) != 1 || ps[0].Sheet != "Sheet1" || ps[0].Line != 1 || ps[0].Column != 1 || !strings.Contains(ps[0].Msg, "holds a cell longer than 1000 bytes") {
		t.Errorf("long inline string: %v %v", ps, err)
	}
	// Cells: 3 rows as wide as column H (8) each, 24 > 20.
	lim.XLSXCells = 20
	f = xlsxWith(t, "", `<row r="1"><c r="H1"><v>1</v></c></row><row r="2"><c r="H2"><v>1</v></c></row><row r="3"><c r="H3"><v>1</v></c></row>`)
	ps, err = loadBytes(t, lim, "f.xlsx", f)
	if err != nil || len(ps) != 1 || ps[0].Line != 3 || !strings.Contains(ps[0].Msg, "more than 20 cells, counting each row as wide as its last cell (--max-xlsx-cells") {
		t.Errorf("cells: %v %v", ps, err)
	}
	// A part that inflates: 8 MiB of empty elements.
	lim = Limits{}
	f = xlsxWith(t, "", strings.Repeat("<x/>", 2<<20))
	ps, err = loadBytes(t, lim, "f.xlsx", f)
	if err != nil || len(ps) != 1 || !strings.Contains(ps[0].Msg, "the part xl/worksheets/sheet1.xml inflates more than 100 times") {
		t.Errorf("ratio: %v %v", ps, err)
	}
}

// xlsxWith is a workbook whose one worksheet declares dim ("" for none) and
// whose sheetData is rows.
func xlsxWith(t *testing.T, dim, rows string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := hostile.WideXLSX(&b, 0, dim); err != nil {
		t.Fatal(err)
	}
	// Rewrite the worksheet: WideXLSX's header row is replaced by rows.
	return rezip(t, b.Bytes(), "xl/worksheets/sheet1.xml", func(s string) string {
		i, j := strings.Index(s, "<sheetData>"), strings.Index(s, "</sheetData>")
		return s[:i+len("<sheetData>")] + rows + s[j:]
	})
}

// A gzip that inflates more than the ratio, past RatioFloor, is refused;
// one below it is read.
func TestRatio(t *testing.T) {
	row := "1,a," + strings.Repeat("x", 1000) + ",DE\n"
	bomb := gz(t, []byte("project,org,name,country\n"+strings.Repeat(row, 8<<10))) // 8 MiB in about 30 KB
	ps, err := loadBytes(t, Limits{}, "f.csv.gz", bomb)
	if err != nil || len(ps) != 1 || !strings.Contains(ps[0].Msg, "the gzip inflates more than 100 times") {
		t.Errorf("%v %v", ps, err)
	}
	ps, err = loadBytes(t, Limits{Ratio: 10000}, "f.csv.gz", bomb)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if strings.Contains(p.Msg, "inflates") {
			t.Errorf("refused with --max-ratio 10000: %v", p)
		}
	}
}

// A load whose context is cancelled while a file is read stops there and
// returns the context's error, not problems.
func TestLoadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	var b bytes.Buffer
	if err := hostile.RowsBomb(&b, 10_000_000); err != nil {
		t.Fatal(err)
	}
	in := Input{Name: "rows.csv.gz", Open: func() (io.ReadCloser, error) {
		return io.NopCloser(&cancelAfter{r: bytes.NewReader(b.Bytes()), n: 64 << 10, cancel: cancel}), nil
	}}
	l, err := New(Options{Limits: Limits{Ratio: 1 << 40, Rows: 1 << 40}})
	if err != nil {
		t.Fatal(err)
	}
	ds, _, err := l.Load(ctx, []Input{in})
	if !errors.Is(err, context.Canceled) || ds != nil {
		t.Fatalf("got %v, %v; want context.Canceled", ds != nil, err)
	}
}

// cancelAfter cancels after n bytes are read through it.
type cancelAfter struct {
	r      io.Reader
	n      int
	cancel func()
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.n -= n; c.n <= 0 {
		c.cancel()
	}
	return n, err
}

func TestParseSize(t *testing.T) {
	for s, want := range map[string]int64{"": 0, "1024": 1024, "64KiB": 64 << 10, "2 GiB": 2 << 30, "1GB": 1e9, "5mb": 5e6, "10b": 10, "3k": 3 << 10} {
		if got, err := ParseSize(s); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"lots", "-1", "1.5GiB", "99999999999GiB"} {
		if _, err := ParseSize(s); err == nil {
			t.Errorf("ParseSize(%q) gave no error", s)
		}
	}
	if _, err := New(Options{Limits: Limits{Rows: -1}}); err == nil || !strings.Contains(err.Error(), "--max-rows") {
		t.Errorf("a negative limit: %v", err)
	}
}

// rezip rewrites one part of a zip archive with edit.
func rezip(t *testing.T, b []byte, part string, edit func(string) string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == part {
			body = []byte(edit(string(body)))
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// A worksheet part that inflates far more than the ratio is refused after
// its first MiBs, as a gzip is: the ratio is of the compressed bytes read
// so far. Before, it was of the part's whole compressed size, so a part of
// 60 MB inflating 300 times was read for 100 times that (20 MB, some
// 200,000 rows) first, and a 1.7 MB workbook of such rows for 2 million
// rows and 6 s.
func TestXLSXRatioRefusedEarly(t *testing.T) {
	const rows = 600_000
	row := `<row><c t="inlineStr"><is><t>x</t></is></c><c t="inlineStr"><is><t>y</t></is></c></row>`
	data := `<row><c t="inlineStr"><is><t>party_a</t></is></c><c t="inlineStr"><is><t>party_b</t></is></c></row>` + strings.Repeat(row, rows)
	b := xlsxWith(t, "", data)
	if len(data)/len(b) < 150 {
		t.Fatalf("the workbook inflates %d times; want well over 100", len(data)/len(b))
	}
	ps, err := loadBytes(t, Limits{Rows: 10 * rows}, "rows.xlsx", b)
	if err != nil || len(ps) != 1 || !strings.Contains(ps[0].Msg, "inflates more than 100 times") {
		t.Fatalf("want one refusal as a compression bomb, got %v %v", ps, err)
	}
	// RatioFloor (4 MiB) of rows of len(row) bytes, with room for the
	// inflater's read-ahead: far below the whole-part bound.
	if limit := 2 * RatioFloor / len(row); ps[0].Line > limit {
		t.Errorf("refused at row %d; want by row %d (4 MiB in)", ps[0].Line, limit)
	}
}
