package loader

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

func isXLSX(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xlsm":
		return true
	}
	return false
}

// xlsxRecords are the rows of one worksheet, read with excelize. Cells are
// their raw values (a formula's cached value), except cells whose number
// format is a date, which come out as ISO dates (YYYY-MM-DD) whatever the
// display format; a merged range gives its value to every cell it spans.
type xlsxRecords struct {
	rows [][]string
	i    int
	// bad are located problems of cells, by row number: formulas without
	// a saved value that cannot be computed.
	bad map[int]Problem
}

func (x *xlsxRecords) close() error { return nil }

func (x *xlsxRecords) next() ([]string, int, error) {
	for x.i < len(x.rows) {
		x.i++
		if p, ok := x.bad[x.i]; ok {
			return nil, x.i, &rowError{p}
		}
		// Empty rows are skipped, as a CSV reader skips empty lines.
		if slices.ContainsFunc(x.rows[x.i-1], func(c string) bool { return c != "" }) {
			return x.rows[x.i-1], x.i, nil
		}
	}
	return nil, 0, io.EOF
}

// worksheet is one sheet of a workbook to read as a table.
type worksheet struct {
	name string
	recs records
	// hidden are the rows with values that Excel hides (hidden, or filtered
	// out): read as the others, and named in a note.
	hidden []int
}

// openXLSX reads the worksheets of a workbook that hold the table: the
// named one, or else every sheet whose header is the first sheet's (a
// workbook with one sheet per year). skipped names the other sheets and why.
func openXLSX(ctx context.Context, in Input, sheet string, lim Limits) (sheets []worksheet, skipped []string, err error) {
	b, err := readXLSX(ctx, in, lim)
	if err != nil {
		return nil, nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: lim.InputBytes, UnzipXMLSizeLimit: min(16<<20, lim.InputBytes)})
	if err != nil {
		return nil, nil, fmt.Errorf("reading the workbook: %w", err)
	}
	defer func() { _ = f.Close() }() // closing what was only read
	list := f.GetSheetList()
	if sheet != "" {
		if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
			return nil, nil, fmt.Errorf("no worksheet %q; the workbook has %s", sheet, strings.Join(list, ", "))
		}
		recs, err := readSheet(in.Name, f, sheet)
		if err != nil {
			return nil, nil, err
		}
		for _, s := range list {
			if s != sheet {
				skipped = append(skipped, s+" (--sheet names "+sheet+")")
			}
		}
		return []worksheet{{sheet, recs, hiddenRows(f, sheet, recs)}}, skipped, nil
	}
	if len(list) == 0 {
		return nil, nil, fmt.Errorf("the workbook has no worksheet")
	}
	var first []string
	for _, s := range list {
		// A hidden sheet (a lookup table, last year's copy) is not what
		// the workbook shows: it is read only when named.
		if visible, err := f.GetSheetVisible(s); err == nil && !visible {
			skipped = append(skipped, s+" (hidden in Excel; --sheet "+s+" reads it)")
			continue
		}
		recs, err := readSheet(in.Name, f, s)
		if err != nil {
			return nil, nil, err
		}
		h := recs.header()
		switch {
		case h == nil:
			skipped = append(skipped, s+" (empty)")
			continue
		case first == nil:
			first = h
		case !sameHeader(first, h):
			skipped = append(skipped, fmt.Sprintf("%s (another header: %s)", s, strings.Join(h, ", ")))
			continue
		}
		sheets = append(sheets, worksheet{s, recs, hiddenRows(f, s, recs)})
	}
	if len(sheets) == 0 {
		if slices.ContainsFunc(skipped, func(s string) bool { return strings.Contains(s, "(hidden") }) {
			return nil, nil, fmt.Errorf("no worksheet to read: %s", strings.Join(skipped, "; "))
		}
		return nil, nil, fmt.Errorf("every worksheet of the workbook is empty")
	}
	return sheets, skipped, nil
}

// header is the first non-empty row that is not a title (titleRow; the
// first non-empty row when every one is), without its trailing empty
// cells: sheets per year with a title of their year have the same header.
func (x *xlsxRecords) header() []string {
	var h []string
	for _, r := range x.rows {
		if slices.ContainsFunc(r, func(c string) bool { return c != "" }) {
			n := len(r)
			for n > 0 && r[n-1] == "" {
				n--
			}
			if h == nil {
				h = r[:n]
			}
			if !titleRow(r) {
				return r[:n]
			}
		}
	}
	return h
}

// hiddenRows lists the rows of a sheet with a value that Excel hides.
func hiddenRows(f *excelize.File, sheet string, x *xlsxRecords) []int {
	var hidden []int
	for i, r := range x.rows {
		if !slices.ContainsFunc(r, func(c string) bool { return c != "" }) {
			continue
		}
		if visible, err := f.GetRowVisible(sheet, i+1); err == nil && !visible {
			hidden = append(hidden, i+1)
		}
	}
	return hidden
}

func sameHeader(a, b []string) bool {
	return slices.EqualFunc(a, b, func(x, y string) bool { return foldHeader(x) == foldHeader(y) })
}

// readSheet reads one worksheet's rows.
func readSheet(file string, f *excelize.File, sheet string) (*xlsxRecords, error) {
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("reading worksheet %s: %w", sheet, err)
	}
	use1904 := false
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		use1904 = *p.Date1904
	}
	x := &xlsxRecords{bad: map[int]Problem{}}
	dateStyle := map[int]bool{}
	for r, cells := range rows {
		for c, v := range cells {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if v == "" {
				// A formula whose value was never saved (a workbook written
				// by a script): computed, or a located problem.
				if fm, err := f.GetCellFormula(sheet, ref); err == nil && fm != "" {
					got, err := f.CalcCellValue(sheet, ref)
					if err != nil || strings.HasPrefix(got, "#") {
						if _, seen := x.bad[r+1]; !seen {
							x.bad[r+1] = Problem{File: file, Sheet: sheet, Line: r + 1, Column: c + 1, Value: "=" + fm,
								Msg: fmt.Sprintf("a formula without a saved value that cannot be computed (%s); open the workbook in Excel or LibreOffice and save it, so that its values are saved", cmp.Or(got, fmt.Sprint(err)))}
						}
						continue
					}
					cells[c] = got
				}
				continue
			}
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			idx, err := f.GetCellStyle(sheet, ref)
			if err != nil || idx == 0 {
				continue
			}
			isDate, seen := dateStyle[idx]
			if !seen {
				if st, err := f.GetStyle(idx); err == nil {
					isDate = isDateFormat(st)
				}
				dateStyle[idx] = isDate
			}
			if !isDate {
				continue
			}
			if t, err := excelize.ExcelDateToTime(n, use1904); err == nil {
				cells[c] = t.Format("2006-01-02")
			}
		}
	}
	// Merged cells: Excel shows the value of the top-left cell across the
	// range (a country merged down over the rows of its partners).
	merged, err := f.GetMergeCells(sheet)
	if err != nil {
		return nil, fmt.Errorf("reading the merged cells of worksheet %s: %w", sheet, err)
	}
	for _, m := range merged {
		c0, r0, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c1, r1, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil || r1-r0 > 1<<20 || c1-c0 > 1<<14 {
			continue
		}
		v := ""
		if r0-1 < len(rows) && c0-1 < len(rows[r0-1]) {
			v = rows[r0-1][c0-1]
		}
		for r := r0; r <= r1; r++ {
			for len(rows) < r {
				rows = append(rows, nil)
			}
			if len(rows[r-1]) < c1 {
				rows[r-1] = append(rows[r-1], make([]string, c1-len(rows[r-1]))...)
			}
			for c := c0; c <= c1; c++ {
				rows[r-1][c-1] = v
			}
		}
	}
	// Rows end at their last non-empty cell; the records have the width of
	// the header, as a delimited file's do.
	if len(rows) > 0 {
		w := len(rows[0])
		for i, r := range rows {
			if len(r) < w {
				rows[i] = append(r, make([]string, w-len(r))...)
			}
		}
	}
	x.rows = rows
	return x, nil
}

// isDateFormat reports whether a cell style shows numbers as dates: the
// built-in date formats (ECMA-376 part 1, 18.8.30: 14-17, 22, and the
// East Asian 27-36, 50-58) or a custom format with day, month or year
// codes outside quotes and brackets.
func isDateFormat(s *excelize.Style) bool {
	if s.CustomNumFmt != nil {
		f := strings.ToLower(*s.CustomNumFmt)
		quoted, bracket := false, false
		for _, c := range f {
			switch {
			case c == '"':
				quoted = !quoted
			case c == '[':
				bracket = true
			case c == ']':
				bracket = false
			case !quoted && !bracket && (c == 'd' || c == 'y'):
				return true
			}
		}
		return false
	}
	switch n := s.NumFmt; {
	case n >= 14 && n <= 17, n == 22, n >= 27 && n <= 36, n >= 50 && n <= 58:
		return true
	}
	return false
}
