package loader

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits bound what one input may make the loader read and hold, so that a
// small hostile file (a gzip or xlsx bomb, one endless line or cell) is
// refused with a located problem instead of exhausting memory. A zero field
// means its default (DefaultLimits). README.md, "Limits on input", lists
// them with their flags.
type Limits struct {
	// InputBytes is the most bytes one input may have after
	// decompression: a plain file's size, a gzip's output, the unzipped
	// parts of an .xlsx together.
	InputBytes int64 `json:"input_bytes,omitempty"`
	// YAMLBytes is the most bytes of one native YAML file (after
	// decompression), which is parsed whole.
	YAMLBytes int64 `json:"yaml_bytes,omitempty"`
	// CellBytes is the longest cell of a table, or scalar of a YAML file,
	// in bytes (UTF-8).
	CellBytes int `json:"cell_bytes,omitempty"`
	// Columns is the most columns of a table row (a worksheet's last
	// column counts, however sparse the row).
	Columns int `json:"columns,omitempty"`
	// Rows is the most data rows of one table (text file or worksheet).
	Rows int `json:"rows,omitempty"`
	// XLSXCells is the most cells of a worksheet counted as the spreadsheet
	// library holds them: every row as wide as its last cell.
	XLSXCells int64 `json:"xlsx_cells,omitempty"`
	// Ratio is the highest compression ratio (bytes out per byte in) of a
	// gzip or of an .xlsx part, checked once its output passes RatioFloor.
	Ratio int64 `json:"ratio,omitempty"`
}

// DefaultLimits pass every real dataset we know with room to spare (the H2020
// participations: 15 MB, 144,726 rows of 16 columns, ratio 6.5; the twin
// towns: 1 MB, 26,114 rows) and refuse the hostile corpus of
// loader/limits_test.go.
var DefaultLimits = Limits{
	InputBytes: 1 << 30,
	YAMLBytes:  16 << 20,
	CellBytes:  64 << 10,
	Columns:    1024,
	Rows:       2_000_000,
	XLSXCells:  5_000_000,
	Ratio:      100,
}

// RatioFloor is the output a compressed stream may produce before its
// compression ratio is checked: small files with a high ratio (a header and
// a few repeated rows) are harmless.
const RatioFloor = 4 << 20

// orDefault fills the zero fields of l from DefaultLimits.
func (l Limits) orDefault() Limits {
	d := DefaultLimits
	if l.InputBytes <= 0 {
		l.InputBytes = d.InputBytes
	}
	if l.YAMLBytes <= 0 {
		l.YAMLBytes = d.YAMLBytes
	}
	if l.CellBytes <= 0 {
		l.CellBytes = d.CellBytes
	}
	if l.Columns <= 0 {
		l.Columns = d.Columns
	}
	if l.Rows <= 0 {
		l.Rows = d.Rows
	}
	if l.XLSXCells <= 0 {
		l.XLSXCells = d.XLSXCells
	}
	if l.Ratio <= 0 {
		l.Ratio = d.Ratio
	}
	return l
}

// check refuses negative limits (a size that did not parse, in cmd).
func (l Limits) check() error {
	for _, f := range []struct {
		flag string
		n    int64
	}{{"--max-input-bytes", l.InputBytes}, {"--max-yaml-bytes", l.YAMLBytes}, {"--max-cell-bytes", int64(l.CellBytes)},
		{"--max-columns", int64(l.Columns)}, {"--max-rows", int64(l.Rows)}, {"--max-xlsx-cells", l.XLSXCells}, {"--max-ratio", l.Ratio}} {
		if f.n < 0 {
			return fmt.Errorf("%s: want a positive number (sizes as 1073741824, 64KiB or 2GiB), or 0 for the default", f.flag)
		}
	}
	return nil
}

// ParseSize reads a byte count: a whole number, optionally with a unit
// (KB, MB, GB: powers of 1000; KiB, MiB, GiB: powers of 1024; B). "" is 0.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, nil
	}
	units := []struct {
		suffix string
		mult   int64
	}{{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40},
		{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12}, {"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"b", 1}}
	mult := int64(1)
	low := strings.ToLower(t)
	for _, u := range units {
		if strings.HasSuffix(low, u.suffix) {
			mult, t = u.mult, strings.TrimSpace(t[:len(t)-len(u.suffix)])
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("size %q: want a number of bytes such as 1073741824, 64KiB or 2GiB", s)
	}
	return n * mult, nil
}

// FormatSize writes a byte count as ParseSize reads it, in the largest binary
// unit that divides it.
func FormatSize(n int64) string {
	for _, u := range []struct {
		name string
		mult int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.mult && n%u.mult == 0 {
			return fmt.Sprintf("%d %s", n/u.mult, u.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}

// limitError is a limit reached while reading: a located problem that ends
// the reading of the input.
type limitError struct{ p Problem }

func (e *limitError) Error() string { return e.p.String() }

// inputGuard counts the bytes of an input as they are read (after
// decompression), refuses more than a limit and, for a compressed stream,
// a ratio above Limits.Ratio once RatioFloor is passed; it also stops the
// reading when ctx is cancelled. Its error is sticky.
type inputGuard struct {
	ctx   context.Context
	r     io.Reader
	file  string
	what  string   // "the gzip", "the part xl/worksheets/sheet1.xml", ...
	raw   *counter // the compressed bytes read, nil when not compressed
	n     int64
	max   int64 // most bytes
	flag  string
	ratio int64
	err   error
}

// counter counts the bytes read through it.
type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (g *inputGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	if err := g.ctx.Err(); err != nil {
		g.err = err
		return 0, err
	}
	// Read at most one byte beyond the limit: enough to know it is passed.
	if room := g.max - g.n + 1; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := g.r.Read(p)
	g.n += int64(n)
	switch {
	case g.n > g.max:
		g.err = &limitError{Problem{File: g.file, Msg: fmt.Sprintf("%s holds more than %s (%s raises the limit)", g.what, FormatSize(g.max), g.flag)}}
		return 0, g.err
	case g.raw != nil && g.n > RatioFloor && g.n > g.ratio*max(g.raw.n, 1):
		g.err = &limitError{Problem{File: g.file, Msg: fmt.Sprintf(
			"%s inflates more than %d times (%s from %s of compressed data): a compression bomb? (--max-ratio raises the limit)",
			g.what, g.ratio, FormatSize(g.n), FormatSize(g.raw.n))}}
		return 0, g.err
	}
	return n, err
}

// openGuarded opens an input, reads gzip transparently (detected by its
// magic bytes) and guards the bytes read with the input limit.
func openGuarded(ctx context.Context, in Input, lim Limits, max int64, flag string) (*inputGuard, io.Closer, error) {
	rc, err := in.Open()
	if err != nil {
		return nil, nil, fmt.Errorf("opening: %w", err)
	}
	raw := &counter{r: rc}
	br := bufio.NewReaderSize(raw, 64<<10)
	g := &inputGuard{ctx: ctx, r: br, file: in.Name, what: "the file", max: max, flag: flag, ratio: lim.Ratio}
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			_ = rc.Close() // closing what was only read: nothing to lose
			return nil, nil, fmt.Errorf("reading gzip: %w", err)
		}
		g.r, g.raw, g.what = zr, raw, "the gzip"
	}
	return g, rc, nil
}

// textGuard watches the bytes of a delimited text table before the CSV
// reader buffers them: a cell longer than Limits.CellBytes or a row with
// more than Limits.Columns fields is refused as soon as its bytes pass the
// limit, so that one endless field or line never sits in memory. It follows
// RFC 4180 quoting: delimiters and line ends inside quotes belong to the
// field; a doubled quote inside quotes is one quote.
type textGuard struct {
	r     io.Reader
	file  string
	lim   Limits
	delim []byte
	line  int // 1-based line of the byte being read
	col   int // 1-based field of the row
	cell  int // bytes of the current field
	state int
	err   error
}

const (
	fieldStart = iota
	unquoted
	quoted
	quoteInQuoted // a quote inside a quoted field: closing, or the first of two
)

func newTextGuard(r io.Reader, file string, lim Limits, comma rune) *textGuard {
	return &textGuard{r: r, file: file, lim: lim, delim: utf8.AppendRune(nil, comma), line: 1, col: 1}
}

func (g *textGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	// On a limit, the bytes before it go to the CSV reader first (and the
	// error with the next read), so that it has read the header and the
	// rows before when it gets the error.
	stop := func(i int) (int, error) {
		if i > 0 {
			return i, nil
		}
		return 0, g.err
	}
	buf := p[:n]
	d := g.delim[len(g.delim)-1]
	for i := 0; i < len(buf); {
		switch g.state {
		case quoted:
			// Up to the next quote, line ends and delimiters included.
			j := bytes.IndexByte(buf[i:], '"')
			seg := buf[i:]
			if j >= 0 {
				seg = buf[i : i+j]
			}
			if over := g.cell + len(seg) - g.lim.CellBytes; over > 0 {
				seg, j = seg[:len(seg)-over+1], -1 // up to the byte past the limit, for its line
			}
			g.line += bytes.Count(seg, []byte{'\n'})
			g.cell += len(seg)
			i += len(seg)
			if j >= 0 {
				g.state = quoteInQuoted
				i++
			}
		case quoteInQuoted:
			if buf[i] == '"' { // an escaped quote
				g.state = quoted
				g.cell++
				i++
				continue
			}
			g.state = unquoted // after the closing quote
		case fieldStart, unquoted:
			if g.state == fieldStart && buf[i] == '"' {
				g.state = quoted
				i++
				continue
			}
			g.state = unquoted
			j := i
			for j < len(buf) && buf[j] != '\n' && buf[j] != d {
				j++
			}
			g.cell += j - i
			i = j
			if j == len(buf) || g.cell > g.lim.CellBytes {
				break
			}
			if buf[j] == '\n' {
				g.line++
				g.col, g.cell, g.state = 1, 0, fieldStart
			} else if len(g.delim) == 1 || j+1 >= len(g.delim) && bytes.HasSuffix(buf[:j+1], g.delim) {
				g.col++
				g.cell, g.state = 0, fieldStart
				if g.col > g.lim.Columns {
					g.err = &limitError{Problem{File: g.file, Line: g.line, Column: g.col,
						Msg: fmt.Sprintf("more than %d columns in this row (--max-columns raises the limit)", g.lim.Columns)}}
					return stop(j)
				}
			} else {
				g.cell++
			}
			i++
		}
		if g.cell > g.lim.CellBytes {
			g.err = &limitError{Problem{File: g.file, Line: g.line, Column: g.col,
				Msg: fmt.Sprintf("a cell longer than %s (--max-cell-bytes raises the limit)", FormatSize(int64(g.lim.CellBytes)))}}
			return stop(min(i, len(buf)))
		}
	}
	return n, err
}
