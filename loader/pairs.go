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
	t       *table
	defKind graph.OrgKind
	defType string
}

func (st *state) newPairs(t *table) *pairs {
	t.src = sourceID(t.file)
	st.ds.Sources[t.src] = &graph.Source{ID: t.src, File: t.file, Title: "pairs table " + t.file}
	p := &pairs{st: st, t: t, defKind: graph.KindOther, defType: st.l.opts.PairType}
	// A table whose party columns are city1/city2 lists twin towns.
	cities := strings.HasPrefix(foldHeader(t.cols[t.h["party_a"]]), "city")
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
	var ms [2]mention
	for i, s := range sides {
		name := CleanName(s.name)
		switch {
		case s.name != "" && isMissing(s.name):
			ps = append(ps, r.problem(fields[i][0], "a missing-value marker is not a party; name the party or leave the row out"))
		case name == "":
			ps = append(ps, r.problem(fields[i][0], "empty party"))
		}
		country, err := p.st.l.countries.Resolve(countryCell(s.country))
		if err != nil {
			ps = append(ps, r.problem(fields[i][1], err.Error()))
		}
		kind := p.defKind
		if !isMissing(s.kind) {
			if kind = graph.OrgKind(s.kind); !kind.Valid() {
				ps = append(ps, r.problem(fields[i][2], fmt.Sprintf("unknown kind; want one of %v", graph.OrgKinds)))
			}
		}
		ms[i] = mention{name: name, country: country, kind: kind, at: cellRef{t: r.t, line: r.line, field: fields[i][0]}}
	}
	typ := r.get("type")
	if isMissing(typ) {
		typ = p.defType
	}
	if !slices.Contains(graph.AgreementTypes, typ) {
		ps = append(ps, r.problem("type", fmt.Sprintf("unknown agreement type %q; want one of %v", typ, graph.AgreementTypes)))
	}
	date, err := p.st.l.dates.parse(r.get("date"))
	if err != nil {
		ps = append(ps, r.problem("date", err.Error()))
	}
	if len(ps) > 0 {
		return ps
	}
	title := r.get("title")
	if isMissing(title) {
		title = ""
	}
	p.st.pairRows = append(p.st.pairRows, pairRow{m: [2]int{p.st.mention(ms[0]), p.st.mention(ms[1])},
		typ: typ, date: date, title: CleanName(title), at: cellRef{t: r.t, line: r.line, field: "party_b"}})
	return nil
}
