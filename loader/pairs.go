package loader

import (
	"fmt"
	"slices"
	"strings"

	"github.com/collabnet/collabnet/graph"
)

// pairs reads one row per pair of parties (party A, country A, party B,
// country B, ...). Each distinct pair becomes one Agreement; a row that
// repeats a pair already read (lists of twin towns name each pairing from
// both sides) is merged into it and counted.
type pairs struct {
	st      *state
	file    string
	src     string
	h       header
	defKind graph.OrgKind
	defType string
	merged  int
}

func (st *state) newPairs(file string, cols []string, h header) *pairs {
	src := sourceID(file)
	st.ds.Sources[src] = &graph.Source{ID: src, File: file, Title: "pairs table " + file}
	p := &pairs{st: st, file: file, src: src, h: h, defKind: graph.KindOther, defType: st.l.opts.PairType}
	// A table whose party columns are city1/city2 lists twin towns.
	cities := strings.HasPrefix(foldHeader(cols[h["party_a"]]), "city")
	if cities {
		p.defKind = graph.KindCity
	}
	if p.defType == "" {
		p.defType = "other"
		if cities {
			p.defType = "twinning"
		}
	}
	return p
}

func (p *pairs) row(r *row) []Problem {
	var ps []Problem
	type side struct{ name, country, kind string }
	sides := [2]side{{r.get("party_a"), r.get("country_a"), r.get("kind_a")}, {r.get("party_b"), r.get("country_b"), r.get("kind_b")}}
	fields := [2][3]string{{"party_a", "country_a", "kind_a"}, {"party_b", "country_b", "kind_b"}}
	var ids [2]string
	for i, s := range sides {
		name := CleanName(s.name)
		if name == "" {
			ps = append(ps, r.problem(fields[i][0], "empty party"))
		}
		country, err := p.st.l.countries.Resolve(s.country)
		if err != nil {
			ps = append(ps, r.problem(fields[i][1], err.Error()))
		}
		kind := p.defKind
		if s.kind != "" {
			if kind = graph.OrgKind(s.kind); !kind.Valid() {
				ps = append(ps, r.problem(fields[i][2], fmt.Sprintf("unknown kind; want one of %v", graph.OrgKinds)))
			}
		}
		if name == "" || err != nil || !kind.Valid() {
			continue
		}
		id, amb, ok := p.st.resolveOrg(name, country)
		if !ok && amb != nil {
			ps = append(ps, r.problem(fields[i][0], "ambiguous: the name of "+strings.Join(amb, ", ")+"; give the country"))
			continue
		}
		if !ok {
			id = derivedOrgID(name, country, p.st.l.opts.FoldAccents)
			if o, seen := p.st.ds.Organizations[id]; seen {
				o.Aliases = addAlias(o, name)
			} else {
				o = &graph.Organization{ID: id, Name: name, Kind: kind, Country: country}
				p.st.ds.Organizations[id] = o
				p.st.index(o)
			}
		}
		ids[i] = id
	}
	typ := r.get("type")
	if typ == "" {
		typ = p.defType
	}
	if !slices.Contains(graph.AgreementTypes, typ) {
		ps = append(ps, r.problem("type", fmt.Sprintf("unknown agreement type %q; want one of %v", typ, graph.AgreementTypes)))
	}
	if len(ps) > 0 {
		return ps
	}
	if ids[0] == ids[1] {
		return []Problem{r.problem("party_b", fmt.Sprintf("%s is both parties: an organisation cannot agree with itself", ids[0]))}
	}
	a, b := ids[0], ids[1]
	if b < a {
		a, b = b, a
	}
	aid := fmt.Sprintf("pair:%s|%s|%s", a, b, typ)
	if _, dup := p.st.ds.Agreements[aid]; dup {
		p.merged++
		return nil
	}
	p.st.ds.Agreements[aid] = &graph.Agreement{ID: aid, Type: typ, Date: r.get("date"),
		Parties: []graph.Party{{Org: a}, {Org: b}}, Title: CleanName(r.get("title")),
		Sources: []graph.Citation{{Source: p.src, Paragraphs: []int{r.line}}}}
	return nil
}

// addAlias records another spelling of a name that resolved to the same
// organisation (Berat and Bérat), so listings show every spelling seen.
func addAlias(o *graph.Organization, name string) []string {
	if name == o.Name || slices.Contains(o.Aliases, name) {
		return o.Aliases
	}
	return append(o.Aliases, name)
}

func (p *pairs) finish(fr *FileReport) { fr.Merged = p.merged }
