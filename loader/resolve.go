package loader

import (
	"sort"
	"strings"

	"github.com/collabnet/collabnet/graph"
)

// state is one load in progress: the dataset being built, the problems
// found so far, and the name index that resolves parties.
type state struct {
	l        *Loader
	ds       *graph.Dataset
	problems Problems
	report   Report
	// byName maps NameKey(name) to the IDs of organisations with that name
	// or alias; several when the same name stands in several countries.
	byName map[string][]string
	// idLines remembers where each native ID (and project) was declared,
	// for duplicates.
	idLines map[string]Problem
	// tableProjects are the agreements participations tables made: a later
	// table naming the same project adds its parties.
	tableProjects map[string]bool
}

func newState(l *Loader) *state {
	return &state{l: l, ds: graph.NewDataset(), byName: map[string][]string{}, idLines: map[string]Problem{},
		tableProjects: map[string]bool{}}
}

func (st *state) problem(p Problem) { st.problems = append(st.problems, p) }

func (st *state) key(name string) string { return NameKey(name, st.l.opts.FoldAccents) }

// index registers an organisation's names for resolution.
func (st *state) index(o *graph.Organization) {
	names := append([]string{o.Name, o.NameEN}, o.Aliases...)
	for _, n := range names {
		k := st.key(n)
		if k == "" {
			continue
		}
		ids := st.byName[k]
		if !containsStr(ids, o.ID) {
			st.byName[k] = append(ids, o.ID)
		}
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
	ids := st.byName[st.key(ref)]
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
}

func containsStr(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
