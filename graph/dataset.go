package graph

import (
	"maps"
	"reflect"
	"slices"
)

// Dataset is a whole collaboration graph in typed form: what loaders produce
// and what stores write and read back. Maps are keyed by ID; use the Sorted
// accessors for deterministic order.
type Dataset struct {
	Organizations map[string]*Organization
	Countries     map[string]*Country
	Events        map[string]*Event
	Programmes    map[string]*Programme
	Agreements    map[string]*Agreement
	Sources       map[string]*Source
	Figures       map[string]*ReportedFigure
	Relations     map[string]*Relation // keyed by Relation.Key()
}

// NewDataset returns an empty dataset.
func NewDataset() *Dataset {
	return &Dataset{
		Organizations: map[string]*Organization{},
		Countries:     map[string]*Country{},
		Events:        map[string]*Event{},
		Programmes:    map[string]*Programme{},
		Agreements:    map[string]*Agreement{},
		Sources:       map[string]*Source{},
		Figures:       map[string]*ReportedFigure{},
		Relations:     map[string]*Relation{},
	}
}

func sorted[T any](m map[string]*T) []*T {
	out := make([]*T, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, m[k])
	}
	return out
}

func (d *Dataset) SortedOrganizations() []*Organization { return sorted(d.Organizations) }
func (d *Dataset) SortedCountries() []*Country          { return sorted(d.Countries) }
func (d *Dataset) SortedEvents() []*Event               { return sorted(d.Events) }
func (d *Dataset) SortedProgrammes() []*Programme       { return sorted(d.Programmes) }
func (d *Dataset) SortedAgreements() []*Agreement       { return sorted(d.Agreements) }
func (d *Dataset) SortedSources() []*Source             { return sorted(d.Sources) }
func (d *Dataset) SortedFigures() []*ReportedFigure     { return sorted(d.Figures) }
func (d *Dataset) SortedRelations() []*Relation         { return sorted(d.Relations) }

// Counts is the number of elements of each kind.
type Counts struct {
	Organizations int `json:"organizations"`
	Countries     int `json:"countries"`
	Events        int `json:"events"`
	Programmes    int `json:"programmes"`
	Agreements    int `json:"agreements"`
	Sources       int `json:"sources"`
	Figures       int `json:"figures"`
	Relations     int `json:"relations"`
}

// Counts reports how many elements of each kind the dataset holds.
func (d *Dataset) Counts() Counts {
	return Counts{len(d.Organizations), len(d.Countries), len(d.Events), len(d.Programmes),
		len(d.Agreements), len(d.Sources), len(d.Figures), len(d.Relations)}
}

// Change counts what a merge did to one kind of element. Removed is
// counted by Diff only (a merge removes nothing); the key lists are filled
// by Diff, sorted.
type Change struct {
	New, Updated, Unchanged, Removed int
	Added, Changed, Gone             []string `json:",omitempty"`
}

// MergeStats counts a merge per kind, keyed by node label (or "Relation").
type MergeStats map[string]*Change

// Merge upserts every element of src into d by key, like Cypher's MERGE:
// an element with the same key is replaced, so merging the same data twice
// changes nothing. It returns what changed. With dryRun, d is left as it was.
func (d *Dataset) Merge(src *Dataset, dryRun bool) MergeStats {
	st := MergeStats{}
	mergeMap(st, LabelOrganization, d.Organizations, src.Organizations, dryRun)
	mergeMap(st, LabelCountry, d.Countries, src.Countries, dryRun)
	mergeMap(st, LabelEvent, d.Events, src.Events, dryRun)
	mergeMap(st, LabelProgramme, d.Programmes, src.Programmes, dryRun)
	mergeMap(st, LabelAgreement, d.Agreements, src.Agreements, dryRun)
	mergeMap(st, LabelSource, d.Sources, src.Sources, dryRun)
	mergeMap(st, LabelReportedFigure, d.Figures, src.Figures, dryRun)
	mergeMap(st, "Relation", d.Relations, src.Relations, dryRun)
	return st
}

// Diff says what replacing old by new would change, per kind: the keys
// added, changed and removed, sorted, with their counts.
func Diff(old, new *Dataset) MergeStats {
	st := MergeStats{}
	diffMap(st, LabelOrganization, old.Organizations, new.Organizations)
	diffMap(st, LabelCountry, old.Countries, new.Countries)
	diffMap(st, LabelEvent, old.Events, new.Events)
	diffMap(st, LabelProgramme, old.Programmes, new.Programmes)
	diffMap(st, LabelAgreement, old.Agreements, new.Agreements)
	diffMap(st, LabelSource, old.Sources, new.Sources)
	diffMap(st, LabelReportedFigure, old.Figures, new.Figures)
	diffMap(st, "Relation", old.Relations, new.Relations)
	return st
}

func diffMap[T any](st MergeStats, kind string, old, new map[string]*T) {
	c := &Change{}
	st[kind] = c
	for k, v := range new {
		o, ok := old[k]
		switch {
		case !ok:
			c.New++
			c.Added = append(c.Added, k)
		case reflect.DeepEqual(o, v):
			c.Unchanged++
		default:
			c.Updated++
			c.Changed = append(c.Changed, k)
		}
	}
	for k := range old {
		if _, ok := new[k]; !ok {
			c.Removed++
			c.Gone = append(c.Gone, k)
		}
	}
	slices.Sort(c.Added)
	slices.Sort(c.Changed)
	slices.Sort(c.Gone)
}

func mergeMap[T any](st MergeStats, kind string, dst, src map[string]*T, dryRun bool) {
	c := &Change{}
	st[kind] = c
	for k, v := range src {
		old, ok := dst[k]
		switch {
		case !ok:
			c.New++
		case reflect.DeepEqual(old, v):
			c.Unchanged++
			continue
		default:
			c.Updated++
		}
		if !dryRun {
			cp := *v
			dst[k] = &cp
		}
	}
}

// PartyGroups lists the parties (organisation IDs) of every agreement, in
// agreement ID order: the groups the organisation network is projected from.
func (d *Dataset) PartyGroups() [][]string {
	groups := make([][]string, 0, len(d.Agreements))
	for _, a := range d.SortedAgreements() {
		g := make([]string, len(a.Parties))
		for i, p := range a.Parties {
			g[i] = p.Org
		}
		groups = append(groups, g)
	}
	return groups
}
