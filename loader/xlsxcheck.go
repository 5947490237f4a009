package loader

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// readXLSX reads a workbook's bytes and checks them against the limits
// before the spreadsheet library sees them: the library unzips every part
// into memory and makes every worksheet row as wide as its last cell, so a
// small file with one cell in column XFD, or a part that inflates a
// thousandfold, would take gigabytes. Every part is unzipped once,
// streaming: the parts together at most Limits.InputBytes, each at most
// Limits.Ratio times its compressed size; every run of text or markup at
// most Limits.CellBytes (4 KiB more for markup); in each worksheet, the
// declared dimension, the columns and rows of its cells and merged ranges,
// and its cells counted row by row as wide as their last cell, within
// Limits.Columns, Limits.Rows and Limits.XLSXCells.
func readXLSX(ctx context.Context, in Input, lim Limits) ([]byte, error) {
	g, c, err := openGuarded(ctx, in, lim, lim.InputBytes, "--max-input-bytes")
	if err != nil {
		return nil, err
	}
	defer func() { _ = c.Close() }() // closing what was only read: nothing to lose
	if g.raw != nil {
		return nil, errors.New("a gzip-compressed workbook: unzip it first (an .xlsx is compressed already)")
	}
	g.what = "the workbook"
	b, err := io.ReadAll(g)
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("reading the workbook: %w", err)
	}
	x := &xlsxCheck{ctx: ctx, file: in.Name, lim: lim, room: lim.InputBytes}
	sheets := x.sheetNames(zr)
	for _, f := range zr.File {
		name := f.Name
		var scan func(io.Reader) error
		switch {
		case strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml"):
			sheet := sheets[name]
			if sheet == "" {
				sheet = name
			}
			scan = func(r io.Reader) error { return x.worksheet(r, sheet) }
		default:
			scan = func(r io.Reader) error { _, err := io.Copy(io.Discard, r); return err }
		}
		if err := x.part(f, scan); err != nil {
			return nil, err
		}
	}
	return b, nil
}

type xlsxCheck struct {
	ctx  context.Context
	file string
	lim  Limits
	room int64 // bytes the parts not read yet may unzip to
}

func (x *xlsxCheck) fail(sheet string, row, col int, msg string) error {
	return &limitError{Problem{File: x.file, Sheet: sheet, Line: row, Column: col, Msg: msg}}
}

// part unzips one part through the guards and scan.
func (x *xlsxCheck) part(f *zip.File, scan func(io.Reader) error) error {
	what := "the part " + f.Name
	if f.UncompressedSize64 > uint64(x.room) {
		return x.fail("", 0, 0, fmt.Sprintf("%s declares %s unzipped, more than the %s the workbook may hold (--max-input-bytes raises the limit)",
			what, FormatSize(int64(min(f.UncompressedSize64, 1<<62))), FormatSize(x.lim.InputBytes)))
	}
	var rc io.ReadCloser
	var raw *counter
	if f.Method == zip.Deflate {
		// Inflated here from the raw bytes, which are counted, so that
		// the ratio is of the compressed bytes read so far, as for a gzip:
		// a part that inflates 300 times is refused after its first MiBs,
		// not once it has given 100 times its whole compressed size (177
		// MB and 2 million rows of a 1.7 MB workbook). This pass only
		// checks: the spreadsheet library reads the part again, checksum
		// and all.
		r, err := f.OpenRaw()
		if err != nil {
			return fmt.Errorf("reading the workbook's part %s: %w", f.Name, err)
		}
		raw = &counter{r: r}
		rc = flate.NewReader(raw)
	} else {
		var err error
		if rc, err = f.Open(); err != nil {
			return fmt.Errorf("reading the workbook's part %s: %w", f.Name, err)
		}
		if f.Method != zip.Store {
			// The compressed size bounds what archive/zip reads of it.
			raw = &counter{n: int64(f.CompressedSize64)}
		}
	}
	defer func() { _ = rc.Close() }() // closing what was only read: nothing to lose
	g := &inputGuard{ctx: x.ctx, r: rc, file: x.file, what: what, raw: raw,
		max: x.room, flag: "--max-input-bytes", ratio: x.lim.Ratio}
	err := scan(&markupGuard{r: g, max: x.lim.CellBytes, what: what, file: x.file})
	x.room -= g.n
	if g.err != nil {
		return g.err // the guard's, not the scanner's rewording of it
	}
	var le *limitError
	if errors.As(err, &le) && le.p.Line == 0 && strings.HasPrefix(f.Name, "xl/sharedStrings") {
		le.p.Msg = strings.Replace(le.p.Msg, "a text (a cell's value, or a shared string)", "a shared string (the text of cells)", 1)
	}
	if err != nil {
		var le *limitError
		if errors.As(err, &le) || errors.Is(err, x.ctx.Err()) {
			return err
		}
		return fmt.Errorf("reading the workbook's part %s: %w", f.Name, err)
	}
	return nil
}

// sheetNames maps worksheet parts to their sheet names, from the workbook
// and its relationships; a part it cannot map is named by its path.
func (x *xlsxCheck) sheetNames(zr *zip.Reader) map[string]string {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	read := func(name string, v any) {
		for _, f := range zr.File {
			if f.Name != name || f.UncompressedSize64 > 16<<20 {
				continue
			}
			if rc, err := f.Open(); err == nil {
				_ = xml.NewDecoder(io.LimitReader(rc, 16<<20)).Decode(v)
				_ = rc.Close() // closing what was only read
			}
		}
	}
	read("xl/workbook.xml", &wb)
	read("xl/_rels/workbook.xml.rels", &rels)
	out := map[string]string{}
	for _, s := range wb.Sheets {
		for _, r := range rels.Rels {
			if r.ID == s.RID {
				t := strings.TrimPrefix(r.Target, "/")
				if !strings.HasPrefix(t, "xl/") {
					t = path.Join("xl", t)
				}
				out[t] = s.Name
			}
		}
	}
	return out
}

// worksheet scans a worksheet's XML for its declared dimension, cells and
// merged ranges.
func (x *xlsxCheck) worksheet(r io.Reader, sheet string) error {
	lim := x.lim
	d := xml.NewDecoder(r)
	row, col, rowWidth := 0, 0, 0
	var cells int64
	attr := func(e xml.StartElement, name string) string {
		for _, a := range e.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	checkCell := func(c, r int, what string) error {
		if c > lim.Columns {
			return x.fail(sheet, r, c, fmt.Sprintf("%s in column %s, beyond the limit of %d columns (--max-columns raises the limit)", what, columnLetters(c), lim.Columns))
		}
		if r > lim.Rows+1 { // the header and the data rows
			return x.fail(sheet, r, 0, fmt.Sprintf("%s in row %d, beyond the limit of %d data rows (--max-rows raises the limit)", what, r, lim.Rows))
		}
		return nil
	}
	addCells := func(n int64) error {
		if cells += n; cells > lim.XLSXCells {
			return x.fail(sheet, row, 0, fmt.Sprintf("more than %d cells, counting each row as wide as its last cell (--max-xlsx-cells raises the limit)", lim.XLSXCells))
		}
		return nil
	}
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		var le *limitError
		if errors.As(err, &le) && le.p.Line == 0 && row > 0 {
			// A value too long: the cell being read.
			le.p.Sheet, le.p.Line, le.p.Column = sheet, row, col
			le.p.Msg = strings.Replace(le.p.Msg, "holds a text (a cell's value, or a shared string)", "holds a cell", 1)
		}
		if err != nil {
			return err
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "dimension":
				ref := attr(e, "ref")
				_, last, _ := strings.Cut(ref, ":")
				if last == "" {
					last = ref
				}
				c, r, err := excelize.CellNameToCoordinates(last)
				if err != nil {
					continue // a damaged dimension: the cells are checked one by one
				}
				if err := checkCell(c, r, "the declared dimension "+ref+" ends"); err != nil {
					return err
				}
				if int64(c)*int64(r) > lim.XLSXCells {
					return x.fail(sheet, 0, 0, fmt.Sprintf("the declared dimension %s spans %d cells, more than %d (--max-xlsx-cells raises the limit)", ref, int64(c)*int64(r), lim.XLSXCells))
				}
			case "row":
				row++
				if v := attr(e, "r"); v != "" {
					if n, err := strconv.Atoi(v); err == nil {
						row = n
					}
				}
				col, rowWidth = 0, 0
				if err := checkCell(1, row, "a row"); err != nil {
					return err
				}
			case "c":
				col++
				if v := attr(e, "r"); v != "" {
					if c, _, err := excelize.CellNameToCoordinates(v); err == nil {
						col = c
					}
				}
				if err := checkCell(col, row, "a cell"); err != nil {
					return err
				}
				rowWidth = max(rowWidth, col)
			case "mergeCell":
				ref := attr(e, "ref")
				first, last, _ := strings.Cut(ref, ":")
				c0, r0, err0 := excelize.CellNameToCoordinates(first)
				c1, r1, err1 := excelize.CellNameToCoordinates(last)
				if err0 != nil || err1 != nil {
					continue // ignored when the rows are read
				}
				if err := checkCell(c1, r1, "the merged range "+ref+" ends"); err != nil {
					return err
				}
				if err := addCells(int64(max(c1, c0)) * int64(abs(r1-r0)+1)); err != nil {
					return err
				}
			}
		case xml.EndElement:
			if e.Name.Local == "row" {
				if err := addCells(int64(rowWidth)); err != nil {
					return err
				}
			}
		}
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// markupGuard refuses XML whose runs of text (between > and <) are longer
// than max bytes, or whose tags (between < and >) are longer than max+4 KiB,
// before an XML decoder buffers them: one huge cell value or attribute
// never sits in memory.
type markupGuard struct {
	r     io.Reader
	file  string
	what  string
	max   int
	inTag bool
	run   int
	err   error
}

func (m *markupGuard) Read(p []byte) (int, error) {
	if m.err != nil {
		return 0, m.err
	}
	n, err := m.r.Read(p)
	for i, b := range p[:n] {
		switch {
		case b == '<':
			m.inTag, m.run = true, 0
		case b == '>' && m.inTag:
			m.inTag, m.run = false, 0
		default:
			m.run++
		}
		if m.inTag && m.run > m.max+4096 || !m.inTag && m.run > m.max {
			kind := "a text (a cell's value, or a shared string)"
			if m.inTag {
				kind = "a tag"
			}
			m.err = &limitError{Problem{File: m.file, Msg: fmt.Sprintf("%s holds %s longer than %s (--max-cell-bytes raises the limit)",
				m.what, kind, FormatSize(int64(m.max)))}}
			// The bytes before go to the decoder first, so that it is
			// inside the cell when it gets the error and can locate it.
			if i > 0 {
				return i, nil
			}
			return 0, m.err
		}
	}
	return n, err
}
