package loader

import (
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
// their raw values, except cells whose number format is a date, which come
// out as ISO dates (YYYY-MM-DD) whatever the display format.
type xlsxRecords struct {
	rows [][]string
	i    int
}

func (x *xlsxRecords) close() error { return nil }

func (x *xlsxRecords) next() ([]string, int, error) {
	for x.i < len(x.rows) {
		x.i++
		// Empty rows are skipped, as a CSV reader skips empty lines.
		if slices.ContainsFunc(x.rows[x.i-1], func(c string) bool { return c != "" }) {
			return x.rows[x.i-1], x.i, nil
		}
	}
	return nil, 0, io.EOF
}

// openXLSX reads the named worksheet (the first when sheet is "").
func openXLSX(in Input, sheet string) (records, string, error) {
	rc, err := in.Open()
	if err != nil {
		return nil, "", fmt.Errorf("opening: %w", err)
	}
	defer rc.Close()
	f, err := excelize.OpenReader(rc, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, "", fmt.Errorf("reading the workbook: %w", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if sheet == "" {
		if len(sheets) == 0 {
			return nil, "", fmt.Errorf("the workbook has no worksheet")
		}
		sheet = sheets[0]
	} else if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		return nil, "", fmt.Errorf("no worksheet %q; the workbook has %s", sheet, strings.Join(sheets, ", "))
	}
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, sheet, fmt.Errorf("reading worksheet %s: %w", sheet, err)
	}
	use1904 := false
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		use1904 = *p.Date1904
	}
	dateStyle := map[int]bool{}
	for r, cells := range rows {
		for c, v := range cells {
			if v == "" {
				continue
			}
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
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
	return &xlsxRecords{rows: rows}, sheet, nil
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
