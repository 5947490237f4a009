package loader

import (
	"strings"

	"github.com/collabnet/collabnet/graph"
)

// orgKindByType maps CORDIS organisation activity types to our kinds.
var orgKindByType = map[string]graph.OrgKind{
	"HES": graph.KindUniversity,        // higher or secondary education
	"PRC": graph.KindCompany,           // private for-profit
	"REC": graph.KindResearchInstitute, // research organisation
	"PUB": graph.KindGovernmentAgency,  // public body
	"OTH": graph.KindOther,
}

// participations reads one row per organisation per project. Each project
// becomes an Agreement of type "project" (its grant agreement), whose
// parties are the participating organisations. Rows become mentions and
// participations; resolveTables makes the graph once every input is read.
type participations struct {
	st *state
	t  *table
}

func (st *state) newParticipations(t *table) *participations {
	t.src = sourceID(t.file)
	st.ds.Sources[t.src] = &graph.Source{ID: t.src, File: t.file, Title: "participations table " + t.file}
	return &participations{st: st, t: t}
}

func (p *participations) row(r *row) []Problem {
	var ps []Problem
	project, err := canonicalID(r.get("project"))
	switch {
	case err != nil:
		ps = append(ps, r.problem("project", err.Error()))
	case project == "":
		ps = append(ps, r.problem("project", "empty project id"))
	}
	orgRef, err := canonicalID(r.get("org"))
	if err != nil {
		ps = append(ps, r.problem("org", err.Error()))
	}
	rawName := r.get("name")
	name := CleanName(rawName)
	switch {
	case rawName != "" && isMissing(rawName):
		ps = append(ps, r.problem("name", "a missing-value marker is not an organisation's name; give the name, or leave the cell empty when the row has an ID"))
	case name != "" && !hasLetterOrDigit(name):
		ps = append(ps, r.problem("name", "a name without a letter or digit cannot identify an organisation; give the name, or leave the cell empty when the row has an ID"))
	case orgRef == "" && name == "" && err == nil:
		f := "org"
		if _, ok := r.t.h[f]; !ok {
			f = "name"
		}
		ps = append(ps, r.problem(f, "empty organisation"))
	}
	country, err := p.st.l.countries.Resolve(countryCell(r.get("country")))
	if err != nil {
		ps = append(ps, r.problem("country", err.Error()))
	}
	var contribution float64
	if c := r.get("contribution"); !isMissing(c) {
		if contribution, err = parseNumber(c, r.t.comma); err != nil {
			ps = append(ps, r.problem("contribution", err.Error()))
		}
	}
	kind := graph.OrgKind("")
	if t := strings.ToUpper(foldCode(r.get("type"))); !isMissing(t) {
		k, ok := orgKindByType[t]
		if !ok {
			ps = append(ps, r.problem("type", "unknown organisation type; want HES, PRC, REC, PUB or OTH"))
		}
		kind = k
	}
	date, err := p.st.l.dates.parse(r.get("date"))
	if err != nil {
		ps = append(ps, r.problem("date", err.Error()))
	}
	if len(ps) > 0 {
		return ps
	}
	field := "name"
	if name == "" {
		field = "org"
	}
	role := r.get("role")
	if isMissing(role) {
		role = ""
	}
	defaulted := false
	if country == "" && p.st.l.defCountry != "" {
		country, defaulted = p.st.l.defCountry, true
	}
	m := p.st.mention(mention{id: orgRef, name: name, country: country, kind: kind, at: cellRef{t: r.t, line: r.line, field: field}})
	if defaulted {
		p.st.defaulted[m] = true
	}
	extra := int32(0)
	if r.t.extras { // an event or a programme column
		if x := (partExtra{cellName(r.get("event")), cellName(r.get("programme"))}); x != (partExtra{}) {
			p.st.partExtras = append(p.st.partExtras, x)
			extra = int32(len(p.st.partExtras) - 1)
		}
	}
	p.st.parts.add(participation{project: project, extra: extra,
		m: int32(m), role: strings.ToLower(role),
		contribution: contribution, date: date})
	return nil
}

// derivedOrgID makes an ID for an organisation known only by name: its
// country and the matching key of its name, so every spelling gets one ID.
func derivedOrgID(name, country string, foldAccents bool) string {
	c := strings.ToLower(country)
	if c == "" {
		c = "xx"
	}
	return c + ":" + NameKey(name, foldAccents)
}
