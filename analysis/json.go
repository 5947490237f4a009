package analysis

import (
	"bytes"
	"encoding/json"
)

// MarshalJSON writes the level with, per node, only the measures it
// computed (named as NodeScore's JSON tags, in output order): a measure
// not asked for is absent, not zero. The graph's modularity and
// communities are likewise written only with the community measure.
func (l Level) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	field := func(first bool, key string, v any) error {
		if !first {
			b.WriteByte(',')
		}
		if err := enc.Encode(key); err != nil {
			return err
		}
		b.Truncate(b.Len() - 1) // Encode's newline
		b.WriteByte(':')
		if err := enc.Encode(v); err != nil {
			return err
		}
		b.Truncate(b.Len() - 1)
		return nil
	}
	ms := l.Measures
	if ms == nil {
		ms = []Measure{}
	}
	b.WriteByte('{')
	if err := field(true, "level", l.Level); err != nil {
		return nil, err
	}
	if err := field(false, "measures", ms); err != nil {
		return nil, err
	}
	if len(l.Sampled) > 0 {
		if err := field(false, "sampled", l.Sampled); err != nil {
			return nil, err
		}
	}
	g := any(l.Graph)
	if !l.Has(Community) {
		g = l.Graph.GraphShape
	}
	if err := field(false, "graph", g); err != nil {
		return nil, err
	}
	b.WriteString(`,"nodes":[`)
	for i := range l.Nodes {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := l.writeNode(&b, field, &l.Nodes[i]); err != nil {
			return nil, err
		}
	}
	b.WriteByte(']')
	edges := l.Edges
	if edges == nil {
		edges = []Tie{}
	}
	if err := field(false, "edges", edges); err != nil {
		return nil, err
	}
	if len(l.Warnings) > 0 {
		if err := field(false, "warnings", l.Warnings); err != nil {
			return nil, err
		}
	}
	if l.Unlocated != 0 {
		if err := field(false, "unlocated", l.Unlocated); err != nil {
			return nil, err
		}
	}
	if l.Normalization != "" {
		if err := field(false, "normalization", l.Normalization); err != nil {
			return nil, err
		}
	}
	if l.Filtered != nil {
		if err := field(false, "filtered", l.Filtered); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (l *Level) writeNode(b *bytes.Buffer, field func(bool, string, any) error, n *NodeScore) error {
	b.WriteByte('{')
	kv := []any{"id", n.ID, "name", n.Name}
	if n.NameEN != "" {
		kv = append(kv, "name_en", n.NameEN)
	}
	kv = append(kv, "country", n.Country)
	for _, m := range l.Measures {
		kv = append(kv, string(m), n.value(m))
	}
	if n.Partners != nil {
		kv = append(kv, "partners", *n.Partners)
	}
	if n.LinkStrength != nil {
		kv = append(kv, "link_strength", *n.LinkStrength)
	}
	if n.Domestic != nil {
		kv = append(kv, "domestic", *n.Domestic)
	}
	if n.InternationalShare != nil {
		kv = append(kv, "international_share", *n.InternationalShare)
	}
	if n.Agreements != nil {
		kv = append(kv, "agreements", *n.Agreements)
	}
	for i := 0; i < len(kv); i += 2 {
		if err := field(i == 0, kv[i].(string), kv[i+1]); err != nil {
			return err
		}
	}
	b.WriteByte('}')
	return nil
}

// value is n's measure m with its JSON type: an integer for degree and
// community, a Score (null when unknown) for closeness and harmonic.
func (n *NodeScore) value(m Measure) any {
	switch m {
	case Degree:
		return n.Degree
	case Community:
		return n.Community
	case Closeness:
		return n.Closeness
	case Harmonic:
		return n.Harmonic
	}
	return m.Value(n)
}
