package analysis

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MarshalJSON is the level as WriteJSON writes it without indentation.
func (l Level) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	if err := l.WriteJSON(&b, false); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// MarshalJSON writes the node with the measures it has, in output order.
func (n NodeScore) MarshalJSON() ([]byte, error) {
	var ms []Measure
	for _, d := range registry {
		if _, ok := n.Values[d.Name]; ok {
			ms = append(ms, d.Name)
		}
	}
	var b bytes.Buffer
	jw := &jsonWriter{w: bufio.NewWriter(&b)}
	writeNode(jw, &n, ms)
	if jw.err == nil {
		jw.err = jw.w.Flush()
	}
	return b.Bytes(), jw.err
}

// WriteJSON writes the level as one JSON object and a newline, node by
// node and tie by tie through a fixed-size buffer, so memory does not grow
// with the network (the analyze command's --format json). Each node has
// only the measures computed (named as NodeScore's JSON tags, in output
// order, each with its Kind's JSON type; null when unknown): a measure not
// asked for is absent, not zero. The graph's modularity and communities
// are likewise written only with the community measure. pretty indents by
// two spaces, byte for byte as encoding/json's Encoder with
// SetIndent("", "  "); otherwise the output is compact. The schema is
// generated from the measure registry (collabnet schema json analyze).
// Errors are the writer's.
func (l *Level) WriteJSON(w io.Writer, pretty bool) error {
	jw := &jsonWriter{w: bufio.NewWriterSize(w, 64<<10), pretty: pretty}
	ms := l.Measures
	if ms == nil {
		ms = []Measure{}
	}
	jw.open('{')
	jw.key("level")
	jw.str(l.Level)
	jw.key("measures")
	jw.value(ms)
	if len(l.Sampled) > 0 {
		jw.key("sampled")
		jw.value(l.Sampled)
	}
	jw.key("graph")
	if l.Has(Community) {
		jw.value(l.Graph)
	} else {
		jw.value(l.Graph.GraphShape)
	}
	jw.key("nodes")
	jw.open('[')
	for i := range l.Nodes {
		writeNode(jw, &l.Nodes[i], ms)
		if jw.err != nil {
			return jw.err
		}
	}
	jw.close(']')
	jw.key("edges")
	jw.open('[')
	if !pretty {
		writeTiesCompact(jw, &l.Edges)
	}
	for i := range l.Edges.Len() {
		if !pretty {
			break // written at once
		}
		e := l.Edges.At(i)
		jw.open('{')
		jw.key("source")
		jw.str(e.Source)
		jw.key("target")
		jw.str(e.Target)
		jw.key("weight")
		jw.float(e.Weight)
		if e.Normalized != nil {
			jw.key("normalized")
			jw.float(*e.Normalized)
		}
		if e.Agreements != 0 {
			jw.key("agreements")
			jw.int(e.Agreements)
		}
		jw.close('}')
		if jw.err != nil {
			return jw.err
		}
	}
	jw.close(']')
	if len(l.Warnings) > 0 {
		jw.key("warnings")
		jw.value(l.Warnings)
	}
	if l.Unlocated != 0 {
		jw.key("unlocated")
		jw.int(l.Unlocated)
	}
	if l.Normalization != "" {
		jw.key("normalization")
		jw.str(l.Normalization)
	}
	if l.Filtered != nil {
		jw.key("filtered")
		jw.value(l.Filtered)
	}
	jw.close('}')
	jw.raw([]byte{'\n'})
	if jw.err != nil {
		return jw.err
	}
	return jw.w.Flush()
}

func writeNode(jw *jsonWriter, n *NodeScore, ms []Measure) {
	jw.open('{')
	jw.key("id")
	jw.str(n.ID)
	jw.key("name")
	jw.str(n.Name)
	if n.NameEN != "" {
		jw.key("name_en")
		jw.str(n.NameEN)
	}
	jw.key("country")
	jw.str(n.Country)
	for _, m := range ms {
		var v any
		if d := Lookup(m); d != nil {
			v = d.Typed(n)
		} else if x := n.Value(m); !math.IsNaN(x) && !math.IsInf(x, 0) {
			v = x
		} else {
			continue
		}
		jw.key(string(m))
		switch v := v.(type) {
		case int64:
			jw.int(int(v))
		case float64:
			jw.float(v)
		default:
			jw.null()
		}
	}
	if n.Partners != nil {
		jw.key("partners")
		jw.int(*n.Partners)
	}
	for _, f := range []struct {
		k string
		v *float64
	}{{"link_strength", n.LinkStrength}, {"domestic", n.Domestic}, {"international_share", n.InternationalShare}} {
		if f.v != nil {
			jw.key(f.k)
			jw.float(*f.v)
		}
	}
	if n.Agreements != nil {
		jw.key("agreements")
		jw.int(*n.Agreements)
	}
	if n.AvgYear != nil {
		jw.key("avg_year")
		jw.float(*n.AvgYear)
	}
	if n.Kind != "" {
		jw.key("kind")
		jw.str(n.Kind)
	}
	jw.close('}')
}

// jsonWriter writes JSON tokens as they come, with encoding/json's
// formatting of strings and numbers and, when pretty, its indentation. The
// first error sticks and later writes do nothing.
type jsonWriter struct {
	w      *bufio.Writer
	pretty bool
	err    error
	depth  int
	// first is set after an opening bracket, until the first element.
	first bool
	// afterKey is set between a key and its value.
	afterKey bool
	scratch  []byte
}

func (jw *jsonWriter) raw(b []byte) {
	if jw.err == nil {
		_, jw.err = jw.w.Write(b)
	}
}

// newline starts a line at the current depth (pretty only).
func (jw *jsonWriter) newline() {
	if !jw.pretty || jw.err != nil {
		return
	}
	jw.err = jw.w.WriteByte('\n')
	for range jw.depth {
		_, jw.err = jw.w.WriteString("  ")
	}
}

// element is written before each value: a comma after the previous
// element and, when pretty, a new line; nothing after a key.
func (jw *jsonWriter) element() {
	if jw.afterKey {
		jw.afterKey = false
		return
	}
	if jw.depth == 0 {
		return
	}
	if !jw.first {
		jw.raw([]byte{','})
	}
	jw.first = false
	jw.newline()
}

func (jw *jsonWriter) open(c byte) {
	jw.element()
	jw.raw([]byte{c})
	jw.depth++
	jw.first = true
}

func (jw *jsonWriter) close(c byte) {
	jw.depth--
	if !jw.first {
		jw.newline()
	}
	jw.first = false
	jw.raw([]byte{c})
}

func (jw *jsonWriter) key(k string) {
	jw.element()
	jw.scratch = appendJSONString(jw.scratch[:0], k)
	jw.scratch = append(jw.scratch, ':')
	if jw.pretty {
		jw.scratch = append(jw.scratch, ' ')
	}
	jw.raw(jw.scratch)
	jw.afterKey = true
}

func (jw *jsonWriter) str(s string) {
	jw.element()
	jw.scratch = appendJSONString(jw.scratch[:0], s)
	jw.raw(jw.scratch)
}

func (jw *jsonWriter) null() {
	jw.element()
	jw.raw([]byte("null"))
}

func (jw *jsonWriter) int(i int) {
	jw.element()
	jw.scratch = strconv.AppendInt(jw.scratch[:0], int64(i), 10)
	jw.raw(jw.scratch)
}

func (jw *jsonWriter) float(f float64) {
	jw.element()
	if jw.err != nil {
		return
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		jw.err = &json.UnsupportedValueError{Str: strconv.FormatFloat(f, 'g', -1, 64)}
		return
	}
	jw.scratch = appendJSONFloat(jw.scratch[:0], f)
	jw.raw(jw.scratch)
}

// value writes a small value (figures, lists) with encoding/json,
// indented to the current depth.
func (jw *jsonWriter) value(v any) {
	jw.element()
	if jw.err != nil {
		return
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if jw.pretty {
		enc.SetIndent(strings.Repeat("  ", jw.depth), "  ")
	}
	if err := enc.Encode(v); err != nil {
		jw.err = fmt.Errorf("encoding %T: %w", v, err)
		return
	}
	jw.raw(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

// appendJSONFloat formats f as encoding/json does: the shortest decimal
// that reads back as f, in exponent form below 1e-6 and from 1e21, with
// the exponent's leading zero dropped (1e-07 → 1e-7).
func appendJSONFloat(b []byte, f float64) []byte {
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendJSONString quotes s as encoding/json does with SetEscapeHTML(false):
// quote, backslash and control characters escaped, invalid UTF-8 as
// U+FFFD, and U+2028 and U+2029 escaped for JavaScript.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// writeTiesCompact writes the ties of an open array without indentation,
// each tie at once: the same bytes as the element-by-element writer, at
// a fraction of its calls (the ties are most of a large level's JSON).
func writeTiesCompact(jw *jsonWriter, ts *Ties) {
	for i := range ts.Len() {
		if jw.err != nil {
			return
		}
		e := ts.At(i)
		if math.IsNaN(e.Weight) || math.IsInf(e.Weight, 0) {
			jw.err = &json.UnsupportedValueError{Str: strconv.FormatFloat(e.Weight, 'g', -1, 64)}
			return
		}
		b := jw.scratch[:0]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"source":`...)
		b = appendJSONString(b, e.Source)
		b = append(b, `,"target":`...)
		b = appendJSONString(b, e.Target)
		b = append(b, `,"weight":`...)
		b = appendJSONFloat(b, e.Weight)
		if e.Normalized != nil {
			if x := *e.Normalized; math.IsNaN(x) || math.IsInf(x, 0) {
				jw.err = &json.UnsupportedValueError{Str: strconv.FormatFloat(x, 'g', -1, 64)}
				return
			}
			b = append(b, `,"normalized":`...)
			b = appendJSONFloat(b, *e.Normalized)
		}
		if e.Agreements != 0 {
			b = append(b, `,"agreements":`...)
			b = strconv.AppendInt(b, int64(e.Agreements), 10)
		}
		b = append(b, '}')
		jw.scratch = b
		jw.raw(b)
	}
	if ts.Len() > 0 {
		jw.first = false
	}
}
