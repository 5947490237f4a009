package loader

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Summary is what a load decided that a person checking the graph wants to
// know (README.md, "The load summary"), each decision with the rows it came
// from (file:line, file.xlsx:Sheet!row in a workbook).
type Summary struct {
	// Spellings are organisations written several ways that became one.
	Spellings []Decision `json:"merged_spellings,omitempty"`
	// Filled are organisations some of whose rows give no country: they
	// took the country of their other rows.
	Filled []Decision `json:"filled_country,omitempty"`
	// Defaulted are organisations whose rows give no country, given
	// --default-country.
	Defaulted []Decision `json:"defaulted_country,omitempty"`
	// NoCountry are table organisations left without a country: out of
	// the country network.
	NoCountry []Decision `json:"without_country,omitempty"`
	// Merged are the agreements that several rows state (a pair listed
	// from both sides, a file loaded twice) and the participations a
	// table lists twice: Org is the agreement's ID, At the rows (every row
	// cites its line in the agreement's sources).
	Merged []Decision `json:"merged_rows,omitempty"`
	// Skipped counts rows dropped under --skip-invalid (their problems are
	// the files' warnings).
	Skipped int `json:"skipped_rows"`
	// The totals of each list; the lists keep the first MaxDecisions.
	SpellingsTotal, FilledTotal, DefaultedTotal, NoCountryTotal, MergedTotal int `json:"-"`
}

// MaxDecisions is how many decisions of each kind a summary lists.
const MaxDecisions = 20

// Decision is one organisation's entry in a summary.
type Decision struct {
	Org    string   `json:"org"`
	Name   string   `json:"name"`
	Detail string   `json:"detail,omitempty"`
	At     []string `json:"at"` // the rows, file:line; at most 3 (10 for merged rows)
}

// mergedRows is an agreement several rows state, or a repeated
// participation, before the summary sorts them.
type mergedRows struct {
	agreement, what, detail string
	rows                    []string
}

// orgName is an organisation's name, or its ID when it has none.
func (st *state) orgName(id string) string {
	if o := st.ds.Organizations[id]; o != nil && o.Name != "" {
		return o.Name
	}
	return id
}

// summarize fills the report's summary from the resolved mentions.
func (st *state) summarize() {
	s := &st.report.Summary
	type acc struct {
		names              []string
		nameAt             []string
		filled, defaulted  []string
		nFilled, nDefaults int
		first              string
	}
	byOrg := map[string]*acc{}
	get := func(id string) *acc {
		a := byOrg[id]
		if a == nil {
			a = &acc{}
			byOrg[id] = a
		}
		return a
	}
	for i := range st.mentions.len() {
		m := st.mentions.at(i)
		// Most rows (every H2020 row) give an ID or a name and a country:
		// nothing to tell, and no lookup.
		if m.org == "" || (m.name == "" && m.country != "" && (len(st.defaulted) == 0 || !st.defaulted[i])) {
			continue
		}
		o := m.o
		if o == nil {
			continue
		}
		if m.name != "" && m.name != o.Name {
			a := get(m.org)
			if !slices.Contains(a.names, m.name) {
				a.names = append(a.names, m.name)
				a.nameAt = append(a.nameAt, m.at.where())
			}
		}
		switch {
		case st.defaulted[i]:
			a := get(m.org)
			a.nDefaults++
			if len(a.defaulted) < 3 {
				a.defaulted = append(a.defaulted, m.at.where())
			}
		case m.country == "" && o.Country != "":
			a := get(m.org)
			a.nFilled++
			if len(a.filled) < 3 {
				a.filled = append(a.filled, m.at.where())
			}
		case o.Country == "":
			a := get(m.org)
			if a.first == "" {
				a.first = m.at.where()
			}
		}
	}
	for _, id := range slices.Sorted(func(yield func(string) bool) {
		for id := range byOrg {
			if !yield(id) {
				return
			}
		}
	}) {
		a, o := byOrg[id], st.ds.Organizations[id]
		add := func(list *[]Decision, total *int, d Decision) {
			*total++
			if len(*list) < MaxDecisions {
				*list = append(*list, d)
			}
		}
		if len(a.names) > 0 {
			at := a.nameAt[:min(3, len(a.nameAt))]
			add(&s.Spellings, &s.SpellingsTotal, Decision{Org: id, Name: o.Name, Detail: "also written " + quoteAll(a.names), At: at})
		}
		if a.nFilled > 0 {
			add(&s.Filled, &s.FilledTotal, Decision{Org: id, Name: o.Name, Detail: fmt.Sprintf("%d row(s) without a country took %s from its other rows", a.nFilled, o.Country), At: a.filled})
		}
		if a.nDefaults > 0 {
			add(&s.Defaulted, &s.DefaultedTotal, Decision{Org: id, Name: o.Name, Detail: fmt.Sprintf("%d row(s) without a country took %s (--default-country)", a.nDefaults, st.l.defCountry), At: a.defaulted})
		}
		if a.first != "" {
			add(&s.NoCountry, &s.NoCountryTotal, Decision{Org: id, Name: o.Name, At: []string{a.first}})
		}
	}
	slices.SortFunc(st.merged, func(a, b mergedRows) int {
		return cmp.Or(cmp.Compare(a.agreement, b.agreement), slices.Compare(a.rows, b.rows))
	})
	for _, m := range st.merged {
		s.MergedTotal++
		if len(s.Merged) < MaxDecisions {
			rows := m.rows
			if len(rows) > 10 {
				rows = append(slices.Clip(rows[:10]), fmt.Sprintf("and %d more", len(rows)-10))
			}
			s.Merged = append(s.Merged, Decision{Org: m.agreement, Name: m.what, Detail: m.detail, At: rows})
		}
	}
	for _, f := range st.report.Files {
		s.Skipped += f.Skipped
	}
}

func quoteAll(ns []string) string {
	var q []string
	for _, n := range ns {
		q = append(q, fmt.Sprintf("%q", n))
	}
	return strings.Join(q, ", ")
}

// Lines is the summary as a person reads it, one line per decision; none
// when the load decided nothing worth telling.
func (s Summary) Lines() []string {
	var out []string
	list := func(title string, ds []Decision, total int) {
		if total == 0 {
			return
		}
		out = append(out, fmt.Sprintf("%s: %d", title, total))
		for _, d := range ds {
			line := fmt.Sprintf("  %s (%s)", d.Name, d.Org)
			if d.Detail != "" {
				line += ": " + d.Detail
			}
			out = append(out, line+"; "+strings.Join(d.At, ", "))
		}
		if total > len(ds) {
			out = append(out, fmt.Sprintf("  ... and %d more", total-len(ds)))
		}
	}
	list("organisations written several ways, merged", s.Spellings, s.SpellingsTotal)
	list("organisations with rows without a country, filled from their other rows", s.Filled, s.FilledTotal)
	list("organisations given --default-country", s.Defaulted, s.DefaultedTotal)
	list("rows merged: agreements stated by several rows (each row cited), participations listed twice", s.Merged, s.MergedTotal)
	list("organisations left without a country (not in the country network; --default-country or a country column fills them)", s.NoCountry, s.NoCountryTotal)
	if s.Skipped > 0 {
		out = append(out, fmt.Sprintf("rows skipped (--skip-invalid): %d; their problems are listed above", s.Skipped))
	}
	return out
}
