package loader

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/collabnet/collabnet/graph"
)

// state is one load in progress: the dataset being built, the problems
// found so far, the name index that resolves parties, and the mentions of
// organisations the tables make, resolved once every input is read.
type state struct {
	l *Loader
	// srcNames is the source ID of each table input (tableSourceNames).
	srcNames map[string]string
	ds       *graph.Dataset
	problems Problems
	report   Report
	// byName maps NameKey(name) to the IDs of organisations with that name
	// or alias; several when the same name stands in several countries.
	byName map[string][]string
	// idLines remembers where each native ID (and project) was declared,
	// for duplicates.
	idLines map[string]Problem

	tables   []*table
	mentions chunks[mention]
	// defaulted are the mentions whose country is --default-country.
	defaulted map[int]bool
	// partExtras are the events and programmes of participation rows
	// (participation.extra); the first is none.
	partExtras []partExtra
	parts      chunks[participation]
	pairRows   []pairRow
	// merged are the rows that repeat an agreement or a participation,
	// for the summary.
	merged []mergedRows
	// keys caches NameKey per distinct name: a name repeats on many rows.
	keys map[string]string
	// eventKeys and programmeKeys map matching keys of event and programme
	// names to their IDs (namedID).
	eventKeys, programmeKeys map[string]string
}

// cellRef locates a table cell: a row of a table and one of our fields.
type cellRef struct {
	t     *table
	line  int
	field string
}

func (c cellRef) problem(value, msg string) Problem { return c.t.at(c.line, c.field, value, msg) }

// where is the cell's row as file:line (file.xlsx:Sheet1!7 in a workbook).
func (c cellRef) where() string {
	if c.t.sheet != "" {
		return fmt.Sprintf("%s:%s!%d", c.t.file, c.t.sheet, c.line)
	}
	return fmt.Sprintf("%s:%d", c.t.file, c.line)
}

// mention is one naming of an organisation in a table row: an ID, a name
// and a country, each of which may be missing.
type mention struct {
	id, name, country string
	kind              graph.OrgKind // "" when the row does not say
	at                cellRef
	org               string              // the organisation it resolves to; "" when it does not
	o                 *graph.Organization // and that organisation
}

// participation is a participations row: an organisation in a project.
type participation struct {
	project string
	m       int32 // the mention
	// extra indexes state.partExtras, the row's event and programme; 0 for
	// none (most tables have neither column: no room taken per row).
	extra        int32
	role         string
	contribution float64
	date         string
}

// at locates a participation's project cell.
func (p participation) at(st *state) cellRef {
	at := st.mentions.at(int(p.m)).at
	at.field = "project"
	return at
}

// pairRow is a pairs row: an agreement between two parties.
type pairRow struct {
	m                [2]int
	typ, date, title string
	event, programme string // names or IDs, "" when the row gives none
	at               cellRef
}

func newState(l *Loader) *state {
	return &state{l: l, ds: graph.NewDataset(), byName: map[string][]string{}, idLines: map[string]Problem{},
		defaulted: map[int]bool{}, partExtras: []partExtra{{}}, keys: map[string]string{}}
}

func (st *state) problem(p Problem) { st.problems = append(st.problems, p) }

// key is NameKey with the load's accent folding, computed once per
// distinct name.
func (st *state) key(name string) string {
	k, ok := st.keys[name]
	if !ok {
		k = NameKey(name, st.l.opts.FoldAccents)
		st.keys[name] = k
	}
	return k
}

func (st *state) mention(m mention) int {
	return st.mentions.add(m)
}

// grow doubles a full slice's capacity: append grows large slices by a
// quarter, which copies a table's rows many times over.
func grow[T any](s []T) []T {
	if len(s) < cap(s) {
		return s
	}
	return slices.Grow(s, max(len(s), 1024))
}

// index registers an organisation's names for resolution.
func (st *state) index(o *graph.Organization) {
	names := append([]string{o.Name, o.NameEN}, o.Aliases...)
	for _, n := range names {
		st.indexName(n, o.ID)
	}
}

func (st *state) indexName(name, id string) {
	k := st.key(name)
	if k == "" {
		return
	}
	if ids := st.byName[k]; !slices.Contains(ids, id) {
		st.byName[k] = append(ids, id)
	}
}

// resolveOrg finds the organisation a reference means: an ID first, then a
// name or alias, in the given country when one is given. ok is false when
// nothing matches; ambiguous lists the candidates when several do.
func (st *state) resolveOrg(ref, country string) (id string, ambiguous []string, ok bool) {
	ref = strings.TrimSpace(ref)
	if _, found := st.ds.Organizations[ref]; found {
		return ref, nil, true
	}
	return st.byNameIn(st.key(ref), country)
}

// byNameIn finds the organisations with a name key, in the country when one
// is given.
func (st *state) byNameIn(k, country string) (id string, ambiguous []string, ok bool) {
	ids := st.byName[k]
	if country != "" {
		var in []string
		for _, id := range ids {
			if st.ds.Organizations[id].Country == country {
				in = append(in, id)
			}
		}
		ids = in
	}
	switch len(ids) {
	case 0:
		return "", nil, false
	case 1:
		return ids[0], nil, true
	}
	sorted := append([]string(nil), ids...)
	sort.Strings(sorted)
	return "", sorted, false
}

// tally counts the values the mentions of one organisation give.
type tally []struct {
	v string
	n int
}

func (t *tally) add(v string) {
	if v == "" {
		return
	}
	for i := range *t {
		if (*t)[i].v == v {
			(*t)[i].n++
			return
		}
	}
	*t = append(*t, struct {
		v string
		n int
	}{v, 1})
}

// top is the most frequent value, the smallest on a tie: the same whatever
// order the rows came in.
func (t tally) top() string {
	best := -1
	for i, x := range t {
		if best < 0 || x.n > t[best].n || (x.n == t[best].n && x.v < t[best].v) {
			best = i
		}
	}
	if best < 0 {
		return ""
	}
	return t[best].v
}

// orgFacts gathers what the mentions of one table organisation say.
type orgFacts struct {
	id                      string
	o                       *graph.Organization // once made (or native)
	names, countries, kinds tally
	native                  bool // declared in a native file, which stands
	// defaults counts the mentions whose country is only --default-country:
	// they do not vote, and give the default only when no row gives a
	// country (byDefault then).
	defaults  int
	byDefault bool
}

// country is the country the mentions give most often, else the default
// when some of them took it.
func (f *orgFacts) country(def string) string {
	c := f.countries.top()
	f.byDefault = c == "" && f.defaults > 0
	if f.byDefault {
		c = def
	}
	return c
}

func (f *orgFacts) add(m *mention) {
	f.names.add(m.name)
	f.countries.add(m.country)
	f.kinds.add(string(m.kind))
}

// resolveTables decides which organisation every table mention means, after
// every input has been read, so that neither row order nor the split into
// files changes the result (README.md, "How parties are resolved"):
//  1. an ID identifies; its organisation's name, country and kind are the
//     ones its rows give most often (the smallest on a tie);
//  2. a mention without an ID, with a country, joins the organisation with
//     an ID (from a native file or a table) that has this name in this
//     country; several such are a problem; none makes an organisation
//     identified by name and country;
//  3. a mention without an ID or a country joins the one organisation of
//     any country that has this name; several are a problem listing them;
//     none makes an organisation identified by its name alone.
//
// A row whose country is only --default-country counts as giving none in
// 1 and 3 (2b for names: the organisation in the default country breaks a
// tie); the default fills an organisation no row places anywhere.
//
// Then it builds the agreements of the rows whose mentions resolved.
// A cancelled ctx stops it between its passes; Load then returns ctx.Err().
func (st *state) resolveTables(ctx context.Context) {
	facts := map[string]*orgFacts{}
	var order []*orgFacts // table organisations in first-mention order, for building
	// mf are the facts each mention went into, to find its organisation
	// without a lookup once the organisations are made.
	mf := make([]*orgFacts, st.mentions.len())
	fact := func(id string) *orgFacts {
		f := facts[id]
		if f == nil {
			f = &orgFacts{id: id}
			f.o, f.native = st.ds.Organizations[id] // only native files made organisations yet
			facts[id] = f
			order = append(order, f)
		}
		return f
	}
	// 1. IDs.
	for i := range st.mentions.len() {
		if stopped(ctx, i) {
			return
		}
		m := st.mentions.at(i)
		if m.id != "" {
			m.org = m.id
			mf[i] = fact(m.id)
			if st.defaulted[i] {
				m.country = "" // the ID's other rows may say where it is
				mf[i].defaults++
			}
			mf[i].add(m)
		}
	}
	st.createOrgs(ctx, order)
	if ctx.Err() != nil {
		return
	}
	// 2. Names in a country.
	derived := len(order)
	var ambiguous []int
	for i := range st.mentions.len() {
		if stopped(ctx, i) {
			return
		}
		m := st.mentions.at(i)
		if m.id != "" || m.country == "" || st.defaulted[i] {
			continue
		}
		k := st.key(m.name)
		id, amb, ok := st.byNameIn(k, m.country)
		if !ok && amb != nil {
			ambiguous = append(ambiguous, i)
			continue
		}
		if !ok {
			id = st.derivedOrgID(m.name, m.country)
		}
		m.org = id
		if o, known := st.ds.Organizations[id]; known {
			m.o = o
		} else {
			mf[i] = fact(id)
			mf[i].add(m)
		}
	}
	st.createOrgs(ctx, order[derived:])
	if ctx.Err() != nil {
		return
	}
	// 2b. Names whose country is only --default-country: the default is for
	// the office's own parties, so a name that some row places in a country
	// (or a native file declares) is that organisation, as in 3; only a name
	// no row places anywhere takes the default.
	derived = len(order)
	byDefault := maps.Clone(st.defaulted) // 3 leaves them alone
	for i := range st.mentions.len() {
		if stopped(ctx, i) {
			return
		}
		m := st.mentions.at(i)
		if !byDefault[i] || m.id != "" {
			continue
		}
		k := st.key(m.name)
		id, amb, ok := st.byNameIn(k, "")
		if !ok && amb != nil {
			id, _, ok = st.byNameIn(k, m.country)
			if !ok {
				m.country = "" // ambiguous among other countries: the row gives none
				delete(st.defaulted, i)
				ambiguous = append(ambiguous, i)
				continue
			}
		}
		if !ok {
			id = st.derivedOrgID(m.name, m.country)
		}
		m.org = id
		o, known := st.ds.Organizations[id]
		switch {
		case !known:
			mf[i] = fact(id)
			mf[i].add(m)
		case o.Country == "": // declared without one: the default fills it
			mf[i] = fact(id)
			mf[i].defaults++
			mf[i].add(&mention{name: m.name, kind: m.kind})
		default:
			if o.Country != m.country {
				m.country = "" // it has its country from its other rows
				delete(st.defaulted, i)
			}
			if facts[id] != nil {
				mf[i] = fact(id)
				mf[i].add(&mention{name: m.name, kind: m.kind}) // the default does not vote
			} else {
				m.o = o
			}
		}
	}
	st.createOrgs(ctx, order[derived:])
	if ctx.Err() != nil {
		return
	}
	// 3. Names alone.
	derived = len(order)
	for i := range st.mentions.len() {
		if stopped(ctx, i) {
			return
		}
		m := st.mentions.at(i)
		if m.id != "" || m.country != "" || byDefault[i] {
			continue
		}
		id, amb, ok := st.byNameIn(st.key(m.name), "")
		if !ok && amb != nil {
			ambiguous = append(ambiguous, i)
			continue
		}
		if !ok {
			id = st.derivedOrgID(m.name, "")
		}
		m.org = id
		o, known := st.ds.Organizations[id]
		if !known || facts[id] != nil {
			mf[i] = fact(id)
			mf[i].add(m)
			if !known {
				st.createOrgs(ctx, []*orgFacts{mf[i]})
			}
			continue
		}
		m.o = o
	}
	st.createOrgs(ctx, order[derived:])
	for i, f := range mf {
		if stopped(ctx, i) {
			return
		}
		if f != nil {
			st.mentions.at(i).o = f.o
		}
	}
	st.settleOrgs(ctx, order, facts)
	if ctx.Err() != nil {
		return
	}
	for _, i := range ambiguous {
		m := st.mentions.at(i)
		_, amb, _ := st.byNameIn(st.key(m.name), m.country)
		msg := fmt.Sprintf("ambiguous: the name of %s; give the country", strings.Join(amb, ", "))
		if m.country != "" {
			msg = fmt.Sprintf("ambiguous: the name of %s in %s; give the organisation's ID", strings.Join(amb, ", "), m.country)
		}
		m.org, m.o = "", nil
		st.rowProblems(m.at.t, []Problem{m.at.problem(m.name, msg)})
	}
	if ctx.Err() != nil {
		return
	}
	st.buildParticipations(ctx)
	if ctx.Err() != nil {
		return
	}
	st.buildPairs(ctx)
}

// stopped reports, at every 4096th i, whether ctx is done: the check of
// the long loops over a table's rows and mentions (millions on a large
// table), so that a signal stops a load within a second at any point.
func stopped(ctx context.Context, i int) bool {
	return i&4095 == 0 && ctx.Err() != nil
}

// createOrgs adds the table organisations of fs not yet made, with the
// names they have so far, so that later steps can match their names.
func (st *state) createOrgs(ctx context.Context, fs []*orgFacts) {
	for i, f := range fs {
		if stopped(ctx, i) {
			return
		}
		if f.o != nil {
			continue
		}
		// Copies of the cells: a cell is a substring of its table line,
		// and a dataset holding it would hold the whole line.
		id := strings.Clone(f.id)
		f.o = &graph.Organization{ID: id, Name: strings.Clone(f.names.top()), Country: strings.Clone(f.country(st.l.defCountry)), Kind: graph.KindOther}
		st.ds.Organizations[id] = f.o
		for _, n := range f.names {
			st.indexName(n.v, f.id)
		}
	}
}

// settleOrgs gives every table organisation the name, country and kind its
// mentions give most often, and its other spellings as aliases; it counts
// the mentions that give another country, per file.
func (st *state) settleOrgs(ctx context.Context, fs []*orgFacts, facts map[string]*orgFacts) {
	for i, f := range fs {
		if stopped(ctx, i) {
			return
		}
		o := f.o
		if f.native {
			// Declared in a native file: that declaration stands, a missing
			// country is filled in.
			if o.Country == "" {
				o.Country = f.country(st.l.defCountry)
			}
			continue
		}
		o.Name = strings.Clone(f.names.top()) // not the line (createOrgs)
		o.Country = f.country(st.l.defCountry)
		if k := f.kinds.top(); k != "" {
			o.Kind = graph.OrgKind(k)
		}
		o.Aliases = nil
		for _, n := range f.names {
			if n.v != o.Name {
				o.Aliases = append(o.Aliases, strings.Clone(n.v))
			}
		}
		slices.Sort(o.Aliases)
	}
	// A row without a country took the default only where no row gives
	// its organisation a country; else it took the country of those rows.
	for i := range st.defaulted {
		m := st.mentions.at(i)
		f := facts[m.org]
		if (m.o != nil && m.o.Country != st.l.defCountry) || (f != nil && f.defaults > 0 && !f.byDefault) {
			m.country = ""
			delete(st.defaulted, i)
		}
	}
	st.countryConflicts(facts)
}

// countryConflicts warns, per table and organisation, about the rows that
// give an organisation another country than the one it keeps, naming the
// organisation and each row (file:line, and the country it gives).
func (st *state) countryConflicts(facts map[string]*orgFacts) {
	type key struct {
		t   *table
		org string
	}
	conflicts := map[key][]*mention{}
	for i := range st.mentions.len() {
		m := st.mentions.at(i)
		if m.org == "" || m.country == "" {
			continue
		}
		if o := m.o; o != nil && o.Country != m.country {
			k := key{m.at.t, m.org}
			conflicts[k] = append(conflicts[k], m)
		}
	}
	const show = 10
	for _, t := range st.tables {
		var orgs []string
		for k := range conflicts {
			if k.t == t {
				orgs = append(orgs, k.org)
			}
		}
		slices.Sort(orgs)
		fr := &st.report.Files[t.fr]
		for _, id := range orgs {
			ms, o, f := conflicts[key{t, id}], st.ds.Organizations[id], facts[id]
			kept := o.Country
			if kept == "" {
				kept = "no country"
			}
			why := "as its native record declares"
			if f != nil && !f.native {
				n, all := 0, 0
				for _, c := range f.countries {
					all += c.n
					if c.v == o.Country {
						n = c.n
					}
				}
				why = fmt.Sprintf("the country %d of its %d rows with a country give", n, all)
			}
			var rows []string
			for i, m := range ms {
				if i == show {
					rows = append(rows, fmt.Sprintf("and %d more", len(ms)-show))
					break
				}
				rows = append(rows, fmt.Sprintf("%s (%s)", m.at.where(), m.country))
			}
			fr.Warnings = append(fr.Warnings, Problem{File: t.file, Sheet: t.sheet, Line: ms[0].at.line, Field: "country", Value: ms[0].country,
				Msg: fmt.Sprintf("%s (%s) is kept in %s, %s; %d rows give another country: %s", o.Name, id, kept, why, len(ms), strings.Join(rows, ", "))})
		}
	}
}

// cite adds a table row to an agreement's citation of the table: every row
// that states the agreement (each participation row of a project, each
// repeat of a pair) is cited, by its line (graph.Canonicalize sorts them).
func cite(a *graph.Agreement, at cellRef) {
	for i := len(a.Sources) - 1; i >= 0; i-- {
		if c := &a.Sources[i]; c.Source == at.t.src {
			c.Paragraphs = append(c.Paragraphs, at.line)
			return
		}
	}
	a.Sources = append(a.Sources, graph.Citation{Source: at.t.src, Paragraphs: []int{at.line}})
}

// earlier keeps the earliest of two dates ("" is no date).
func earlier(a, b string) string {
	if a == "" || (b != "" && b < a) {
		return b
	}
	return a
}

func (st *state) buildParticipations(ctx context.Context) {
	clashed := map[string]bool{}
	roles := map[string]string{}
	// The agreement of the previous row: tables list a project's
	// participants together, so most rows need no lookup.
	var a *graph.Agreement
	var project string
	var prevT *table
	// The rows are not needed again: each chunk goes once read, so the
	// rows and the agreements they make are not all held at once.
	n := 0
	for _, p := range st.parts.drain {
		if n++; stopped(ctx, n) {
			return
		}
		m := st.mentions.at(int(p.m))
		if m.org == "" {
			continue
		}
		at := p.at(st)
		if a == nil || p.project != project || at.t != prevT {
			a, project, prevT = nil, p.project, at.t
			aid := "project:" + p.project
			if prev, ok := st.idLines[aid]; ok {
				if !clashed[aid] {
					clashed[aid] = true
					st.rowProblems(at.t, []Problem{at.problem(p.project, fmt.Sprintf("%s is also an agreement of %s:%d", aid, prev.File, prev.Line))})
				}
				continue
			}
			if a = st.ds.Agreements[aid]; a == nil {
				a = &graph.Agreement{ID: aid, Type: "project"}
				st.ds.Agreements[aid] = a
			}
		}
		cite(a, at)
		if d := earlier(a.Date, p.date); d != a.Date {
			a.Date = strings.Clone(d) // not the line (createOrgs)
		}
		if x := st.partExtras[p.extra]; x.event != "" {
			if id := st.eventID(x.event); a.Event == "" || id < a.Event {
				a.Event = id
			}
		}
		if x := st.partExtras[p.extra]; x.programme != "" {
			if id := st.programmeID(x.programme); a.Programme == "" || id < a.Programme {
				a.Programme = id
			}
		}
		// The organisation's own ID and one string per role: the row's
		// cells would hold its whole line (createOrgs).
		org := m.org
		if m.o != nil {
			org = m.o.ID
		}
		role, ok := roles[p.role]
		if !ok {
			role = strings.Clone(p.role)
			roles[role] = role
		}
		party := graph.Party{Org: org, Role: role, Contribution: p.contribution}
		if i := slices.IndexFunc(a.Parties, func(x graph.Party) bool { return x.Org == m.org }); i >= 0 {
			// The same participation listed twice: keep one, the same
			// whichever row comes first; the summary names the row.
			st.merged = append(st.merged, mergedRows{agreement: a.ID, what: st.orgName(org),
				detail: "the same participation listed again, merged", rows: []string{at.where()}})
			if x := a.Parties[i]; cmp.Or(cmp.Compare(party.Role, x.Role), cmp.Compare(party.Contribution, x.Contribution)) < 0 {
				a.Parties[i] = party
			}
			continue
		}
		a.Parties = append(a.Parties, party)
	}
}

// addCountries adds a Country node for every code that is used.
func (st *state) addCountries() {
	use := func(code string) {
		if code == "" {
			return
		}
		if c := st.l.countries.Country(code); c != nil {
			cp := *c
			st.ds.Countries[code] = &cp
		}
	}
	for _, o := range st.ds.Organizations {
		use(o.Country)
	}
	for _, e := range st.ds.Events {
		use(e.Country)
	}
	// The countries a reported figure names (the 42 pairs' partner
	// countries) are in the graph even when no organisation is located there.
	for _, f := range st.ds.Figures {
		for _, c := range f.Countries {
			use(c)
		}
	}
}

// partExtra is the event and programme a participation row gives.
type partExtra struct{ event, programme string }

// cellName is an event or programme cell: cleaned, "" for a marker.
func cellName(s string) string {
	if isMissing(s) {
		return ""
	}
	return CleanName(s)
}

// eventID is the event a table cell names: a native event by ID, name or
// English name, or else a new event of that name, "event:" and its
// matching key.
func (st *state) eventID(v string) string {
	return namedID(st, st.ds.Events, &st.eventKeys, "event:", v,
		func(e *graph.Event) (string, string) { return e.Name, e.NameEN },
		func(id string) *graph.Event { return &graph.Event{ID: id, Name: v} })
}

// programmeID is eventID for programmes.
func (st *state) programmeID(v string) string {
	return namedID(st, st.ds.Programmes, &st.programmeKeys, "programme:", v,
		func(p *graph.Programme) (string, string) { return p.Name, p.NameEN },
		func(id string) *graph.Programme { return &graph.Programme{ID: id, Name: v} })
}

// namedID finds the element of all (events or programmes) that v names: by
// ID, or by the matching key of its name or English name (the smallest ID
// when several have it), or else adds prefix+key, named v. The key index
// is built on the first call (the native elements are all read by then)
// and kept up to date, so that a cell costs a map lookup.
func namedID[T any](st *state, all map[string]*T, index *map[string]string, prefix, v string,
	names func(*T) (name, nameEN string), create func(id string) *T) string {
	if _, ok := all[v]; ok {
		return v
	}
	if *index == nil {
		*index = map[string]string{}
		for id, x := range all {
			name, nameEN := names(x)
			for i, n := range []string{name, nameEN} {
				if i == 1 && n == "" {
					continue // no English name
				}
				k := st.key(n)
				if prev, ok := (*index)[k]; !ok || id < prev {
					(*index)[k] = id
				}
			}
		}
	}
	k := st.key(v)
	if id, ok := (*index)[k]; ok {
		return id
	}
	id := prefix + shortKey(k) // short whatever the name (derivedOrgID)
	all[id] = create(id)
	(*index)[k] = id
	return id
}
