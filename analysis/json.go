package analysis

import (
	"bytes"
	"encoding/json"
	"math"
)

// jsonWriter writes one JSON object field by field, in the order given
// (encoding/json sorts map keys; the outputs keep the declared order).
type jsonWriter struct {
	b     bytes.Buffer
	enc   *json.Encoder
	first bool
	err   error
}

func newJSONWriter() *jsonWriter {
	w := &jsonWriter{}
	w.enc = json.NewEncoder(&w.b)
	w.enc.SetEscapeHTML(false)
	return w
}

func (w *jsonWriter) open()  { w.b.WriteByte('{'); w.first = true }
func (w *jsonWriter) close() { w.b.WriteByte('}'); w.first = false }

func (w *jsonWriter) value(v any) {
	if w.err != nil {
		return
	}
	if w.err = w.enc.Encode(v); w.err == nil {
		w.b.Truncate(w.b.Len() - 1) // Encode's newline
	}
}

func (w *jsonWriter) field(key string, v any) {
	if !w.first {
		w.b.WriteByte(',')
	}
	w.first = false
	w.value(key)
	w.b.WriteByte(':')
	w.value(v)
}

// MarshalJSON writes the level with, per node, only the measures it
// computed (in output order): a measure not asked for is absent, not
// zero. The graph's modularity and communities are likewise written only
// with the community measure.
func (l Level) MarshalJSON() ([]byte, error) {
	w := newJSONWriter()
	ms := l.Measures
	if ms == nil {
		ms = []Measure{}
	}
	w.open()
	w.field("level", l.Level)
	w.field("measures", ms)
	if len(l.Sampled) > 0 {
		w.field("sampled", l.Sampled)
	}
	if l.Has(Community) {
		w.field("graph", l.Graph)
	} else {
		w.field("graph", l.Graph.GraphShape)
	}
	w.b.WriteString(`,"nodes":[`)
	for i := range l.Nodes {
		if i > 0 {
			w.b.WriteByte(',')
		}
		l.Nodes[i].write(w, ms)
	}
	w.b.WriteByte(']')
	edges := l.Edges
	if edges == nil {
		edges = []Tie{}
	}
	w.field("edges", edges)
	if len(l.Warnings) > 0 {
		w.field("warnings", l.Warnings)
	}
	if l.Unlocated != 0 {
		w.field("unlocated", l.Unlocated)
	}
	if l.Normalization != "" {
		w.field("normalization", l.Normalization)
	}
	if l.Filtered != nil {
		w.field("filtered", l.Filtered)
	}
	w.close()
	return w.b.Bytes(), w.err
}

// MarshalJSON writes the node with the measures it has, in output order.
func (n NodeScore) MarshalJSON() ([]byte, error) {
	var ms []Measure
	for _, d := range registry {
		if _, ok := n.Values[d.Name]; ok {
			ms = append(ms, d.Name)
		}
	}
	w := newJSONWriter()
	n.write(w, ms)
	return w.b.Bytes(), w.err
}

// write writes the node with the measures ms, each with its Kind's JSON
// type: an integer, a number, or null when unknown.
func (n *NodeScore) write(w *jsonWriter, ms []Measure) {
	w.open()
	w.field("id", n.ID)
	w.field("name", n.Name)
	if n.NameEN != "" {
		w.field("name_en", n.NameEN)
	}
	w.field("country", n.Country)
	for _, m := range ms {
		if d := Lookup(m); d != nil {
			w.field(string(m), d.Typed(n))
		} else if v := n.Value(m); !math.IsNaN(v) {
			w.field(string(m), v)
		}
	}
	if n.Partners != nil {
		w.field("partners", *n.Partners)
	}
	if n.LinkStrength != nil {
		w.field("link_strength", *n.LinkStrength)
	}
	if n.Domestic != nil {
		w.field("domestic", *n.Domestic)
	}
	if n.InternationalShare != nil {
		w.field("international_share", *n.InternationalShare)
	}
	if n.Agreements != nil {
		w.field("agreements", *n.Agreements)
	}
	if n.AvgYear != nil {
		w.field("avg_year", *n.AvgYear)
	}
	if n.Kind != "" {
		w.field("kind", n.Kind)
	}
	w.close()
}
