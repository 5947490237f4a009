package graph

import (
	"cmp"
	"slices"
)

// Canonicalize puts every list of the dataset in one order (parties and
// organisers by ID, citations by source with one citation per source and
// paragraphs ascending), so that two datasets holding the same facts are
// equal whatever order their inputs listed them in, and every store returns
// them the same way.
func (d *Dataset) Canonicalize() {
	for _, o := range d.Organizations {
		o.Sources = canonicalCitations(o.Sources)
	}
	for _, e := range d.Events {
		e.Organizers = sortedUnique(e.Organizers)
		e.Sources = canonicalCitations(e.Sources)
	}
	for _, p := range d.Programmes {
		p.Organizers = sortedUnique(p.Organizers)
		p.Sources = canonicalCitations(p.Sources)
	}
	for _, a := range d.Agreements {
		slices.SortFunc(a.Parties, func(x, y Party) int { return cmp.Compare(x.Org, y.Org) })
		a.CountedIn = sortedUnique(a.CountedIn)
		if len(a.CountedInGrades) == 0 {
			a.CountedInGrades = nil
		}
		a.Sources = canonicalCitations(a.Sources)
	}
	for _, f := range d.Figures {
		f.Countries = sortedUnique(f.Countries)
		f.Sources = canonicalCitations(f.Sources)
	}
	for _, r := range d.Relations {
		r.Sources = canonicalCitations(r.Sources)
	}
}

func sortedUnique(xs []string) []string {
	if len(xs) == 0 {
		return nil
	}
	xs = slices.Clone(xs)
	slices.Sort(xs)
	return slices.Compact(xs)
}

func canonicalCitations(cs []Citation) []Citation {
	if len(cs) == 0 {
		return nil
	}
	if len(cs) == 1 {
		// The common case (a table row's agreement), without the maps.
		c := cs[0]
		ps := slices.Compact(slices.Sorted(slices.Values(c.Paragraphs)))
		if len(ps) == 0 {
			ps = nil
		}
		return []Citation{{Source: c.Source, Paragraphs: ps, Locators: sortedUnique(c.Locators)}}
	}
	bySource := map[string][]int{}
	locators := map[string][]string{}
	var order []string
	for _, c := range cs {
		if _, ok := bySource[c.Source]; !ok {
			order = append(order, c.Source)
		}
		bySource[c.Source] = append(bySource[c.Source], c.Paragraphs...)
		locators[c.Source] = append(locators[c.Source], c.Locators...)
	}
	slices.Sort(order)
	out := make([]Citation, 0, len(order))
	for _, s := range order {
		ps := bySource[s]
		slices.Sort(ps)
		ps = slices.Compact(ps)
		if len(ps) == 0 {
			ps = nil
		}
		out = append(out, Citation{Source: s, Paragraphs: ps, Locators: sortedUnique(locators[s])})
	}
	return out
}
