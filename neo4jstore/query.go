package neo4jstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
)

// ErrWrites is returned by Query for a query that would write when writing
// was not allowed.
var ErrWrites = errors.New("the query writes")

// ErrTimeout is returned (wrapped) by Query for a query the server ended
// because it ran longer than Config.QueryTimeout.
var ErrTimeout = errors.New("the query ran out of time")

// txConfig passes the query timeout to the transaction.
func (s *Store) txConfig() []func(*neo4j.TransactionConfig) {
	if s.queryTimeout <= 0 {
		return nil
	}
	return []func(*neo4j.TransactionConfig){neo4j.WithTxTimeout(s.queryTimeout)}
}

// timedOut wraps a server's transaction timeout as ErrTimeout, naming the
// limit; other errors are returned as they are.
func (s *Store) timedOut(err error) error {
	var ne *neo4j.Neo4jError
	if errors.As(err, &ne) && strings.Contains(ne.Code, "TransactionTimedOut") {
		return fmt.Errorf("%w: the server stopped it after the timeout of %s (--timeout, neo4j.query_timeout) (%s)", ErrTimeout, s.queryTimeout, ne.Code)
	}
	return err
}

// QueryResult is a query's records with their column names, and what it
// wrote.
type QueryResult struct {
	Keys    []string
	Records []*neo4j.Record
	// Type is the server's query type: r, rw, w or s.
	Type string
	// Updates counts what the query wrote; nil when it wrote nothing.
	Updates *Updates
}

// Updates counts the changes a query made.
type Updates struct {
	NodesCreated, NodesDeleted, RelationshipsCreated, RelationshipsDeleted, PropertiesSet int
}

// QueryType asks the server how text would run, without running it: the
// query type of EXPLAIN's summary (r, rw, w or s).
func (s *Store) QueryType(ctx context.Context, text string, params map[string]any) (_ neo4j.StatementType, err error) {
	sess := s.session(ctx, neo4j.AccessModeRead)
	defer func() { err = errors.Join(err, sess.Close(ctx)) }()
	res, err := sess.Run(ctx, "EXPLAIN "+text, params, s.txConfig()...)
	if err != nil {
		return 0, err
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		return 0, err
	}
	return sum.StatementType(), nil
}

// Query runs a Cypher query with parameters, within Config.QueryTimeout
// (an error wrapping ErrTimeout when the server stops it). It first asks the server for
// the query type (EXPLAIN); a query that is not read-only is refused with
// ErrWrites unless allowWrite, and then runs in a write session. It runs as
// an auto-commit transaction, so that CALL { ... } IN TRANSACTIONS works.
//
// It is a reader: it refuses an unfinished load (*IncompleteError). A query
// that writes may change the load state itself (one that empties the
// database removes it): only a load that started while it ran is an error.
func (s *Store) Query(ctx context.Context, text string, params map[string]any, allowWrite bool) (*QueryResult, error) {
	var out *QueryResult
	err := s.consistentRun(ctx, func() (wrote bool, err error) {
		out, err = s.query(ctx, text, params, allowWrite)
		return out != nil && out.Type != neo4j.StatementTypeReadOnly.String(), err
	})
	return out, err
}

func (s *Store) query(ctx context.Context, text string, params map[string]any, allowWrite bool) (_ *QueryResult, err error) {
	typ, err := s.QueryType(ctx, text, params)
	if err != nil {
		return nil, s.timedOut(err)
	}
	mode := neo4j.AccessModeRead
	if typ != neo4j.StatementTypeReadOnly {
		if !allowWrite {
			return nil, fmt.Errorf("%w (the server's query type is %q, not \"r\")", ErrWrites, typ)
		}
		mode = neo4j.AccessModeWrite
	}
	sess := s.session(ctx, mode)
	defer func() { err = errors.Join(err, sess.Close(ctx)) }()
	res, err := sess.Run(ctx, text, params, s.txConfig()...)
	if err != nil {
		return nil, s.timedOut(err)
	}
	out := &QueryResult{Type: typ.String()}
	if out.Keys, err = res.Keys(); err != nil {
		return nil, s.timedOut(err)
	}
	if out.Records, err = res.Collect(ctx); err != nil {
		return nil, s.timedOut(err)
	}
	if sum, err := res.Consume(ctx); err == nil && sum.Counters().ContainsUpdates() {
		c := sum.Counters()
		out.Updates = &Updates{c.NodesCreated(), c.NodesDeleted(), c.RelationshipsCreated(), c.RelationshipsDeleted(), c.PropertiesSet()}
	}
	return out, nil
}

// Cells renders the records for a table or CSV: nodes by their name (else
// ID), relationships by their type, paths as "a -[TYPE]-> b", lists joined
// by ", ". precise writes floats in full (CSV) rather than to 6 digits.
func (r *QueryResult) Cells(precise bool) [][]string {
	out := make([][]string, len(r.Records))
	for i, rec := range r.Records {
		cells := make([]string, len(rec.Values))
		for j, v := range rec.Values {
			cells[j] = CellText(v, precise, true)
		}
		out[i] = cells
	}
	return out
}

// JSONRows renders the records as JSON objects whose keys keep the query's
// column order; nodes and relationships carry their labels or type and
// every property.
func (r *QueryResult) JSONRows() []OrderedRow {
	out := make([]OrderedRow, 0, len(r.Records))
	for _, rec := range r.Records {
		row := OrderedRow{Keys: rec.Keys, Values: make([]any, len(rec.Values))}
		for j, v := range rec.Values {
			row.Values[j] = JSONValue(v)
		}
		out = append(out, row)
	}
	return out
}

// CellText renders a driver value as text. top is false inside a list or
// map, whose nested lists keep their brackets.
func CellText(v any, precise, top bool) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		if precise {
			return strconv.FormatFloat(x, 'g', -1, 64)
		}
		if math.IsNaN(x) {
			return ""
		}
		return strconv.FormatFloat(x, 'g', 6, 64)
	case dbtype.Node:
		return nodeText(x)
	case dbtype.Relationship:
		return x.Type
	case dbtype.Path:
		return pathText(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = CellText(e, precise, false)
		}
		if top {
			return strings.Join(parts, ", ")
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ": " + CellText(x[k], precise, false)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// nodeText names a node: its name, else its ID or country code, else its
// labels and element ID.
func nodeText(n dbtype.Node) string {
	for _, k := range []string{"name", "id", "code"} {
		if s, ok := n.Props[k].(string); ok && s != "" {
			return s
		}
	}
	return "(" + strings.Join(n.Labels, ":") + " " + n.ElementId + ")"
}

// pathText writes a path as "a -[T]-> b <-[U]- c", each arrow in the
// direction of its relationship.
func pathText(p dbtype.Path) string {
	if len(p.Nodes) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(nodeText(p.Nodes[0]))
	for i, r := range p.Relationships {
		if i+1 >= len(p.Nodes) {
			break
		}
		next := p.Nodes[i+1]
		if r.StartElementId == p.Nodes[i].ElementId {
			fmt.Fprintf(&b, " -[%s]-> ", r.Type)
		} else {
			fmt.Fprintf(&b, " <-[%s]- ", r.Type)
		}
		b.WriteString(nodeText(next))
	}
	return b.String()
}

// JSONValue turns a driver value into plain JSON-encodable data: nodes and
// relationships with their labels or type and every property; NaN and
// infinities as text (JSON has none).
func JSONValue(v any) any {
	switch x := v.(type) {
	case dbtype.Node:
		return map[string]any{"element_id": x.ElementId, "labels": x.Labels, "properties": jsonMap(x.Props)}
	case dbtype.Relationship:
		return map[string]any{"element_id": x.ElementId, "type": x.Type, "start": x.StartElementId,
			"end": x.EndElementId, "properties": jsonMap(x.Props)}
	case dbtype.Path:
		nodes := make([]any, len(x.Nodes))
		for i, n := range x.Nodes {
			nodes[i] = JSONValue(n)
		}
		rels := make([]any, len(x.Relationships))
		for i, r := range x.Relationships {
			rels[i] = JSONValue(r)
		}
		return map[string]any{"nodes": nodes, "relationships": rels, "text": pathText(x)}
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = JSONValue(e)
		}
		return out
	case map[string]any:
		return jsonMap(x)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return strconv.FormatFloat(x, 'g', -1, 64)
		}
		return x
	case nil, string, bool, int64:
		return x
	case fmt.Stringer: // dates, times, durations, points
		return x.String()
	}
	return v
}

func jsonMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = JSONValue(v)
	}
	return out
}

// OrderedRow is a record as a JSON object whose keys keep the query's
// column order.
type OrderedRow struct {
	Keys   []string
	Values []any
}

func (r OrderedRow) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	b.WriteByte('{')
	for i, k := range r.Keys {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := enc.Encode(k); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1) // Encode's newline
		b.WriteByte(':')
		if err := enc.Encode(r.Values[i]); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
