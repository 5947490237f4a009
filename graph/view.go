package graph

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"sync"

	"github.com/collabnet/collabnet/internal/projection"
)

// NodeID is the property-graph ID of an element: its label and key, so that
// keys of different kinds (an organisation "CN" and the country CN) never
// collide in one graph file.
func NodeID(label, key string) string { return label + ":" + key }

// View is the property-graph view of a dataset, as Neo4j stores it and as
// the full GraphML export writes it. It is re-iterable and deterministic;
// Edges yields the derived PARTNER_OF ties last.
type View struct {
	ds *Dataset
	// partners are the PARTNER_OF ties, derived on the first pass of Edges
	// that reaches them: organisation pairs that share agreements, with how
	// many. The Neo4j store counts them in the database instead.
	partnersOnce sync.Once
	partners     []Partnership
}

// Partnership is a PARTNER_OF tie: two organisations (A < B) that are parties
// to the same agreements.
type Partnership struct {
	A, B       string
	Agreements int
}

// Partnerships derives the PARTNER_OF ties of the dataset's agreements,
// sorted by (A, B): every pair of distinct organisations party to the same
// agreements, with how many they share (an organisation named twice in
// one agreement counts once). The derivation is internal/projection's,
// which the analytics organisation network (analytics.ProjectGroups over
// PartyGroups) shares.
func (d *Dataset) Partnerships() []Partnership {
	groups := d.PartyGroups()
	ids := map[string]int32{}
	for _, g := range groups {
		for _, id := range g {
			ids[id] = 0
		}
	}
	sorted := slices.Sorted(maps.Keys(ids))
	for i, id := range sorted {
		ids[id] = int32(i)
	}
	members := make([][]int32, len(groups))
	for k, g := range groups {
		members[k] = make([]int32, len(g))
		for x, id := range g {
			members[k][x] = ids[id]
		}
	}
	up := projection.Project(len(sorted), members, func(int) float64 { return 1 })
	out := make([]Partnership, 0, len(up.Adj))
	for i := range sorted {
		for k := up.Off[i]; k < up.Off[i+1]; k++ {
			out = append(out, Partnership{sorted[i], sorted[up.Adj[k]], int(up.W[k])})
		}
	}
	return out
}

// NewView returns the property-graph view of ds.
func NewView(ds *Dataset) *View { return &View{ds: ds} }

// props drops empty values so that absent facts stay absent in every store.
func props(kv ...any) []Prop {
	var out []Prop
	for i := 0; i+1 < len(kv); i += 2 {
		k := kv[i].(string)
		switch v := kv[i+1].(type) {
		case string:
			if v != "" {
				out = append(out, Prop{k, v})
			}
		case []string:
			if len(v) > 0 {
				out = append(out, Prop{k, v})
			}
		case int:
			out = append(out, Prop{k, int64(v)})
		case float64:
			out = append(out, Prop{k, v})
		case bool:
			out = append(out, Prop{k, v})
		}
	}
	return out
}

// citationsJSON keeps an element's citations as one property.
func citationsJSON(cs []Citation) string {
	if len(cs) == 0 {
		return ""
	}
	b, _ := json.Marshal(cs)
	return string(b)
}

// withCaptions adds the node's display names (Caption) in both
// languages, "caption" (LangZH) and "caption_en", so that Neo4j Browser,
// whose style sheet cannot fall back from one property to another, has
// one property to caption every node by.
func withCaptions(label, key string, ps []Prop) []Prop {
	return append(ps, Prop{"caption", Caption(LangZH, label, key, ps)}, Prop{"caption_en", Caption(LangEN, label, key, ps)})
}

func (v *View) Nodes(yield func(PropNode) bool) {
	d := v.ds
	for _, o := range d.SortedOrganizations() {
		labels := []string{LabelOrganization}
		if l := o.Kind.Label(); l != "" {
			labels = append(labels, l)
		}
		if !yield(PropNode{NodeID(LabelOrganization, o.ID), labels, withCaptions(LabelOrganization, o.ID, props("id", o.ID, "name", o.Name,
			"name_en", o.NameEN, "aliases", o.Aliases, "kind", string(o.Kind), "country", o.Country, "city", o.City,
			"evidence", string(o.Evidence), "reason", o.Reason))}) {
			return
		}
	}
	for _, c := range d.SortedCountries() {
		if !yield(PropNode{NodeID(LabelCountry, c.Code), []string{LabelCountry},
			withCaptions(LabelCountry, c.Code, props("code", c.Code, "name", c.NameEN, "name_zh", c.NameZH))}) {
			return
		}
	}
	for _, e := range d.SortedEvents() {
		if !yield(PropNode{NodeID(LabelEvent, e.ID), []string{LabelEvent}, withCaptions(LabelEvent, e.ID, props("id", e.ID, "name", e.Name,
			"name_en", e.NameEN, "start", e.Start, "end", e.End, "city", e.City, "country", e.Country, "venue", e.Venue))}) {
			return
		}
	}
	for _, p := range d.SortedProgrammes() {
		if !yield(PropNode{NodeID(LabelProgramme, p.ID), []string{LabelProgramme},
			withCaptions(LabelProgramme, p.ID, props("id", p.ID, "name", p.Name, "name_en", p.NameEN, "launched_at", p.LaunchedAt))}) {
			return
		}
	}
	for _, a := range d.SortedAgreements() {
		if !yield(PropNode{NodeID(LabelAgreement, a.ID), []string{LabelAgreement}, withCaptions(LabelAgreement, a.ID, props("id", a.ID,
			"name", a.Title, "type", a.Type, "date", a.Date, "fields", a.Fields, "parties", len(a.Parties),
			"evidence", string(a.Evidence), "reason", a.Reason))}) {
			return
		}
	}
	for _, s := range d.SortedSources() {
		if !yield(PropNode{NodeID(LabelSource, s.ID), []string{LabelSource}, withCaptions(LabelSource, s.ID, props("id", s.ID, "name", s.Title,
			"file", s.File, "publisher", s.Publisher, "author", s.Author, "date", s.Date, "url", s.URL, "script", s.Script))}) {
			return
		}
	}
	for _, f := range d.SortedFigures() {
		if !yield(PropNode{NodeID(LabelReportedFigure, f.ID), []string{LabelReportedFigure}, withCaptions(LabelReportedFigure, f.ID, props("id", f.ID,
			"value", f.Value, "unit", f.Unit, "name", f.Counts, "coverage", f.Coverage, "name_zh", f.CountsZH,
			"countries", f.Countries, "evidence", string(f.Evidence), "reason", f.Reason))}) {
			return
		}
	}
}

// Edges yields every edge, the derived PARTNER_OF ties last.
func (v *View) Edges(yield func(PropEdge) bool) { v.edges(yield, true) }

// EdgesExceptPartners yields the edges the dataset states, without the
// derived PARTNER_OF ties (the Neo4j store counts those in the database).
func (v *View) EdgesExceptPartners(yield func(PropEdge) bool) { v.edges(yield, false) }

func (v *View) edges(yield func(PropEdge) bool, withPartners bool) {
	d := v.ds
	n := 0
	emit := func(fromLabel, from, typ, toLabel, to string, p []Prop) bool {
		n++
		f, t := NodeRef{fromLabel, from}, NodeRef{toLabel, to}
		return yield(PropEdge{ID: "e" + strconv.Itoa(n), From: f.ID(), To: t.ID(), FromNode: f, ToNode: t, Type: typ, Props: p})
	}
	cites := func(label, id string, cs []Citation) bool {
		for _, c := range cs {
			var ps []string
			for _, p := range c.Paragraphs {
				ps = append(ps, strconv.Itoa(p))
			}
			if !emit(label, id, RelSourcedFrom, LabelSource, c.Source, props("paragraphs", ps, "locators", c.Locators)) {
				return false
			}
		}
		return true
	}
	for _, o := range d.SortedOrganizations() {
		if o.Country != "" && !emit(LabelOrganization, o.ID, RelLocatedIn, LabelCountry, o.Country, nil) {
			return
		}
		if o.PartOf != "" && !emit(LabelOrganization, o.ID, RelPartOf, LabelOrganization, o.PartOf, nil) {
			return
		}
		if !cites(LabelOrganization, o.ID, o.Sources) {
			return
		}
	}
	for _, e := range d.SortedEvents() {
		if e.Country != "" && !emit(LabelEvent, e.ID, RelHeldIn, LabelCountry, e.Country, nil) {
			return
		}
		if e.PartOf != "" && !emit(LabelEvent, e.ID, RelPartOf, LabelEvent, e.PartOf, nil) {
			return
		}
		for _, o := range e.Organizers {
			if !emit(LabelOrganization, o, RelOrganized, LabelEvent, e.ID, nil) {
				return
			}
		}
		if !cites(LabelEvent, e.ID, e.Sources) {
			return
		}
	}
	for _, p := range d.SortedProgrammes() {
		for _, o := range p.Organizers {
			if !emit(LabelOrganization, o, RelOrganized, LabelProgramme, p.ID, nil) {
				return
			}
		}
		if !cites(LabelProgramme, p.ID, p.Sources) {
			return
		}
	}
	for _, a := range d.SortedAgreements() {
		for _, p := range a.Parties {
			if !emit(LabelOrganization, p.Org, RelPartyTo, LabelAgreement, a.ID, props("role", p.Role, "contribution", nonZero(p.Contribution))) {
				return
			}
		}
		if a.Event != "" && !emit(LabelAgreement, a.ID, RelSignedAt, LabelEvent, a.Event, nil) {
			return
		}
		if a.Programme != "" && !emit(LabelAgreement, a.ID, RelUnder, LabelProgramme, a.Programme, nil) {
			return
		}
		for _, f := range a.CountedIn {
			var p []Prop
			if g, ok := a.CountedInGrades[f]; ok {
				p = props("evidence", string(g.Evidence), "reason", g.Reason)
			}
			if !emit(LabelAgreement, a.ID, RelCountedIn, LabelReportedFigure, f, p) {
				return
			}
		}
		if !cites(LabelAgreement, a.ID, a.Sources) {
			return
		}
	}
	for _, f := range d.SortedFigures() {
		if f.About != "" {
			to := LabelEvent
			if _, ok := d.Programmes[f.About]; ok {
				to = LabelProgramme
			}
			if !emit(LabelReportedFigure, f.ID, RelAbout, to, f.About, nil) {
				return
			}
		}
		if !cites(LabelReportedFigure, f.ID, f.Sources) {
			return
		}
	}
	for _, r := range d.SortedRelations() {
		to := LabelOrganization
		if _, ok := d.Programmes[r.To]; ok && d.Organizations[r.To] == nil {
			to = LabelProgramme // a park holding a programme's title
		}
		if !emit(LabelOrganization, r.From, RelationTypes[r.Type], to, r.To, props("relation", r.Type, "date", r.Date, "sources", citationsJSON(r.Sources),
			"evidence", string(r.Evidence), "reason", r.Reason)) {
			return
		}
	}
	if !withPartners {
		return
	}
	v.partnersOnce.Do(func() { v.partners = v.ds.Partnerships() })
	for _, p := range v.partners {
		if !emit(LabelOrganization, p.A, RelPartnerOf, LabelOrganization, p.B, props("agreements", p.Agreements)) {
			return
		}
	}
}

// nonZero drops a zero amount (absent) from the properties.
func nonZero(f float64) any {
	if f == 0 {
		return nil
	}
	return f
}
