package export

import (
	"context"
	"encoding/csv"
	"io"

	"github.com/collabnet/collabnet/graph"
)

// Fixed CSV columns; property columns follow in sorted name order.
var (
	CSVNodeColumns = []string{"id", "labels"}
	CSVEdgeColumns = []string{"id", "source", "target", "type"}
)

// WriteCSV writes the node list to nodesW and the edge list to edgesW with
// encoding/csv (comma-separated, RFC 4180 quoting, "\n" line ends). Each file
// starts with a header row: the fixed columns CSVNodeColumns / CSVEdgeColumns,
// then one column per property name of that domain, sorted. Values use the
// text forms of the package documentation (lists as JSON arrays); absent values
// are empty cells. Property names that readers reserve, the fixed columns
// among them, are renamed by [RenameReserved] ("id" becomes "key"). Like the
// XML writers it makes a key pass before writing and keeps no per-element
// state.
func WriteCSV(ctx context.Context, nodesW, edgesW io.Writer, g graph.PropGraph) error {
	sc, err := scanGraph(ctx, g)
	if err != nil {
		return err
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
		fill(row, sc.nodeKeys, n.Props, seq)
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
