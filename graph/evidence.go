package graph

import (
	"fmt"
	"maps"
	"slices"
)

// ParseGrades reads an --evidence value: "" or "any" (every grade), or one
// or more of stated, reported, inferred. The error names the bad value.
func ParseGrades(vals []string) ([]Grade, error) {
	var out []Grade
	for _, v := range vals {
		if v == "" || v == "any" {
			return nil, nil
		}
		g := Grade(v)
		if !g.Valid() {
			return nil, fmt.Errorf("evidence %q: want any, or one or more of %v", v, Grades)
		}
		out = append(out, g)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// WithEvidence returns a copy of d restricted to the facts of the given
// grades (all of d when grades is empty): agreements, relations and
// reported figures of another grade are dropped, and so are counted_in
// links of another grade. Organisations, events, programmes, countries and
// sources stay: an organisation whose identification is inferred is still
// named by the sources, and keeps its stated ties. d is not changed.
func (d *Dataset) WithEvidence(grades []Grade) *Dataset {
	if len(grades) == 0 {
		return d
	}
	keep := func(g Graded) bool { return slices.Contains(grades, g.Grade()) }
	out := NewDataset()
	maps.Copy(out.Organizations, d.Organizations)
	maps.Copy(out.Countries, d.Countries)
	maps.Copy(out.Events, d.Events)
	maps.Copy(out.Programmes, d.Programmes)
	maps.Copy(out.Sources, d.Sources)
	for id, f := range d.Figures {
		if keep(f.Graded) {
			out.Figures[id] = f
		}
	}
	for id, a := range d.Agreements {
		if !keep(a.Graded) {
			continue
		}
		cp := *a
		cp.CountedIn, cp.CountedInGrades = nil, nil
		for _, f := range a.CountedIn {
			if _, ok := out.Figures[f]; ok && keep(a.LinkGrade(f)) {
				cp.CountedIn = append(cp.CountedIn, f)
				if g, ok := a.CountedInGrades[f]; ok {
					if cp.CountedInGrades == nil {
						cp.CountedInGrades = map[string]Graded{}
					}
					cp.CountedInGrades[f] = g
				}
			}
		}
		out.Agreements[id] = &cp
	}
	for k, r := range d.Relations {
		if keep(r.Graded) {
			out.Relations[k] = r
		}
	}
	return out
}

// GradeMix counts the graded facts of d by grade: agreements, relations,
// counted_in links, reported figures and organisation identifications.
type GradeMix struct {
	Agreements, Relations, Links, Figures, Identifications map[Grade]int
}

// GradeMix counts d's facts by evidence grade (an ungraded fact counts as
// stated).
func (d *Dataset) GradeMix() GradeMix {
	m := GradeMix{map[Grade]int{}, map[Grade]int{}, map[Grade]int{}, map[Grade]int{}, map[Grade]int{}}
	for _, a := range d.Agreements {
		m.Agreements[a.Grade()]++
		for _, f := range a.CountedIn {
			m.Links[a.LinkGrade(f).Grade()]++
		}
	}
	for _, r := range d.Relations {
		m.Relations[r.Grade()]++
	}
	for _, f := range d.Figures {
		m.Figures[f.Grade()]++
	}
	for _, o := range d.Organizations {
		m.Identifications[o.Grade()]++
	}
	return m
}
