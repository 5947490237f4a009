package loader

import (
	"fmt"
	"strconv"
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
// parties are the participating organisations.
type participations struct {
	st        *state
	file      string
	src       string
	h         header
	projects  map[string]*graph.Agreement
	conflicts int
}

func (st *state) newParticipations(file string, h header) *participations {
	src := sourceID(file)
	st.ds.Sources[src] = &graph.Source{ID: src, File: file, Title: "participations table " + file}
	return &participations{st: st, file: file, src: src, h: h, projects: map[string]*graph.Agreement{}}
}

func (p *participations) row(r *row) []Problem {
	var ps []Problem
	project := r.get("project")
	if project == "" {
		ps = append(ps, r.problem("project", "empty project id"))
	}
	orgRef, name := r.get("org"), CleanName(r.get("name"))
	if orgRef == "" && name == "" {
		f := "org"
		if _, ok := r.h[f]; !ok {
			f = "name"
		}
		ps = append(ps, r.problem(f, "empty organisation"))
	}
	country, err := p.st.l.countries.Resolve(r.get("country"))
	if err != nil {
		ps = append(ps, r.problem("country", err.Error()))
	}
	var contribution float64
	if c := r.get("contribution"); !isMissing(c) {
		if contribution, err = strconv.ParseFloat(c, 64); err != nil {
			ps = append(ps, r.problem("contribution", "not a number"))
		}
	}
	kind := graph.KindOther
	if t := strings.ToUpper(r.get("type")); t != "" {
		k, ok := orgKindByType[t]
		if !ok {
			ps = append(ps, r.problem("type", "unknown organisation type; want HES, PRC, REC, PUB or OTH"))
		}
		kind = k
	}
	if len(ps) > 0 {
		return ps
	}
	id := orgRef
	if id == "" {
		// No organisation id: the organisation is its name in its country.
		if known, _, ok := p.st.resolveOrg(name, country); ok {
			id = known
		} else {
			id = derivedOrgID(name, country, p.st.l.opts.FoldAccents)
		}
	}
	o, seen := p.st.ds.Organizations[id]
	if !seen {
		o = &graph.Organization{ID: id, Name: name, Kind: kind, Country: country}
		p.st.ds.Organizations[id] = o
		p.st.index(o)
	} else if country != "" && o.Country != country {
		if o.Country == "" {
			o.Country = country
		} else {
			p.conflicts++
		}
	}
	aid := "project:" + project
	a := p.projects[aid]
	if a == nil {
		if prev, ok := p.st.idLines[aid]; ok && !p.st.tableProjects[aid] {
			return []Problem{r.problem("project", fmt.Sprintf("%s is also an agreement of %s:%d", aid, prev.File, prev.Line))}
		}
		if a = p.st.ds.Agreements[aid]; a != nil {
			// The same project in an earlier table of this load (a file
			// split in parts): one agreement with the parties of both.
			a.Sources = append(a.Sources, graph.Citation{Source: p.src, Paragraphs: []int{r.line}})
		} else {
			a = &graph.Agreement{ID: aid, Type: "project", Date: r.get("date"),
				Sources: []graph.Citation{{Source: p.src, Paragraphs: []int{r.line}}}}
			p.st.ds.Agreements[aid] = a
			p.st.tableProjects[aid] = true
			p.st.idLines[aid] = r.problem("project", "")
		}
		p.projects[aid] = a
	}
	for _, x := range a.Parties {
		if x.Org == id {
			return nil // the same participation listed twice
		}
	}
	a.Parties = append(a.Parties, graph.Party{Org: id, Role: strings.ToLower(r.get("role")), Contribution: contribution})
	return nil
}

func (p *participations) finish(fr *FileReport) {
	if p.conflicts > 0 {
		fr.Warnings = append(fr.Warnings, Problem{File: p.file, Field: "country",
			Msg: fmt.Sprintf("%d rows give an organisation another country than its first row; the first is kept", p.conflicts)})
	}
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

// isMissing reports whether a cell means "no value": empty, or NA as R and
// spreadsheets write it.
func isMissing(s string) bool {
	switch strings.ToUpper(s) {
	case "", "NA", "N/A", "NULL", "NAN":
		return true
	}
	return false
}
