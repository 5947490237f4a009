package graph

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The mapping between the model and the property graph is declared once,
// in struct tags of the model's types, and both directions derive from it:
// View (model → property graph, what Neo4j stores and the full export
// writes) and FromView (property graph → model, the read-back from Neo4j).
// Adding a field to the model is adding it with its tag.
//
//	pg:"key"              the field is the node property (or edge property) "key"
//	pg:"key,omitzero"     ... left out when zero (numbers; empty strings and
//	                      lists are always left out)
//	pg:"key,json"         ... held as one JSON text (a list of citations)
//	pg:"-,end"            in an edge's element type: the other end's key
//	pg:"-"                not a property: an edge (edge tag) or derived
//	edge:"TYPE Label"     the field's value(s) are the keys of nodes of
//	                      Label this node has TYPE edges to; "Label1|Label2"
//	                      when the end may be either (the first that holds
//	                      the key); ",in" when the edges point at this node
//	edgeprops:"Field"     the edge's properties come from Field, a map from
//	                      the other end's key to a struct of pg fields
//
// A field of a string kind, []string, []int, float64, bool or int is a
// property; a []struct field with an edge tag is one edge per element
// (its pg:"-,end" field the other end, its other pg fields the edge's
// properties); an embedded struct's fields are the element's own. The
// round-trip test (mapping_test.go) fills every field of every model type
// and fails on a field without a mapping.

// nodeKind maps one model type to its node label.
type nodeKind struct {
	label  string
	typ    reflect.Type
	fields []pgField
	// each yields the elements, sorted by key, as pointers.
	each func(d *Dataset, yield func(any) bool)
	// get finds an element by key (nil if none); put adds one.
	get func(d *Dataset, key string) any
	put func(d *Dataset, key string, x any)
	// labels are the node's labels beyond the primary one.
	labels func(x any) []string
	// derived are properties computed from the element, written and not read.
	derived func(x any) []Prop
}

// pgField is one mapped field.
type pgField struct {
	index     []int  // reflect field index (embedded structs flattened)
	name      string // Go name, for messages
	prop      string // property key; "" when not a property
	key       bool   // the node's key property
	omitZero  bool
	asJSON    bool
	end       bool   // an edge element's other end
	edgeType  string // the field is edges of this type
	edgeTo    []string
	in        bool
	edgeProps []int // index of the map field giving the edges' properties
	elem      []pgField
}

var (
	kindsOnce sync.Once
	kinds     []*nodeKind
	relFields []pgField
)

func kindOf[T any](label string, m func(*Dataset) map[string]*T) *nodeKind {
	k := &nodeKind{label: label, typ: reflect.TypeFor[T]()}
	k.fields = pgFields(k.typ)
	k.each = func(d *Dataset, yield func(any) bool) {
		for _, x := range sorted(m(d)) {
			if !yield(x) {
				return
			}
		}
	}
	k.get = func(d *Dataset, key string) any {
		if x, ok := m(d)[key]; ok {
			return x
		}
		return nil
	}
	k.put = func(d *Dataset, key string, x any) { m(d)[key] = x.(*T) }
	return k
}

// mapping returns the declared node kinds, in the order View yields them.
func mapping() []*nodeKind {
	kindsOnce.Do(func() {
		org := kindOf(LabelOrganization, func(d *Dataset) map[string]*Organization { return d.Organizations })
		org.labels = func(x any) []string {
			if l := x.(*Organization).Kind.Label(); l != "" {
				return []string{l}
			}
			return nil
		}
		ag := kindOf(LabelAgreement, func(d *Dataset) map[string]*Agreement { return d.Agreements })
		ag.derived = func(x any) []Prop { return []Prop{{"parties", int64(len(x.(*Agreement).Parties))}} }
		kinds = []*nodeKind{
			org,
			kindOf(LabelCountry, func(d *Dataset) map[string]*Country { return d.Countries }),
			kindOf(LabelEvent, func(d *Dataset) map[string]*Event { return d.Events }),
			kindOf(LabelProgramme, func(d *Dataset) map[string]*Programme { return d.Programmes }),
			ag,
			kindOf(LabelSource, func(d *Dataset) map[string]*Source { return d.Sources }),
			kindOf(LabelReportedFigure, func(d *Dataset) map[string]*ReportedFigure { return d.Figures }),
		}
		relFields = pgFields(reflect.TypeFor[Relation]())
	})
	return kinds
}

func kindByLabel(label string) *nodeKind {
	for _, k := range mapping() {
		if k.label == label {
			return k
		}
	}
	return nil
}

// pgFields reads the tags of a struct type; a field without a pg tag is a
// programming error caught at the first use (and by the round-trip test).
func pgFields(t reflect.Type) []pgField {
	var out []pgField
	for i := range t.NumField() {
		sf := t.Field(i)
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct {
			for _, f := range pgFields(sf.Type) {
				f.index = append([]int{i}, f.index...)
				out = append(out, f)
			}
			continue
		}
		tag, ok := sf.Tag.Lookup("pg")
		if !ok {
			panic(fmt.Sprintf("graph: %s.%s has no pg tag: declare how it maps to the property graph (graph/mapping.go)", t.Name(), sf.Name))
		}
		name, opts, _ := strings.Cut(tag, ",")
		f := pgField{index: []int{i}, name: sf.Name}
		if name != "-" {
			f.prop = name
		}
		for _, o := range strings.Split(opts, ",") {
			switch o {
			case "key":
				f.key = true
			case "omitzero":
				f.omitZero = true
			case "json":
				f.asJSON = true
			case "end":
				f.end = true
			}
		}
		if e, ok := sf.Tag.Lookup("edge"); ok {
			spec, dir, _ := strings.Cut(e, ",")
			typ, to, _ := strings.Cut(spec, " ")
			f.edgeType, f.edgeTo, f.in = typ, strings.Split(to, "|"), dir == "in"
			if sf.Type.Kind() == reflect.Slice && sf.Type.Elem().Kind() == reflect.Struct {
				f.elem = pgFields(sf.Type.Elem())
			}
		}
		if ep, ok := sf.Tag.Lookup("edgeprops"); ok {
			mf, found := t.FieldByName(ep)
			if !found {
				panic(fmt.Sprintf("graph: %s.%s: edgeprops field %s does not exist", t.Name(), sf.Name, ep))
			}
			f.edgeProps = mf.Index
		}
		out = append(out, f)
	}
	return out
}

// encode is the property value of a field (nil: absent).
func (f *pgField) encode(v reflect.Value) any {
	if f.asJSON {
		if v.Len() == 0 {
			return nil
		}
		b, err := json.Marshal(v.Interface())
		if err != nil {
			return nil // the model's types always marshal
		}
		return string(b)
	}
	switch v.Kind() {
	case reflect.String:
		if v.String() == "" {
			return nil
		}
		return v.String()
	case reflect.Slice:
		if v.Len() == 0 {
			return nil
		}
		out := make([]string, v.Len())
		for i := range out {
			if e := v.Index(i); e.Kind() == reflect.Int {
				out[i] = strconv.FormatInt(e.Int(), 10) // paragraph numbers, kept as text
			} else {
				out[i] = e.String()
			}
		}
		return out
	case reflect.Float64:
		if f.omitZero && v.Float() == 0 {
			return nil
		}
		return v.Float()
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int64:
		if f.omitZero && v.Int() == 0 {
			return nil
		}
		return v.Int()
	}
	panic(fmt.Sprintf("graph: field %s of kind %s has no property mapping", f.name, v.Kind()))
}

// decode sets a field from its property value (absent: zero).
func (f *pgField) decode(v reflect.Value, x any) error {
	if x == nil {
		return nil
	}
	if f.asJSON {
		s, _ := x.(string)
		if err := json.Unmarshal([]byte(s), v.Addr().Interface()); err != nil {
			return fmt.Errorf("property %s: %w", f.prop, err)
		}
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		s, ok := x.(string)
		if !ok {
			return fmt.Errorf("property %s: %T, want a string", f.prop, x)
		}
		v.SetString(s)
	case reflect.Slice:
		var ss []string
		switch l := x.(type) {
		case []string:
			ss = l
		case []any: // as the driver returns lists
			for _, e := range l {
				s, ok := e.(string)
				if !ok {
					return fmt.Errorf("property %s: an element %T, want strings", f.prop, e)
				}
				ss = append(ss, s)
			}
		default:
			return fmt.Errorf("property %s: %T, want a list of strings", f.prop, x)
		}
		out := reflect.MakeSlice(v.Type(), len(ss), len(ss))
		for i, s := range ss {
			if out.Index(i).Kind() == reflect.Int {
				n, err := strconv.Atoi(s)
				if err != nil {
					return fmt.Errorf("property %s: %q: %w", f.prop, s, err)
				}
				out.Index(i).SetInt(int64(n))
			} else {
				out.Index(i).SetString(s)
			}
		}
		v.Set(out)
	case reflect.Float64:
		switch n := x.(type) {
		case float64:
			v.SetFloat(n)
		case int64:
			v.SetFloat(float64(n))
		default:
			return fmt.Errorf("property %s: %T, want a number", f.prop, x)
		}
	case reflect.Bool:
		b, ok := x.(bool)
		if !ok {
			return fmt.Errorf("property %s: %T, want a boolean", f.prop, x)
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, ok := x.(int64)
		if !ok {
			return fmt.Errorf("property %s: %T, want an integer", f.prop, x)
		}
		v.SetInt(n)
	}
	return nil
}

// propsOf are the properties of a struct value's pg fields.
func propsOf(v reflect.Value, fields []pgField) []Prop {
	var out []Prop
	for i := range fields {
		f := &fields[i]
		if f.prop == "" || f.end {
			continue
		}
		if x := f.encode(v.FieldByIndex(f.index)); x != nil {
			out = append(out, Prop{f.prop, x})
		}
	}
	return out
}

// setProps sets a struct value's pg fields from properties.
func setProps(v reflect.Value, fields []pgField, ps []Prop) error {
	for i := range fields {
		f := &fields[i]
		if f.prop == "" || f.end {
			continue
		}
		if err := f.decode(v.FieldByIndex(f.index), Get(ps, f.prop)); err != nil {
			return err
		}
	}
	return nil
}

func (k *nodeKind) key(v reflect.Value) string {
	for i := range k.fields {
		if k.fields[i].key {
			return v.FieldByIndex(k.fields[i].index).String()
		}
	}
	panic("graph: " + k.label + " has no key field")
}

// node is the property-graph node of element x.
func (k *nodeKind) node(x any) PropNode {
	v := reflect.ValueOf(x).Elem()
	labels := []string{k.label}
	if k.labels != nil {
		labels = append(labels, k.labels(x)...)
	}
	ps := propsOf(v, k.fields)
	if k.derived != nil {
		ps = append(ps, k.derived(x)...)
	}
	key := k.key(v)
	// The display names in both languages (Caption), derived like the
	// party count: Neo4j Browser's style sheet captions every node by one
	// property, and cannot fall back from one to another.
	ps = append(ps, Prop{"caption", Caption(LangZH, k.label, key, ps)}, Prop{"caption_en", Caption(LangEN, k.label, key, ps)})
	return PropNode{NodeID(k.label, key), labels, ps}
}

// endLabel is the label of the node an edge of f reaches with key: the
// first of f's labels whose kind holds the key, else the first.
func endLabel(d *Dataset, f *pgField, key string) string {
	for _, l := range f.edgeTo {
		if kindByLabel(l).get(d, key) != nil {
			return l
		}
	}
	return f.edgeTo[0]
}

// edges yields the edges element x's fields declare, in field order.
func (k *nodeKind) edges(d *Dataset, x any, emit func(from, to NodeRef, typ string, ps []Prop) bool) bool {
	v := reflect.ValueOf(x).Elem()
	self := NodeRef{k.label, k.key(v)}
	for i := range k.fields {
		f := &k.fields[i]
		if f.edgeType == "" {
			continue
		}
		one := func(other string, ps []Prop) bool {
			o := NodeRef{endLabel(d, f, other), other}
			if f.in {
				return emit(o, self, f.edgeType, ps)
			}
			return emit(self, o, f.edgeType, ps)
		}
		fv := v.FieldByIndex(f.index)
		switch {
		case fv.Kind() == reflect.String:
			if fv.String() != "" && !one(fv.String(), nil) {
				return false
			}
		case f.elem != nil:
			for j := range fv.Len() {
				e := fv.Index(j)
				end := ""
				for _, ef := range f.elem {
					if ef.end {
						end = e.FieldByIndex(ef.index).String()
					}
				}
				if !one(end, propsOf(e, f.elem)) {
					return false
				}
			}
		default: // []string
			var m reflect.Value
			if f.edgeProps != nil {
				m = v.FieldByIndex(f.edgeProps)
			}
			for j := range fv.Len() {
				other := fv.Index(j).String()
				var ps []Prop
				if m.IsValid() {
					if pv := m.MapIndex(reflect.ValueOf(other)); pv.IsValid() {
						ps = propsOf(pv, pgFields(pv.Type()))
					}
				}
				if !one(other, ps) {
					return false
				}
			}
		}
	}
	return true
}

// setEdge records edge e on the element it belongs to, by the field that
// declares it; false when no field declares an edge of its type between
// its ends' labels.
func setEdge(d *Dataset, e PropEdge) (bool, error) {
	for _, k := range mapping() {
		for i := range k.fields {
			f := &k.fields[i]
			if f.edgeType != e.Type {
				continue
			}
			self, other := e.FromNode, e.ToNode
			if f.in {
				self, other = other, self
			}
			if self.Label != k.label || !slices.Contains(f.edgeTo, other.Label) {
				continue
			}
			x := k.get(d, self.Key)
			if x == nil {
				return true, fmt.Errorf("edge %s %s-[:%s]->%s: no such node", e.ID, e.From, e.Type, e.To)
			}
			v := reflect.ValueOf(x).Elem()
			fv := v.FieldByIndex(f.index)
			switch {
			case fv.Kind() == reflect.String:
				fv.SetString(other.Key)
			case f.elem != nil:
				el := reflect.New(fv.Type().Elem()).Elem()
				for _, ef := range f.elem {
					if ef.end {
						el.FieldByIndex(ef.index).SetString(other.Key)
					}
				}
				if err := setProps(el, f.elem, e.Props); err != nil {
					return true, fmt.Errorf("edge %s: %w", e.ID, err)
				}
				fv.Set(reflect.Append(fv, el))
			default:
				fv.Set(reflect.Append(fv, reflect.ValueOf(other.Key).Convert(fv.Type().Elem())))
				if f.edgeProps != nil && len(e.Props) > 0 {
					m := v.FieldByIndex(f.edgeProps)
					pv := reflect.New(m.Type().Elem()).Elem()
					if err := setProps(pv, pgFields(pv.Type()), e.Props); err != nil {
						return true, fmt.Errorf("edge %s: %w", e.ID, err)
					}
					if m.IsNil() {
						m.Set(reflect.MakeMap(m.Type()))
					}
					m.SetMapIndex(reflect.ValueOf(other.Key), pv)
				}
			}
			return true, nil
		}
	}
	return false, nil
}

// relationEdge is the edge of a Relation: its type from RelationTypes, its
// end a programme when the key names one and no organisation.
func relationEdge(d *Dataset, r *Relation) (from, to NodeRef, typ string, ps []Prop) {
	toLabel := LabelOrganization
	if _, ok := d.Programmes[r.To]; ok && d.Organizations[r.To] == nil {
		toLabel = LabelProgramme // a park holding a programme's title
	}
	return NodeRef{LabelOrganization, r.From}, NodeRef{toLabel, r.To}, RelationTypes[r.Type], propsOf(reflect.ValueOf(r).Elem(), relFields)
}

// relationFrom reads a Relation back from its edge (one with a "relation"
// property).
func relationFrom(e PropEdge) (*Relation, error) {
	r := &Relation{From: e.FromNode.Key, To: e.ToNode.Key}
	if err := setProps(reflect.ValueOf(r).Elem(), relFields, e.Props); err != nil {
		return nil, fmt.Errorf("edge %s: %w", e.ID, err)
	}
	return r, nil
}
