package loader

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/width"

	"github.com/collabnet/collabnet/data"
)

// The spreadsheet mangler: clean tables go through what Excel, pandas, a
// Mac, a Chinese office and people do to them, alone and in random
// combinations, and each mangled input must give the same canonical graph
// as the clean one, or a load that fails with every problem located (file
// and line). A third outcome, a different graph or an unlocated error,
// fails the test. Adding a mangling is adding an entry to manglings.

// sheetDoc is a table on its way to bytes: its cells, the roles of its
// columns, and how it is to be written.
type sheetDoc struct {
	header []string
	rows   [][]string
	role   map[string]int // "id", "name", "country", ... -> column
	// How the file is written.
	lineEnd  string
	bom      bool
	enc      encoding.Encoding // nil: UTF-8
	xlsx     bool
	mergeCol int    // with xlsx: merge runs of equal values down this column (-1: none)
	sheets   []int  // with xlsx: the first row of each sheet after the first
	short    bool   // rows leave out their trailing empty fields
	title    string // a title row above the header (merged across it in xlsx)
	// hiddenCopy: with xlsx, a hidden sheet holds an edited copy of the rows
	// (last year's version), which must not be read.
	hiddenCopy bool
}

func (d *sheetDoc) clone() *sheetDoc {
	c := *d
	c.header = slices.Clone(d.header)
	c.rows = make([][]string, len(d.rows))
	for i, r := range d.rows {
		c.rows[i] = slices.Clone(r)
	}
	c.role = map[string]int{}
	for k, v := range d.role {
		c.role[k] = v
	}
	c.sheets = slices.Clone(d.sheets)
	return &c
}

// mangling changes a document; ok is false when it does not apply to it.
type mangling struct {
	name  string
	apply func(rng *rand.Rand, d *sheetDoc) (ok bool)
}

var manglings = []mangling{
	{"float IDs (pandas)", func(rng *rand.Rand, d *sheetDoc) bool {
		return eachCell(d, "id", func(v string) (string, bool) {
			if _, err := strconv.ParseUint(v, 10, 64); err != nil || v[0] == '0' || len(v) > 15 {
				return v, false
			}
			return v + ".0", true
		})
	}},
	{"full-width digits", func(rng *rand.Rand, d *sheetDoc) bool {
		return eachCell(d, "id", func(v string) (string, bool) {
			w := width.Widen.String(v)
			return w, w != v
		})
	}},
	{"CR line ends (CSV Macintosh)", func(rng *rand.Rand, d *sheetDoc) bool {
		if d.xlsx || d.enc == charmap.Windows1252 { // Windows never ends lines in a lone CR
			return false
		}
		d.lineEnd = "\r"
		return true
	}},
	{"CSV (Macintosh): Mac Roman and lone CR line ends (Excel for Mac)", func(rng *rand.Rand, d *sheetDoc) bool {
		if d.xlsx || d.bom || d.enc != nil || !encodable(d, charmap.Macintosh) || !nonASCII(d) {
			return false
		}
		d.lineEnd, d.enc = "\r", charmap.Macintosh
		return true
	}},
	{"CRLF line ends", func(rng *rand.Rand, d *sheetDoc) bool { d.lineEnd = "\r\n"; return !d.xlsx }},
	{"UTF-8 BOM", func(rng *rand.Rand, d *sheetDoc) bool { d.bom = true; return !d.xlsx && d.enc == nil }},
	{"GB18030 (Excel on Chinese Windows)", func(rng *rand.Rand, d *sheetDoc) bool {
		if d.xlsx || d.bom || !hasHan(d) {
			return false // a file without Chinese is the same bytes in GBK
		}
		d.enc = simplifiedchinese.GB18030
		return true
	}},
	{"windows-1252 (Excel on Western Windows)", func(rng *rand.Rand, d *sheetDoc) bool {
		if d.xlsx || d.bom || d.lineEnd == "\r" || !encodable(d, charmap.Windows1252) {
			return false
		}
		d.enc = charmap.Windows1252
		return true
	}},
	{"saved as an 8-bit CSV: ? for each character it lacks", func(rng *rand.Rand, d *sheetDoc) bool {
		if d.xlsx || d.bom || d.enc != nil || d.lineEnd == "\r" {
			return false
		}
		lost := false
		for _, r := range append([][]string{d.header}, d.rows...) {
			for i, c := range r {
				r[i] = strings.Map(func(x rune) rune {
					if _, ok := charmap.Windows1252.EncodeRune(x); !ok {
						lost = true
						return '?'
					}
					return x
				}, c)
			}
		}
		d.enc = charmap.Windows1252
		return lost
	}},
	{"xlsx, merged cells down the country column", func(rng *rand.Rand, d *sheetDoc) bool {
		c, ok := d.role["country"]
		if !ok || d.enc != nil || d.bom || d.lineEnd != "" {
			return false
		}
		// Merged cells span runs of equal values: sort rows by country first.
		slices.SortStableFunc(d.rows, func(a, b []string) int { return strings.Compare(a[c], b[c]) })
		d.xlsx, d.mergeCol = true, c
		return true
	}},
	{"xlsx, one sheet per part", func(rng *rand.Rand, d *sheetDoc) bool {
		if d.enc != nil || d.bom || d.lineEnd != "" || len(d.rows) < 3 {
			return false
		}
		d.xlsx = true
		d.sheets = []int{1 + rng.IntN(len(d.rows)-1)}
		return true
	}},
	{"shuffled rows", func(rng *rand.Rand, d *sheetDoc) bool {
		rng.Shuffle(len(d.rows), func(i, j int) { d.rows[i], d.rows[j] = d.rows[j], d.rows[i] })
		return true
	}},
	{"shuffled columns", func(rng *rand.Rand, d *sheetDoc) bool {
		perm := rng.Perm(len(d.header))
		move := func(r []string) []string {
			out := make([]string, len(r))
			for i, p := range perm {
				out[i] = r[p]
			}
			return out
		}
		d.header = move(d.header)
		for i := range d.rows {
			d.rows[i] = move(d.rows[i])
		}
		for k, c := range d.role {
			d.role[k] = slices.Index(perm, c)
		}
		d.mergeCol = -1
		return true
	}},
	{"trailing empty fields dropped", func(rng *rand.Rand, d *sheetDoc) bool {
		d.header = append(d.header, "comment")
		for i := range d.rows {
			d.rows[i] = append(d.rows[i], "")
		}
		d.short = true
		return !d.xlsx
	}},
	{"placeholder names", func(rng *rand.Rand, d *sheetDoc) bool {
		markers := []string{"N/A", "..", "？？", "无", "不详", "-", "***", "Unknown", "TBD", "待定", "不明", "(none)", "<unknown>"}
		c, ok := d.role["name"]
		if !ok || len(d.rows) == 0 {
			return false
		}
		d.rows[rng.IntN(len(d.rows))][c] = markers[rng.IntN(len(markers))]
		return true
	}},
	{"country spellings from the alias tables", func(rng *rand.Rand, d *sheetDoc) bool {
		spell := map[string][]string{
			"CN": {"China", "中国", "中國", "People's Republic of China", "CHN", "Mainland China"},
			"DE": {"Germany", "德国", "DEU", "Federal Republic of Germany"},
			"FR": {"France", "法国", "FRA"},
			"HK": {"Hong Kong", "Hong Kong, China", "Hong Kong SAR, China", "中国香港", "香港特别行政区", "China, Hong Kong SAR"},
			"MO": {"Macao", "Macau, China", "Macao SAR, China", "中國澳門"},
			"TW": {"Taiwan", "Taiwan, China", "中国台湾", "Chinese Taipei"},
			"GB": {"United Kingdom", "UK", "England, United Kingdom", "Great Britain"},
			"GR": {"Greece", "EL", "GRC"},
			"US": {"United States", "USA", "United States of America"},
			"IT": {"Italy", "ITA", "意大利"},
			"ES": {"Spain", "ESP"},
			"NL": {"Netherlands", "The Netherlands", "Holland"},
		}
		changed := false
		for _, role := range []string{"country", "country_a", "country_b"} {
			c, ok := d.role[role]
			if !ok {
				continue
			}
			for _, r := range d.rows {
				if s := spell[strings.ToUpper(r[c])]; len(s) > 0 && rng.IntN(2) == 0 {
					r[c] = s[rng.IntN(len(s))]
					changed = true
				}
			}
		}
		return changed
	}},
	{"thousands separators in IDs (a number format saved as shown)", func(rng *rand.Rand, d *sheetDoc) bool {
		sep := []string{",", ".", " ", "\u00a0", "'"}[rng.IntN(5)]
		return eachCell(d, "id", func(v string) (string, bool) {
			if _, err := strconv.ParseUint(v, 10, 64); err != nil || v[0] == '0' || len(v) < 7 || len(v) > 15 {
				return v, false
			}
			var b strings.Builder
			for i := range v {
				if i > 0 && (len(v)-i)%3 == 0 {
					b.WriteString(sep)
				}
				b.WriteByte(v[i])
			}
			return b.String(), true
		})
	}},
	{"full-width digits in dates and numbers", func(rng *rand.Rand, d *sheetDoc) bool {
		a := eachCell(d, "date", func(v string) (string, bool) { w := width.Widen.String(v); return w, w != v })
		b := eachCell(d, "number", func(v string) (string, bool) { w := width.Widen.String(v); return w, w != v })
		return a || b
	}},
	{"a title row above the header", func(rng *rand.Rand, d *sheetDoc) bool {
		d.title = []string{"2025年对外合作协议一览表", "Partnerships 2025", "sep=,"}[rng.IntN(3)]
		return true
	}},
	{"xlsx, a hidden sheet with an edited copy", func(rng *rand.Rand, d *sheetDoc) bool {
		if d.enc != nil || d.bom || d.lineEnd != "" {
			return false
		}
		d.xlsx, d.hiddenCopy = true, true
		return true
	}},
	{"a spreadsheet error value in a name", func(rng *rand.Rand, d *sheetDoc) bool {
		c, ok := d.role["name"]
		if !ok || len(d.rows) == 0 {
			return false
		}
		d.rows[rng.IntN(len(d.rows))][c] = []string{"#REF!", "#VALUE!", "#NAME?", "Err:502", "#WERT!"}[rng.IntN(5)]
		return true
	}},
	{"invisible characters and spaces in names", func(rng *rand.Rand, d *sheetDoc) bool {
		return eachCell(d, "name", func(v string) (string, bool) {
			if v == "" || rng.IntN(3) > 0 {
				return v, false
			}
			return "\u00a0" + v + "\u200b ", true
		})
	}},
}

func eachCell(d *sheetDoc, role string, f func(string) (string, bool)) bool {
	c, ok := d.role[role]
	if !ok {
		return false
	}
	changed := false
	for _, r := range d.rows {
		if r[c] == "" {
			continue
		}
		if v, ok := f(r[c]); ok {
			r[c], changed = v, true
		}
	}
	return changed
}

func nonASCII(d *sheetDoc) bool {
	for _, r := range d.rows {
		for _, c := range r {
			if !isASCII(c) {
				return true
			}
		}
	}
	return false
}

func hasHan(d *sheetDoc) bool {
	for _, r := range d.rows {
		for _, c := range r {
			if strings.ContainsFunc(c, func(r rune) bool { return r >= 0x2E80 }) {
				return true
			}
		}
	}
	return false
}

func encodable(d *sheetDoc, e encoding.Encoding) bool {
	for _, r := range append([][]string{d.header}, d.rows...) {
		for _, c := range r {
			if _, err := e.NewEncoder().String(c); err != nil {
				return false
			}
		}
	}
	return true
}

// write writes the document as the file(s) it says, and returns their
// paths; none when its encoding cannot write a cell (a later mangling
// added a character it lacks).
func (d *sheetDoc) write(t *testing.T, dir, base string) []string {
	t.Helper()
	if d.xlsx {
		return []string{d.writeXLSX(t, dir, base)}
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if d.title != "" && d.title != "sep=," {
		// As Excel saves a title row: the title and empty fields.
		if err := w.Write(append([]string{d.title}, make([]string, len(d.header)-1)...)); err != nil {
			t.Fatal(err)
		}
	} else if d.title != "" {
		b.WriteString(d.title + "\n") // Excel's delimiter hint
	}
	for _, r := range append([][]string{d.header}, d.rows...) {
		if d.short {
			for len(r) > 1 && r[len(r)-1] == "" {
				r = r[:len(r)-1]
			}
		}
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	text := b.String()
	if d.lineEnd != "" {
		text = strings.ReplaceAll(text, "\n", d.lineEnd) // no cell of ours has a line break
	}
	out := []byte(text)
	if d.enc != nil {
		var err error
		if out, err = d.enc.NewEncoder().Bytes(out); err != nil {
			return nil
		}
	}
	if d.bom {
		out = append([]byte("\uFEFF"), out...)
	}
	p := filepath.Join(dir, base+".csv")
	if err := os.WriteFile(p, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return []string{p}
}

func (d *sheetDoc) writeXLSX(t *testing.T, dir, base string) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	starts := append([]int{0}, d.sheets...)
	for si, from := range starts {
		to := len(d.rows)
		if si+1 < len(starts) {
			to = starts[si+1]
		}
		name := fmt.Sprintf("Part%d", si+1)
		if si == 0 {
			f.SetSheetName("Sheet1", name)
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		rows := append([][]string{d.header}, d.rows[from:to]...)
		off := 0
		if d.title != "" {
			off = 1
			last, _ := excelize.ColumnNumberToName(len(d.header))
			if err := f.SetCellValue(name, "A1", d.title); err != nil {
				t.Fatal(err)
			}
			if err := f.MergeCell(name, "A1", last+"1"); err != nil {
				t.Fatal(err)
			}
		}
		for i, r := range rows {
			cells := make([]any, len(r))
			for j, c := range r {
				cells[j] = c
			}
			if err := f.SetSheetRow(name, fmt.Sprintf("A%d", i+1+off), &cells); err != nil {
				t.Fatal(err)
			}
		}
		if c := d.mergeCol; c >= 0 && si == 0 && len(d.sheets) == 0 {
			col, _ := excelize.ColumnNumberToName(c + 1)
			for i := 1; i < len(rows); {
				j := i
				for j+1 < len(rows) && rows[j+1][c] == rows[i][c] && rows[i][c] != "" {
					j++
				}
				if j > i {
					for k := i + 1; k <= j; k++ {
						f.SetCellValue(name, fmt.Sprintf("%s%d", col, k+1+off), nil)
					}
					if err := f.MergeCell(name, fmt.Sprintf("%s%d", col, i+1+off), fmt.Sprintf("%s%d", col, j+1+off)); err != nil {
						t.Fatal(err)
					}
				}
				i = j + 1
			}
		}
	}
	if d.hiddenCopy {
		// Last year's copy, edited: its names differ, so reading it would
		// change the graph. Hidden, it is not read.
		if _, err := f.NewSheet("Backup"); err != nil {
			t.Fatal(err)
		}
		for i, r := range append([][]string{d.header}, d.rows...) {
			cells := make([]any, len(r))
			for j, c := range r {
				cells[j] = c
				if c != "" && i > 0 && d.role["name"] == j {
					cells[j] = c + " (2024)"
				}
			}
			if err := f.SetSheetRow("Backup", fmt.Sprintf("A%d", i+1), &cells); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.SetSheetVisible("Backup", false); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(dir, base+".xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// outcome loads files: the canonical graph, or "" and the error.
func outcome(t *testing.T, opts Options, files []string) (string, error) {
	t.Helper()
	l, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	var ins []Input
	for _, f := range files {
		ins = append(ins, FileInput(f))
	}
	ds, _, err := l.Load(t.Context(), ins)
	if err != nil {
		return "", err
	}
	return canonical(t, ds), nil
}

// located reports whether every problem of a failed load names its file and
// line.
func located(err error) bool {
	var ps Problems
	if !errors.As(err, &ps) || len(ps) == 0 {
		return false
	}
	for _, p := range ps {
		if p.File == "" || p.Line == 0 {
			return false
		}
	}
	return true
}

// mangle runs trials of random combinations of manglings on a clean
// document, within a budget, and fails on any third outcome.
func mangle(t *testing.T, clean *sheetDoc, opts Options) {
	trials := 40
	budget := 20 * time.Second
	if testing.Short() {
		trials, budget = 12, 8*time.Second
	}
	if s := os.Getenv("COLLABNET_MANGLE_TRIALS"); s != "" {
		trials, _ = strconv.Atoi(s)
		budget = time.Hour
	}
	dir := t.TempDir()
	want, err := outcome(t, opts, clean.write(t, dir, "clean"))
	if err != nil {
		t.Fatalf("the clean input does not load: %v", err)
	}
	// Each mangling alone, then random combinations.
	same, refused := 0, 0
	defer func() { t.Logf("%d mangled inputs gave the same graph, %d a located refusal", same, refused) }()
	start := time.Now()
	seeds := rand.New(rand.NewPCG(20, uint64(len(clean.rows))))
	for trial := 0; trial < len(manglings)+trials && time.Since(start) < budget; trial++ {
		rng := rand.New(rand.NewPCG(seeds.Uint64(), uint64(trial)))
		d := clean.clone()
		var applied []string
		if trial < len(manglings) {
			if manglings[trial].apply(rng, d) {
				applied = append(applied, manglings[trial].name)
			}
		} else {
			for _, i := range rng.Perm(len(manglings))[:1+rng.IntN(4)] {
				if manglings[i].apply(rng, d) {
					applied = append(applied, manglings[i].name)
				}
			}
		}
		if len(applied) == 0 {
			continue
		}
		files := d.write(t, dir, fmt.Sprintf("m%d", trial))
		if files == nil {
			continue
		}
		got, err := outcome(t, opts, files)
		switch {
		case err != nil:
			refused++
			if os.Getenv("COLLABNET_MANGLE_VERBOSE") != "" {
				t.Logf("%s: refused: %.300v", strings.Join(applied, " + "), err)
			}
		case got == want:
			same++
		}
		switch {
		case err != nil && !located(err):
			t.Errorf("%s: an error that names no file and line: %v", strings.Join(applied, " + "), err)
		case err == nil && got != want:
			t.Errorf("%s: another graph than the clean input's:\n%s", strings.Join(applied, " + "), firstDiff(want, got))
		}
	}
}

// A pairs table with Chinese names, territories and accented names.
func TestMangleChinesePairs(t *testing.T) {
	d := &sheetDoc{header: []string{"party_a", "country_a", "party_b", "country_b", "type"}, mergeCol: -1,
		role: map[string]int{"name": 0, "country_a": 1, "country_b": 3}}
	for _, r := range [][]string{
		{"中关村科技园区", "CN", "Technopark Zürich", "CH"},
		{"中关村科技园区", "CN", "Kista Science City", "SE"},
		{"北京大学", "CN", "Université de Genève", "CH"},
		{"香港科技园", "HK", "Fraunhofer-Gesellschaft", "DE"},
		{"澳门大学", "MO", "Politecnico di Milano", "IT"},
		{"新竹科学园区", "TW", "Sophia Antipolis", "FR"},
		{"上海张江高科技园区", "CN", "Cambridge Science Park", "GB"},
		{"深圳湾科技生态园", "CN", "Research Triangle Park", "US"},
		{"北京大学", "CN", "Łódź University of Technology", "PL"},
		{"苏州工业园区", "CN", "Technopark Zürich", "CH"},
	} {
		d.rows = append(d.rows, append(r, "mou"))
	}
	mangle(t, d, Options{FoldAccents: true})
}

// A sample of H2020 participations (PICs, project numbers, CORDIS types).
func TestMangleH2020Sample(t *testing.T) {
	path := sharedDataset(t, "h2020/participations.csv.gz")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bufio.NewReader(zr))
	head, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	keep := []string{"rcn", "role", "pic", "type", "contribution", "country", "start_date"}
	d := &sheetDoc{header: keep, mergeCol: -1, role: map[string]int{"id": 2, "country": 5, "number": 4, "date": 6}}
	for len(d.rows) < 150 {
		rec, err := r.Read()
		if err != nil {
			t.Fatal(err)
		}
		var row []string
		for _, k := range keep {
			row = append(row, rec[slices.Index(head, k)])
		}
		d.rows = append(d.rows, row)
	}
	mangle(t, d, Options{FoldAccents: true})
}

// The curated dataset, as a participations table: one row per party of
// each agreement (its ID as the project, the organisation's ID, name and
// country).
func TestMangleCurated(t *testing.T) {
	ins, err := FSInputs(data.FS, "data/")
	if err != nil {
		t.Fatal(err)
	}
	l, _ := New(Options{FoldAccents: true})
	ds, _, err := l.Load(t.Context(), ins)
	if err != nil {
		t.Fatal(err)
	}
	d := &sheetDoc{header: []string{"project", "org", "name", "country"}, mergeCol: -1,
		role: map[string]int{"name": 2, "country": 3}}
	ids := slices.Sorted(func(yield func(string) bool) {
		for id := range ds.Agreements {
			if !yield(id) {
				return
			}
		}
	})
	for _, id := range ids {
		for _, p := range ds.Agreements[id].Parties {
			o := ds.Organizations[p.Org]
			d.rows = append(d.rows, []string{strings.ReplaceAll(id, ":", "-"), o.ID, o.Name, o.Country})
		}
	}
	mangle(t, d, Options{FoldAccents: true})
}
