package loader

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode/utf8"

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
	// col are the columns of our fields (-1: none), looked up once.
	col struct{ project, org, name, country, contribution, typ, date, role, event, programme int }
}

func (st *state) newParticipations(t *table) *participations {
	st.addTableSource(t, "participations")
	p := &participations{st: st, t: t}
	c := &p.col
	c.project, c.org, c.name, c.country, c.contribution = t.col("project"), t.col("org"), t.col("name"), t.col("country"), t.col("contribution")
	c.typ, c.date, c.role, c.event, c.programme = t.col("type"), t.col("date"), t.col("role"), t.col("event"), t.col("programme")
	return p
}

// orgKind reads an activity type cell: HES, PRC, REC, PUB, OTH in any case
// and spacing; "" for a marker; ok is false for another value.
func orgKind(v string) (kind graph.OrgKind, ok bool) {
	if k, ok := orgKindByType[v]; ok {
		return k, true // as CORDIS writes it
	}
	if t := strings.ToUpper(foldCode(v)); !isMissing(t) {
		k, ok := orgKindByType[t]
		return k, ok
	}
	return "", true
}

func (p *participations) row(r *row) []Problem {
	var ps []Problem
	c := &p.col
	project, err := canonicalID(r.cell(c.project))
	switch {
	case err != nil:
		ps = append(ps, r.problem("project", err.Error()))
	case project == "":
		ps = append(ps, r.problem("project", "empty project id"))
	}
	orgRef, err := canonicalID(r.cell(c.org))
	if err != nil {
		ps = append(ps, r.problem("org", err.Error()))
	}
	rawName := r.cell(c.name)
	name := CleanName(rawName)
	switch {
	case rawName != "" && isMissing(rawName):
		ps = append(ps, r.problem("name", "a missing-value marker is not an organisation's name; give the name, or leave the cell empty when the row has an ID"))
	case name != "" && !hasLetterOrDigit(name):
		ps = append(ps, r.problem("name", "a name without a letter or digit cannot identify an organisation; give the name, or leave the cell empty when the row has an ID"))
	case orgRef == "" && listsSeveral(rawName) && len(p.st.byName[p.st.key(name)]) == 0:
		ps = append(ps, r.problem("name", "a cell that lists several organisations (Chinese 、 or ， between names): write a row for each participant (a body with two names, as 北京市科学技术委员会、中关村科技园区管理委员会, is declared in the native format as one organisation)"))
	case name != "" && isPlaceholderName(name):
		ps = append(ps, r.problem("name", "a placeholder, not a name: it cannot identify an organisation (every row that writes it would be one); give the name, or leave the cell empty when the row has an ID"))
	case orgRef == "" && name == "" && err == nil:
		f := "org"
		if _, ok := r.t.h[f]; !ok {
			f = "name"
		}
		ps = append(ps, r.problem(f, "empty organisation"))
	}
	country, err := p.st.l.countries.Resolve(countryCell(r.cell(c.country)))
	if err != nil {
		ps = append(ps, r.problem("country", err.Error()))
	}
	var contribution float64
	if v := r.cell(c.contribution); !isMissing(v) {
		if contribution, err = parseNumber(v, r.t.comma); err != nil {
			ps = append(ps, r.problem("contribution", err.Error()))
		}
	}
	kind, ok := orgKind(r.cell(c.typ))
	if !ok {
		ps = append(ps, r.problem("type", "unknown organisation type; want HES, PRC, REC, PUB or OTH"))
	}
	date, err := p.st.l.dates.parse(r.cell(c.date))
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
	role := r.cell(c.role)
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
		if x := (partExtra{cellName(r.cell(c.event)), cellName(r.cell(c.programme))}); x != (partExtra{}) {
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
// A key longer than maxKeyInID bytes is cut to a readable prefix followed
// by ":" and 16 hex digits of the SHA-256 of the whole key, so that an ID
// stays short whatever the name, and the same key gives the same ID in
// every load. Keys have no ":" (punctuation is dropped), so a cut ID is
// never another name's whole key.
func (st *state) derivedOrgID(name, country string) string {
	c := strings.ToLower(country)
	if c == "" {
		c = "xx"
	}
	return c + ":" + shortKey(st.key(name))
}

// maxKeyInID is the longest name key an organisation ID carries whole;
// longer ones keep their first keyPrefix bytes and a hash.
const maxKeyInID, keyPrefix = 64, 40

func shortKey(k string) string {
	if len(k) <= maxKeyInID {
		return k
	}
	cut := keyPrefix
	for cut > 0 && !utf8.RuneStart(k[cut]) {
		cut-- // not inside a character
	}
	h := sha256.Sum256([]byte(k))
	return k[:cut] + ":" + hex.EncodeToString(h[:8])
}
