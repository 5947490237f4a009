package graph

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
)

// filled is a dataset in which every field of every model type is set
// (by reflection, so a field added to the model is filled too), with
// references that point at elements of the right kind: two elements of
// each kind, two relations.
func filled(t *testing.T) *Dataset {
	t.Helper()
	d := NewDataset()
	keyOf := func(label string, i int) string {
		if label == LabelCountry {
			return []string{"AA", "BB"}[i]
		}
		return fmt.Sprintf("%s-%d", label, i+1)
	}
	var fill func(v reflect.Value, fields []pgField, label, owner string, i int)
	fill = func(v reflect.Value, fields []pgField, label, owner string, i int) {
		for _, f := range fields {
			fv := v.FieldByIndex(f.index)
			tag := fmt.Sprintf("%s.%s.%d", owner, f.name, i)
			switch {
			case f.key:
				fv.SetString(keyOf(label, i))
			case f.end:
				// set by the caller
			case f.edgeType != "" && fv.Kind() == reflect.String:
				fv.SetString(keyOf(f.edgeTo[i%len(f.edgeTo)], 1-i))
			case f.edgeType != "" && f.elem != nil:
				s := reflect.MakeSlice(fv.Type(), 2, 2)
				for j := range 2 {
					el := s.Index(j)
					for _, ef := range f.elem {
						if ef.end {
							el.FieldByIndex(ef.index).SetString(keyOf(f.edgeTo[0], j))
						}
					}
					fill(el, f.elem, "", owner+"."+f.name, j)
				}
				fv.Set(s)
			case f.edgeType != "":
				keys := []string{keyOf(f.edgeTo[0], 0), keyOf(f.edgeTo[0], 1)}
				fv.Set(reflect.ValueOf(keys).Convert(fv.Type()))
				if f.edgeProps != nil {
					m := v.FieldByIndex(f.edgeProps)
					m.Set(reflect.MakeMap(m.Type()))
					for j, k := range keys {
						pv := reflect.New(m.Type().Elem()).Elem()
						fill(pv, pgFields(pv.Type()), "", owner+"."+f.name, j)
						m.SetMapIndex(reflect.ValueOf(k), pv)
					}
				}
			case f.prop == "":
				// edgeprops maps, filled with their edges
			case fv.Kind() == reflect.String:
				fv.SetString(tag)
			case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.Int:
				fv.Set(reflect.ValueOf([]int{i + 1, i + 3}))
			case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.String:
				fv.Set(reflect.ValueOf([]string{tag + "a", tag + "b"}).Convert(fv.Type()))
			case fv.Kind() == reflect.Slice && f.asJSON:
				// a list of citations (Relation.Sources)
				s := reflect.MakeSlice(fv.Type(), 1, 1)
				fill(s.Index(0), pgFields(fv.Type().Elem()), "", owner+"."+f.name, i)
				s.Index(0).FieldByName("Source").SetString(keyOf(LabelSource, i))
				fv.Set(s)
			case fv.Kind() == reflect.Float64:
				fv.SetFloat(1.5 + float64(i))
			case fv.Kind() == reflect.Bool:
				fv.SetBool(true)
			case fv.Kind() == reflect.Int || fv.Kind() == reflect.Int64:
				fv.SetInt(int64(i + 7))
			default:
				t.Fatalf("%s.%s: the test cannot fill a %s: teach it", owner, f.name, fv.Type())
			}
		}
	}
	for _, k := range mapping() {
		for i := range 2 {
			x := reflect.New(k.typ)
			fill(x.Elem(), k.fields, k.label, k.typ.Name(), i)
			k.put(d, keyOf(k.label, i), x.Interface())
		}
	}
	// A valid kind, so that the extra label is exercised.
	d.Organizations[keyOf(LabelOrganization, 0)].Kind = KindUniversity
	for i, typ := range []string{"visited", "member_of"} {
		r := &Relation{}
		fill(reflect.ValueOf(r).Elem(), relFields, "", "Relation", i)
		r.Type, r.From, r.To = typ, keyOf(LabelOrganization, 0), keyOf(LabelOrganization, 1)
		if typ == "member_of" {
			r.To = keyOf(LabelProgramme, 0) // a park holding a programme's title
		}
		d.Relations[r.Key()] = r
	}
	d.Canonicalize()
	return d
}

// noZeroField fails for a field left at its zero value anywhere in v.
func noZeroField(t *testing.T, path string, v reflect.Value) {
	t.Helper()
	switch v.Kind() {
	case reflect.Pointer:
		noZeroField(t, path, v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			noZeroField(t, path+"."+v.Type().Field(i).Name, v.Field(i))
		}
	case reflect.Map:
		if v.Len() == 0 {
			t.Errorf("%s is empty", path)
		}
		for _, k := range v.MapKeys() {
			noZeroField(t, fmt.Sprintf("%s[%v]", path, k), v.MapIndex(k))
		}
	case reflect.Slice:
		if v.Len() == 0 {
			t.Errorf("%s is empty", path)
		}
		for i := range v.Len() {
			noZeroField(t, fmt.Sprintf("%s[%d]", path, i), v.Index(i))
		}
	default:
		if v.IsZero() {
			t.Errorf("%s is zero", path)
		}
	}
}

// Every field of every model type survives the property graph: a dataset
// with all of them set (filled, by reflection) reads back from its View
// equal. A field added to the model without its tag panics in pgFields;
// one with a tag the View does not write or FromView does not read fails
// here.
func TestViewRoundTripEveryField(t *testing.T) {
	d := filled(t)
	noZeroField(t, "Dataset", reflect.ValueOf(d))
	back, err := FromView(NewView(d))
	if err != nil {
		t.Fatal(err)
	}
	dv, bv := reflect.ValueOf(d).Elem(), reflect.ValueOf(back).Elem()
	for i := range dv.NumField() {
		m, bm := dv.Field(i), bv.Field(i)
		for _, k := range m.MapKeys() {
			if got, want := bm.MapIndex(k), m.MapIndex(k); !got.IsValid() || !reflect.DeepEqual(got.Interface(), want.Interface()) {
				var g any
				if got.IsValid() {
					g = got.Elem().Interface()
				}
				t.Errorf("%s[%v] after the round trip:\n%+v\nwant\n%+v", dv.Type().Field(i).Name, k, g, want.Elem().Interface())
			}
		}
		if bm.Len() != m.Len() {
			t.Errorf("%s: %d after the round trip, want %d", dv.Type().Field(i).Name, bm.Len(), m.Len())
		}
	}
}

// The edge and node labels of the mapping are the package's constants.
func TestMappingUsesDeclaredNames(t *testing.T) {
	rels := []string{RelLocatedIn, RelPartOf, RelPartyTo, RelSignedAt, RelUnder, RelCountedIn, RelAbout, RelHeldIn, RelOrganized, RelSourcedFrom}
	for _, k := range mapping() {
		if !slices.Contains(NodeLabels, k.label) {
			t.Errorf("label %s is not in NodeLabels", k.label)
		}
		for _, f := range k.fields {
			if f.edgeType == "" {
				continue
			}
			if !slices.Contains(rels, f.edgeType) {
				t.Errorf("%s.%s: edge type %q is not a Rel constant", k.label, f.name, f.edgeType)
			}
			for _, l := range f.edgeTo {
				if kindByLabel(l) == nil {
					t.Errorf("%s.%s: edge to %q, which is no node kind", k.label, f.name, l)
				}
			}
		}
	}
}
