package loader

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/collabnet/collabnet/graph"
)

// pairs reads one row per pair of parties (party A, country A, party B,
// country B, ...). Each distinct agreement (parties in either order, type,
// date and title; see buildPairs) becomes one Agreement; a row that repeats
// one already read (lists of twin towns name each pairing from both sides)
// is merged into it and counted.
type pairs struct {
	st      *state
	t       *table
	defKind graph.OrgKind
	defType string
}

func (st *state) newPairs(t *table) *pairs {
	st.addTableSource(t, "pairs")
	p := &pairs{st: st, t: t, defKind: graph.KindOther, defType: st.l.pairType}
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
	var defaulted [2]bool
	for i, s := range sides {
		name := CleanName(s.name)
		switch {
		case s.name != "" && isMissing(s.name):
			ps = append(ps, r.problem(fields[i][0], "a missing-value marker is not a party; name the party or leave the row out"))
		case name == "":
			ps = append(ps, r.problem(fields[i][0], "empty party"))
		case !hasLetterOrDigit(name):
			ps = append(ps, r.problem(fields[i][0], "a name without a letter or digit cannot identify an organisation; name the party or leave the row out"))
		case isPlaceholderName(name):
			ps = append(ps, r.problem(fields[i][0], "a placeholder, not a name: it cannot identify an organisation (every row that writes it would be one); name the party or leave the row out"))
		case listsSeveral(s.name) && len(p.st.byName[p.st.key(name)]) == 0: // not an organisation of that name
			ps = append(ps, r.problem(fields[i][0], "a cell that lists several organisations (Chinese 、 or ， between names): a pairs row has one party on each side; write a row for each pair, or an agreement of several parties in the native format (a body with two names, as 北京市科学技术委员会、中关村科技园区管理委员会, is declared there as one organisation)"))
		}
		country, err := p.st.l.countries.Resolve(countryCell(s.country))
		if err != nil {
			ps = append(ps, r.problem(fields[i][1], err.Error()))
		}
		kind := p.defKind
		if !isMissing(s.kind) {
			if kind = graph.OrgKind(foldCode(s.kind)); !kind.Valid() {
				ps = append(ps, r.problem(fields[i][2], fmt.Sprintf("unknown kind; want one of %v", graph.OrgKinds)))
			}
		}
		if country == "" && err == nil && p.st.l.defCountry != "" {
			country, defaulted[i] = p.st.l.defCountry, true
		}
		ms[i] = mention{name: name, country: country, kind: kind, at: cellRef{t: r.t, line: r.line, field: fields[i][0]}}
	}
	typ := p.defType
	if v := r.get("type"); !isMissing(v) {
		var err error
		if typ, err = p.st.l.types.resolve(v); err != nil {
			ps = append(ps, r.problem("type", err.Error()))
		}
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
	m := [2]int{p.st.mention(ms[0]), p.st.mention(ms[1])}
	for i := range m {
		if defaulted[i] {
			p.st.defaulted[m[i]] = true
		}
	}
	p.st.pairRows = append(p.st.pairRows, pairRow{m: m,
		typ: typ, date: date, title: CleanName(title), event: cellName(r.get("event")), programme: cellName(r.get("programme")),
		at: cellRef{t: r.t, line: r.line, field: "party_b"}})
	return nil
}

// pairGroup is the two parties (sorted) and the type of pair rows.
type pairGroup struct{ a, b, typ string }

// pairIdentity tells apart the agreements of one pair group: a date (ISO,
// possibly only a year or a month) and the matching key of a title, either
// of which may be empty.
type pairIdentity struct{ date, title string }

// covers reports whether x says all that y says and maybe more: y's date
// is empty, x's, or a year or month x's date is in; y's title is empty or
// x's. A row that covers another describes the same agreement in more
// detail.
func (x pairIdentity) covers(y pairIdentity) bool {
	return (y.date == "" || strings.HasPrefix(x.date, y.date)) && (y.title == "" || y.title == x.title)
}

// describe shows an identity, its title as written (shown maps title keys
// to a spelling).
func (x pairIdentity) describe(shown map[string]string) string {
	switch {
	case x.title == "" && x.date == "":
		return "undated, untitled"
	case x.title == "":
		return x.date
	case x.date == "":
		return fmt.Sprintf("undated %q", shown[x.title])
	}
	return fmt.Sprintf("%s %q", x.date, shown[x.title])
}

// pairID is the ID of the agreement of a pair group with an identity:
// pair:A|B|type, then |date and |t: and a hash of the title key when it
// has them (so that an ID stays short whatever the title), and an undated,
// untitled pair keeps the ID it always had.
func pairID(g pairGroup, x pairIdentity) string {
	id := fmt.Sprintf("pair:%s|%s|%s", g.a, g.b, g.typ)
	switch {
	case x.title != "":
		h := sha256.Sum256([]byte(x.title))
		return id + "|" + x.date + "|t:" + hex.EncodeToString(h[:8])
	case x.date != "":
		return id + "|" + x.date
	}
	return id
}

// buildPairs makes the agreements of the pair rows whose parties resolved.
// An agreement is the two parties (in either order), the type, and the date
// and title when rows give them (README.md, "Inputs"): rows that say the
// same are one agreement, however often they repeat; rows of the same
// parties and type that differ in date or title are different agreements.
// A row that gives less (no date, no title, or only a year) joins the one
// agreement of its group that says all it says and more; when several do, it
// cannot be told which, and it is an agreement of its own, with a warning.
// Everything is decided from the set of rows, not their order.
func (st *state) buildPairs(ctx context.Context) {
	type resolved struct {
		r  *pairRow
		g  pairGroup
		id pairIdentity
	}
	rows := make([]resolved, 0, len(st.pairRows))
	idents := map[pairGroup][]pairIdentity{}
	shown := map[string]string{} // title key -> its smallest spelling
	for i := range st.pairRows {
		if stopped(ctx, i) {
			return
		}
		r := &st.pairRows[i]
		a, b := st.mentions.at(r.m[0]).org, st.mentions.at(r.m[1]).org
		if a == "" || b == "" {
			continue
		}
		if a == b {
			st.rowProblems(r.at.t, []Problem{r.at.problem(st.mentions.at(r.m[1]).name, fmt.Sprintf("%s is both parties: an organisation cannot agree with itself", a))})
			continue
		}
		if b < a {
			a, b = b, a
		}
		g := pairGroup{a, b, r.typ}
		x := pairIdentity{date: r.date, title: st.key(r.title)}
		if s, ok := shown[x.title]; x.title != "" && (!ok || r.title < s) {
			shown[x.title] = r.title
		}
		if !slices.Contains(idents[g], x) {
			idents[g] = append(idents[g], x)
		}
		rows = append(grow(rows), resolved{r: r, g: g, id: x})
	}
	// Where each identity goes: itself when nothing else covers it, the one
	// most detailed identity that covers it, or itself when several do.
	type target struct {
		to    pairIdentity
		among []pairIdentity // several candidates: the row is ambiguous
	}
	targets := map[pairGroup]map[pairIdentity]target{}
	n := 0
	for g, xs := range idents {
		if n++; stopped(ctx, n) {
			return
		}
		m := make(map[pairIdentity]target, len(xs))
		targets[g] = m
		if len(xs) == 1 {
			m[xs[0]] = target{to: xs[0]}
			continue
		}
		var tops []pairIdentity // covered by no other
		for _, x := range xs {
			if !slices.ContainsFunc(xs, func(y pairIdentity) bool { return y != x && y.covers(x) }) {
				tops = append(tops, x)
			}
		}
		for _, x := range xs {
			var over []pairIdentity
			for _, y := range tops {
				if y != x && y.covers(x) {
					over = append(over, y)
				}
			}
			switch len(over) {
			case 0:
				m[x] = target{to: x}
			case 1:
				m[x] = target{to: over[0]}
			default:
				slices.SortFunc(over, func(p, q pairIdentity) int { return cmp.Or(cmp.Compare(p.date, q.date), cmp.Compare(p.title, q.title)) })
				m[x] = target{to: x, among: over}
			}
		}
	}
	merged := map[*table]int{}
	rowsOf := map[string][]string{} // agreement ID -> its rows, file:line
	for i, x := range rows {
		if stopped(ctx, i) {
			return
		}
		r, tg := x.r, targets[x.g][x.id]
		if tg.among != nil {
			st.ambiguousPair(r, x.g, tg.among, shown)
		}
		aid := pairID(x.g, tg.to)
		ag := st.ds.Agreements[aid]
		if ag == nil {
			ag = &graph.Agreement{ID: aid, Type: r.typ, Date: tg.to.date, Parties: []graph.Party{{Org: x.g.a}, {Org: x.g.b}}}
			st.ds.Agreements[aid] = ag
		} else {
			merged[r.at.t]++
		}
		rowsOf[aid] = append(rowsOf[aid], r.at.where())
		// The smallest spelling of the title: the same whatever the order.
		if r.title != "" && x.id.title != "" && (ag.Title == "" || r.title < ag.Title) {
			ag.Title = r.title
		}
		if r.event != "" {
			if id := st.eventID(r.event); ag.Event == "" || id < ag.Event {
				ag.Event = id
			}
		}
		if r.programme != "" {
			if id := st.programmeID(r.programme); ag.Programme == "" || id < ag.Programme {
				ag.Programme = id
			}
		}
		cite(ag, r.at)
	}
	for t, n := range merged {
		st.report.Files[t.fr].Merged += n
	}
	for aid, rows := range rowsOf {
		if len(rows) > 1 {
			ag := st.ds.Agreements[aid]
			st.merged = append(st.merged, mergedRows{agreement: aid, what: fmt.Sprintf("%s – %s, %s", st.orgName(ag.Parties[0].Org), st.orgName(ag.Parties[1].Org), ag.Type),
				detail: fmt.Sprintf("%d rows state it, one agreement citing each", len(rows)), rows: rows})
		}
	}
}

// ambiguousPair warns about a pair row that gives too little to tell which
// of several agreements of its parties and type it is.
func (st *state) ambiguousPair(r *pairRow, g pairGroup, among []pairIdentity, shown map[string]string) {
	var c []string
	for _, x := range among {
		c = append(c, x.describe(shown))
	}
	name := func(id string) string {
		if o := st.ds.Organizations[id]; o != nil && o.Name != "" {
			return o.Name
		}
		return id
	}
	fr := &st.report.Files[r.at.t.fr]
	fr.Warnings = append(fr.Warnings, r.at.t.at(r.at.line, "date", r.date, fmt.Sprintf(
		"%s and %s have %d %s agreements this row could be (%s); it is loaded as an agreement of its own: give its date or title to join one",
		name(g.a), name(g.b), len(among), g.typ, strings.Join(c, "; "))))
}
