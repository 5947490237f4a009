package export

import (
	"context"
	"encoding/csv"
	"io"

	"github.com/collabnet/collabnet/graph"
)

// Fixed CSV columns; property columns follow in sorted name order.
var (
	CSVNodeColumns = []string{"id", "labels", "label"}
	CSVEdgeColumns = []string{"id", "source", "target", "type"}
)

// CSVOptions configure WriteCSV.
type CSVOptions struct {
	// Excel starts each file with a UTF-8 byte-order mark, by which Excel
	// on Windows reads the file as UTF-8 (without one it reads the
	// system's code page, and Chinese names come out garbled).
	Excel bool
	// Lang is the language of the nodes' "label" column (graph's
	// display-name rule, as GraphML's and GEXF's labels): graph.LangEN or
	// graph.LangZH (the default).
	Lang string
}

// UTF8BOM is the byte-order mark CSVOptions.Excel writes.
const UTF8BOM = "\uFEFF"

// NeutralizeCell guards a CSV cell against formula injection (CWE-1236,
// OWASP "CSV Injection"): a cell that starts with = + - @, a tab or a
// carriage return is read as a formula by Excel and LibreOffice, so it gets
// a leading single quote, which makes it text. Plain numbers (-1.5, +3,
// 1e-9) are left as they are: they are no formula, and readers need them
// as numbers.
func NeutralizeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if (s[0] == '+' || s[0] == '-') && plainNumber(s) {
			return s
		}
		return "'" + s
	}
	return s
}

// plainNumber reports whether s is a decimal number with an optional sign
// and exponent, or the -Infinity and +Infinity our values are written as.
func plainNumber(s string) bool {
	if s == "-Infinity" || s == "+Infinity" {
		return true
	}
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		digits++
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

// neutralize applies NeutralizeCell to every cell of a row in place.
func neutralize(row []string) {
	for i, c := range row {
		row[i] = NeutralizeCell(c)
	}
}

// WriteCSV writes the node list to nodesW and the edge list to edgesW with
// encoding/csv (comma-separated, RFC 4180 quoting, "\n" line ends). Each file
// starts with a header row: the fixed columns CSVNodeColumns / CSVEdgeColumns,
// then one column per property name of that domain, sorted. Values use the
// text forms of the package documentation (lists as JSON arrays); absent values
// are empty cells. Property names that readers reserve, the fixed columns
// among them, are renamed by [RenameReserved] ("id" becomes "key"). Like the
// XML writers it makes a key pass before writing and keeps no per-element
// state. Every cell, the header's too, goes through NeutralizeCell, so that
// no value is evaluated as a formula by a spreadsheet program.
func WriteCSV(ctx context.Context, nodesW, edgesW io.Writer, g graph.PropGraph, opts CSVOptions) error {
	sc, err := scanGraph(ctx, g)
	if err != nil {
		return err
	}
	if opts.Excel {
		for _, w := range []io.Writer{nodesW, edgesW} {
			if _, err := io.WriteString(w, UTF8BOM); err != nil {
				return err
			}
		}
	}

	var buf []byte
	header := func(fixed []string, t *keyTable) []string {
		row := append([]string(nil), fixed...)
		for i, e := range t.sorted {
			e.col = len(fixed) + i
			row = append(row, e.out)
		}
		return row
	}
	fill := func(row []string, t *keyTable, props []graph.Prop, seq int64) {
		for _, p := range props {
			if p.Value == nil {
				continue
			}
			e := t.byName[p.Key]
			if e.lastSeq == seq {
				continue
			}
			e.lastSeq = seq
			buf = appendValue(buf[:0], p.Value, false)
			row[e.col] = string(buf)
		}
	}

	nw := csv.NewWriter(nodesW)
	row := header(CSVNodeColumns, sc.nodeKeys)
	neutralize(row)
	if err := nw.Write(row); err != nil {
		return err
	}
	var seq int64
	g.Nodes(func(n graph.PropNode) bool {
		if seq%ctxEvery == 0 {
			if err = ctx.Err(); err != nil {
				return false
			}
		}
		clear(row)
		row[0] = n.ID
		buf = appendLabels(buf[:0], n.Labels, false)
		row[1] = string(buf)
		row[2] = displayName(&n, opts.Lang)
		fill(row, sc.nodeKeys, n.Props, seq)
		neutralize(row)
		seq++
		err = nw.Write(row)
		return err == nil
	})
	if err != nil {
		return err
	}
	nw.Flush()
	if err := nw.Error(); err != nil {
		return err
	}

	ew := csv.NewWriter(edgesW)
	row = header(CSVEdgeColumns, sc.edgeKeys)
	neutralize(row)
	if err := ew.Write(row); err != nil {
		return err
	}
	seq = 0
	g.Edges(func(e graph.PropEdge) bool {
		if seq%ctxEvery == 0 {
			if err = ctx.Err(); err != nil {
				return false
			}
		}
		clear(row)
		row[0], row[1], row[2], row[3] = e.ID, e.From, e.To, e.Type
		fill(row, sc.edgeKeys, e.Props, seq)
		neutralize(row)
		seq++
		err = ew.Write(row)
		return err == nil
	})
	if err != nil {
		return err
	}
	ew.Flush()
	return ew.Error()
}
