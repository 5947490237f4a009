package graph

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// FromView rebuilds a dataset from its property-graph view: the inverse of
// NewView, used to read the graph back from Neo4j. Edges name their ends by
// FromNode and ToNode. Derived elements
// (PARTNER_OF ties, the agreements' party counts) are ignored.
func FromView(g PropGraph) (*Dataset, error) {
	d := NewDataset()
	var err error
	fail := func(e error) bool { err = e; return false }
	g.Nodes(func(n PropNode) bool {
		if len(n.Labels) == 0 {
			return fail(fmt.Errorf("node %s has no label", n.ID))
		}
		p := n.Props
		switch n.Labels[0] {
		case LabelOrganization:
			o := &Organization{ID: str(p, "id"), Name: str(p, "name"), NameEN: str(p, "name_en"),
				Aliases: strs(p, "aliases"), Kind: OrgKind(str(p, "kind")), Country: str(p, "country"), City: str(p, "city"),
				Graded: graded(p)}
			d.Organizations[o.ID] = o
		case LabelCountry:
			c := &Country{Code: str(p, "code"), NameEN: str(p, "name"), NameZH: str(p, "name_zh")}
			d.Countries[c.Code] = c
		case LabelEvent:
			e := &Event{ID: str(p, "id"), Name: str(p, "name"), NameEN: str(p, "name_en"), Start: str(p, "start"),
				End: str(p, "end"), City: str(p, "city"), Country: str(p, "country"), Venue: str(p, "venue")}
			d.Events[e.ID] = e
		case LabelProgramme:
			pr := &Programme{ID: str(p, "id"), Name: str(p, "name"), NameEN: str(p, "name_en"), LaunchedAt: str(p, "launched_at")}
			d.Programmes[pr.ID] = pr
		case LabelAgreement:
			a := &Agreement{ID: str(p, "id"), Title: str(p, "name"), Type: str(p, "type"), Date: str(p, "date"), Fields: strs(p, "fields"),
				Graded: graded(p)}
			d.Agreements[a.ID] = a
		case LabelSource:
			s := &Source{ID: str(p, "id"), Title: str(p, "name"), File: str(p, "file"), Publisher: str(p, "publisher"),
				Author: str(p, "author"), Date: str(p, "date"), URL: str(p, "url"), Script: str(p, "script")}
			d.Sources[s.ID] = s
		case LabelReportedFigure:
			f := &ReportedFigure{ID: str(p, "id"), Value: float(p, "value"), Unit: str(p, "unit"), Counts: str(p, "name"),
				Coverage: Get(p, "coverage") == true, CountsZH: str(p, "name_zh"), Countries: strs(p, "countries"), Graded: graded(p)}
			d.Figures[f.ID] = f
		default:
			return fail(fmt.Errorf("node %s: unknown label %s", n.ID, n.Labels[0]))
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	g.Edges(func(e PropEdge) bool {
		if err = d.addEdge(e, e.FromNode.Label, e.FromNode.Key, e.ToNode.Label, e.ToNode.Key); err != nil {
			return false
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	d.Canonicalize()
	return d, nil
}

func (d *Dataset) addEdge(e PropEdge, fl, from, tl, to string) error {
	bad := func() error { return fmt.Errorf("edge %s %s-[:%s]->%s: no such node", e.ID, e.From, e.Type, e.To) }
	switch e.Type {
	case RelSourcedFrom:
		c := Citation{Source: to, Locators: strs(e.Props, "locators")}
		for _, s := range strs(e.Props, "paragraphs") {
			n, err := strconv.Atoi(s)
			if err != nil {
				return fmt.Errorf("edge %s: paragraph %q: %w", e.ID, s, err)
			}
			c.Paragraphs = append(c.Paragraphs, n)
		}
		switch fl {
		case LabelOrganization:
			if o := d.Organizations[from]; o != nil {
				o.Sources = append(o.Sources, c)
				return nil
			}
		case LabelEvent:
			if x := d.Events[from]; x != nil {
				x.Sources = append(x.Sources, c)
				return nil
			}
		case LabelProgramme:
			if x := d.Programmes[from]; x != nil {
				x.Sources = append(x.Sources, c)
				return nil
			}
		case LabelAgreement:
			if x := d.Agreements[from]; x != nil {
				x.Sources = append(x.Sources, c)
				return nil
			}
		case LabelReportedFigure:
			if x := d.Figures[from]; x != nil {
				x.Sources = append(x.Sources, c)
				return nil
			}
		}
		return bad()
	case RelPartyTo:
		a := d.Agreements[to]
		if a == nil {
			return bad()
		}
		a.Parties = append(a.Parties, Party{Org: from, Role: str(e.Props, "role"), Contribution: float(e.Props, "contribution")})
	case RelSignedAt:
		if a := d.Agreements[from]; a != nil {
			a.Event = to
			return nil
		}
		return bad()
	case RelUnder:
		if a := d.Agreements[from]; a != nil {
			a.Programme = to
			return nil
		}
		return bad()
	case RelCountedIn:
		if a := d.Agreements[from]; a != nil {
			a.CountedIn = append(a.CountedIn, to)
			if g := graded(e.Props); g.Evidence != "" {
				if a.CountedInGrades == nil {
					a.CountedInGrades = map[string]Graded{}
				}
				a.CountedInGrades[to] = g
			}
			return nil
		}
		return bad()
	case RelAbout:
		if f := d.Figures[from]; f != nil {
			f.About = to
			return nil
		}
		return bad()
	case RelOrganized:
		if tl == LabelEvent && d.Events[to] != nil {
			d.Events[to].Organizers = append(d.Events[to].Organizers, from)
			return nil
		}
		if tl == LabelProgramme && d.Programmes[to] != nil {
			d.Programmes[to].Organizers = append(d.Programmes[to].Organizers, from)
			return nil
		}
		return bad()
	case RelHeldIn, RelLocatedIn, RelPartnerOf:
		// Countries are node properties too; partnerships are derived.
	case RelPartOf, RelVisited, RelTenantOf, RelMemberOf:
		if rt := str(e.Props, "relation"); rt != "" {
			r := &Relation{Type: rt, From: from, To: to, Date: str(e.Props, "date"), Graded: graded(e.Props)}
			if s := str(e.Props, "sources"); s != "" {
				if err := json.Unmarshal([]byte(s), &r.Sources); err != nil {
					return fmt.Errorf("edge %s: sources: %w", e.ID, err)
				}
			}
			d.Relations[r.Key()] = r
			return nil
		}
		if fl == LabelOrganization && d.Organizations[from] != nil {
			d.Organizations[from].PartOf = to
			return nil
		}
		if fl == LabelEvent && d.Events[from] != nil {
			d.Events[from].PartOf = to
			return nil
		}
		return bad()
	default:
		return fmt.Errorf("edge %s: unknown relationship type %s", e.ID, e.Type)
	}
	return nil
}

func graded(p []Prop) Graded {
	return Graded{Evidence: Grade(str(p, "evidence")), Reason: str(p, "reason")}
}

func str(p []Prop, k string) string {
	s, _ := Get(p, k).(string)
	return s
}

// strs reads a list property, as []string or as the []any the driver returns.
func strs(p []Prop, k string) []string {
	switch v := Get(p, k).(type) {
	case []string:
		return v
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			s, _ := x.(string)
			out = append(out, s)
		}
		return out
	}
	return nil
}

func float(p []Prop, k string) float64 {
	switch v := Get(p, k).(type) {
	case float64:
		return v
	case int64:
		return float64(v)
	}
	return 0
}
