package report

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/internal/atomicfile"
)

// SnapshotFormat is the version of the snapshot file format. Format 1
// (before snake_case keys in options and counts, and the budget in
// seconds) is still read: analysis.Options and graph.Counts migrate it.
const SnapshotFormat = 2

// TopK is the length of the top lists: the report's tables and charts; a
// snapshot keeps every organisation ranked within it (ties included).
const TopK = 10

// maxSnapRanks bounds the ranks a snapshot keeps per measure when many tie.
const maxSnapRanks = 1000

// Snapshot is what a run keeps so that the next run can say what changed:
// the agreements with their parties, the organisations, the countries, the
// coverage of the reported figures and the top ranks per measure.
type Snapshot struct {
	Format        int              `json:"format"`
	Taken         time.Time        `json:"taken"`
	Version       string           `json:"version,omitempty"`
	Inputs        []string         `json:"inputs"`
	Options       analysis.Options `json:"options"`
	Counts        graph.Counts     `json:"counts"`
	Agreements    []SnapAgreement  `json:"agreements"`
	Organizations []SnapOrg        `json:"organizations"`
	Countries     []SnapCountry    `json:"countries"`
	Coverage      []SnapCoverage   `json:"coverage"`
	Top           []SnapTop        `json:"top"`
}

// SnapAgreement is an agreement in a snapshot; Parties are organisation IDs.
type SnapAgreement struct {
	ID      string   `json:"id"`
	Parties []string `json:"parties"`
	Type    string   `json:"type,omitempty"`
	Date    string   `json:"date,omitempty"`
}

// SnapOrg is an organisation in a snapshot.
type SnapOrg struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	NameEN  string `json:"name_en,omitempty"`
	Country string `json:"country,omitempty"`
}

// SnapCountry is a country in a snapshot.
type SnapCountry struct {
	Code   string `json:"code"`
	NameEN string `json:"name_en,omitempty"`
	NameZH string `json:"name_zh,omitempty"`
}

// SnapCoverage is a reported figure and how many named agreements it counts.
type SnapCoverage struct {
	Figure string  `json:"figure"`
	Value  float64 `json:"value"`
	Named  int     `json:"named"`
}

// SnapTop is the top organisations by one measure, with their competition ranks.
type SnapTop struct {
	Measure string     `json:"measure"`
	Ranks   []SnapRank `json:"ranks"`
}

// SnapRank is one organisation's rank (1 = highest) and value.
type SnapRank struct {
	ID    string  `json:"id"`
	Rank  int     `json:"rank"`
	Value float64 `json:"value"`
}

// NewSnapshot takes the snapshot of a dataset and its analysis.
func NewSnapshot(ds *graph.Dataset, an *analysis.Analysis, inputs []string, version string, taken time.Time) *Snapshot {
	s := &Snapshot{Format: SnapshotFormat, Taken: taken.UTC(), Version: version, Inputs: slices.Clone(inputs),
		Options: an.Options, Counts: ds.Counts(),
		Agreements: []SnapAgreement{}, Organizations: []SnapOrg{}, Countries: []SnapCountry{},
		Coverage: []SnapCoverage{}, Top: []SnapTop{}}
	if s.Inputs == nil {
		s.Inputs = []string{}
	}
	for _, a := range ds.SortedAgreements() {
		sa := SnapAgreement{ID: a.ID, Type: a.Type, Date: a.Date}
		for _, p := range a.Parties {
			sa.Parties = append(sa.Parties, p.Org)
		}
		s.Agreements = append(s.Agreements, sa)
	}
	for _, o := range ds.SortedOrganizations() {
		s.Organizations = append(s.Organizations, SnapOrg{o.ID, o.Name, o.NameEN, o.Country})
	}
	for _, c := range ds.SortedCountries() {
		s.Countries = append(s.Countries, SnapCountry{c.Code, c.NameEN, c.NameZH})
	}
	for _, c := range ds.Coverage() {
		if c.Figure.Coverage {
			s.Coverage = append(s.Coverage, SnapCoverage{c.Figure.ID, c.Figure.Value, len(c.Named)})
		}
	}
	for _, d := range rankedMeasures() {
		name, get := string(d.Name), getter(d.Name)
		if !an.Org.Has(d.Name) {
			continue
		}
		// Everyone ranked within the top, ties with the last included, so
		// that the tie-break by ID never makes a rank change.
		top, ranks, more := an.Org.Ranked(TopK, get)
		if more > 0 {
			top, ranks, _ = an.Org.Ranked(min(TopK+more, maxSnapRanks), get)
		}
		st := SnapTop{Measure: name, Ranks: []SnapRank{}}
		for i := range top {
			v := get(&top[i])
			if v != v { // NaN: not computed, not ranked
				continue
			}
			st.Ranks = append(st.Ranks, SnapRank{top[i].ID, ranks[i], v})
		}
		s.Top = append(s.Top, st)
	}
	return s
}

// Changes is what changed since the previous snapshot.
type Changes struct {
	// First is true when there was no previous snapshot.
	First bool `json:"first"`
	// PreviousError says why the previous snapshot could not be read (the
	// report then shows no changes).
	PreviousError string `json:"previous_error,omitempty"`
	// Previous is when the previous snapshot was taken; PreviousFile its name.
	Previous     *time.Time `json:"previous,omitempty"`
	PreviousFile string     `json:"previous_snapshot,omitempty"`
	// Snapshot is the file name of this run's snapshot (once saved).
	Snapshot string `json:"snapshot,omitempty"`
	// OptionsChanged: the analysis options differ, so ranks may move for
	// that reason alone.
	OptionsChanged bool `json:"options_changed,omitempty"`

	Counts               []CountChange    `json:"counts"`
	NewAgreements        []AgreementRef   `json:"new_agreements"`
	RemovedAgreements    []AgreementRef   `json:"removed_agreements"`
	ChangedAgreements    []AgreementRef   `json:"changed_agreements"` // same ID, other parties
	NewOrganizations     []SnapOrg        `json:"new_organizations"`
	RemovedOrganizations []SnapOrg        `json:"removed_organizations"`
	NewCountries         []SnapCountry    `json:"new_countries"`
	RemovedCountries     []SnapCountry    `json:"removed_countries"`
	Coverage             []CoverageChange `json:"coverage"`
	Ranks                []RankChange     `json:"ranks"`
}

// CountChange is the number of elements of one kind before and after.
type CountChange struct {
	Kind   string `json:"kind"` // organizations, agreements, countries, ...
	Before int    `json:"before"`
	After  int    `json:"after"`
}

// AgreementRef is an agreement as the changes list it: parties by name.
type AgreementRef struct {
	ID      string    `json:"id"`
	Date    string    `json:"date,omitempty"`
	Type    string    `json:"type,omitempty"`
	Parties []SnapOrg `json:"parties"`
	// Changed agreements: the parties they had.
	Before []SnapOrg `json:"parties_before,omitempty"`
}

// CoverageChange is a reported figure whose named agreements changed.
type CoverageChange struct {
	Figure string  `json:"figure"`
	Value  float64 `json:"value"`
	Before *int    `json:"before"` // nil: the figure is new
	After  *int    `json:"after"`  // nil: the figure is gone
}

// RankChange is an organisation whose rank among the top ones by a measure
// changed. Before or After is nil when it was not (is no longer) in the top.
type RankChange struct {
	Measure string `json:"measure"`
	ID      string `json:"id"`
	Name    string `json:"name"`
	NameEN  string `json:"name_en,omitempty"`
	Before  *int   `json:"before"`
	After   *int   `json:"after"`
}

// Empty reports whether nothing changed.
func (c *Changes) Empty() bool {
	if c == nil {
		return true
	}
	for _, n := range c.Counts {
		if n.Before != n.After {
			return false
		}
	}
	return len(c.NewAgreements)+len(c.RemovedAgreements)+len(c.ChangedAgreements)+len(c.NewOrganizations)+
		len(c.RemovedOrganizations)+len(c.NewCountries)+len(c.RemovedCountries)+len(c.Coverage)+len(c.Ranks) == 0
}

// FirstChanges is the Changes of a run without a previous snapshot.
func FirstChanges() *Changes { return emptyChanges(&Changes{First: true}) }

func emptyChanges(c *Changes) *Changes {
	c.Counts = []CountChange{}
	c.NewAgreements, c.RemovedAgreements, c.ChangedAgreements = []AgreementRef{}, []AgreementRef{}, []AgreementRef{}
	c.NewOrganizations, c.RemovedOrganizations = []SnapOrg{}, []SnapOrg{}
	c.NewCountries, c.RemovedCountries = []SnapCountry{}, []SnapCountry{}
	c.Coverage, c.Ranks = []CoverageChange{}, []RankChange{}
	return c
}

// Diff compares a snapshot with the previous one. A nil prev is the first run.
func Diff(prev, cur *Snapshot) *Changes {
	if prev == nil {
		return FirstChanges()
	}
	c := emptyChanges(&Changes{})
	t := prev.Taken
	c.Previous = &t
	c.OptionsChanged = !optionsEqual(prev.Options, cur.Options)
	pc, cc := prev.Counts, cur.Counts
	c.Counts = []CountChange{
		{"organizations", pc.Organizations, cc.Organizations},
		{"agreements", pc.Agreements, cc.Agreements},
		{"countries", pc.Countries, cc.Countries},
		{"events", pc.Events, cc.Events},
		{"programmes", pc.Programmes, cc.Programmes},
		{"figures", pc.Figures, cc.Figures},
		{"sources", pc.Sources, cc.Sources},
	}

	orgID := func(o SnapOrg) string { return o.ID }
	prevOrg, curOrg := byID(prev.Organizations, orgID), byID(cur.Organizations, orgID)
	org := func(m map[string]SnapOrg, id string) SnapOrg {
		if o, ok := m[id]; ok {
			return o
		}
		return SnapOrg{ID: id, Name: id}
	}
	ref := func(a SnapAgreement, m map[string]SnapOrg) AgreementRef {
		r := AgreementRef{ID: a.ID, Date: a.Date, Type: a.Type, Parties: []SnapOrg{}}
		for _, p := range a.Parties {
			r.Parties = append(r.Parties, org(m, p))
		}
		return r
	}
	prevAg, curAg := byID(prev.Agreements, agID), byID(cur.Agreements, agID)
	for _, a := range cur.Agreements {
		old, ok := prevAg[a.ID]
		switch {
		case !ok:
			c.NewAgreements = append(c.NewAgreements, ref(a, curOrg))
		case !sameSet(old.Parties, a.Parties):
			r := ref(a, curOrg)
			r.Before = ref(old, prevOrg).Parties
			c.ChangedAgreements = append(c.ChangedAgreements, r)
		}
	}
	for _, a := range prev.Agreements {
		if _, ok := curAg[a.ID]; !ok {
			c.RemovedAgreements = append(c.RemovedAgreements, ref(a, prevOrg))
		}
	}
	c.NewOrganizations = notIn(cur.Organizations, prevOrg, orgID)
	c.RemovedOrganizations = notIn(prev.Organizations, curOrg, orgID)
	code := func(x SnapCountry) string { return x.Code }
	c.NewCountries = notIn(cur.Countries, byID(prev.Countries, code), code)
	c.RemovedCountries = notIn(prev.Countries, byID(cur.Countries, code), code)

	fig := func(x SnapCoverage) string { return x.Figure }
	prevF, curF := byID(prev.Coverage, fig), byID(cur.Coverage, fig)
	for _, f := range cur.Coverage {
		after := f.Named
		if old, ok := prevF[f.Figure]; !ok {
			c.Coverage = append(c.Coverage, CoverageChange{f.Figure, f.Value, nil, &after})
		} else if old.Named != f.Named {
			before := old.Named
			c.Coverage = append(c.Coverage, CoverageChange{f.Figure, f.Value, &before, &after})
		}
	}
	for _, f := range prev.Coverage {
		if _, ok := curF[f.Figure]; !ok {
			before := f.Named
			c.Coverage = append(c.Coverage, CoverageChange{f.Figure, f.Value, &before, nil})
		}
	}

	prevTop := byID(prev.Top, func(t SnapTop) string { return t.Measure })
	for _, t := range cur.Top {
		before := map[string]int{}
		var order []string
		if pt, ok := prevTop[t.Measure]; ok {
			for _, r := range pt.Ranks {
				before[r.ID] = r.Rank
			}
		}
		after := map[string]int{}
		for _, r := range t.Ranks {
			after[r.ID] = r.Rank
			order = append(order, r.ID)
		}
		if pt, ok := prevTop[t.Measure]; ok {
			for _, r := range pt.Ranks {
				if _, in := after[r.ID]; !in {
					order = append(order, r.ID)
				}
			}
		}
		var moves []RankChange
		for _, id := range order {
			b, inB := before[id]
			a, inA := after[id]
			if inA && inB && a == b {
				continue
			}
			o := org(curOrg, id)
			if _, ok := curOrg[id]; !ok {
				o = org(prevOrg, id)
			}
			rc := RankChange{Measure: t.Measure, ID: id, Name: o.Name, NameEN: o.NameEN}
			if inB {
				rc.Before = &b
			}
			if inA {
				rc.After = &a
			}
			moves = append(moves, rc)
		}
		// Now-ranked first (by rank, then previous rank), then those that
		// left; the same move stays together, in current order.
		key := func(p *int) int {
			if p == nil {
				return math.MaxInt
			}
			return *p
		}
		slices.SortStableFunc(moves, func(x, y RankChange) int {
			return cmp.Or(cmp.Compare(key(x.After), key(y.After)), cmp.Compare(key(x.Before), key(y.Before)))
		})
		c.Ranks = append(c.Ranks, moves...)
	}
	return c
}

func agID(a SnapAgreement) string { return a.ID }

func byID[T any](xs []T, key func(T) string) map[string]T {
	m := make(map[string]T, len(xs))
	for _, x := range xs {
		m[key(x)] = x
	}
	return m
}

// notIn returns the elements of xs whose key is not in m, in order.
func notIn[T any](xs []T, m map[string]T, key func(T) string) []T {
	out := []T{} // a list in the JSON, also when empty
	for _, x := range xs {
		if _, ok := m[key(x)]; !ok {
			out = append(out, x)
		}
	}
	return out
}

func sameSet(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}

func optionsEqual(a, b analysis.Options) bool {
	return slices.Equal(a.Countries, b.Countries) && a.Fractional == b.Fractional && a.WeightedPaths == b.WeightedPaths &&
		a.Resolution == b.Resolution && a.Seed == b.Seed && a.Sample == b.Sample
}

// History is the folder of snapshots, DIR/snapshots: one JSON file per run,
// named by the time it was taken (2026-11-21T070000Z.json), and a file
// "latest" that names the newest one.
type History struct{ Dir string }

// SnapshotsDir is the history's folder within the output directory.
const SnapshotsDir = "snapshots"

// LatestFile names the newest snapshot of a history.
const LatestFile = "latest"

const snapTimeLayout = "2006-01-02T150405Z"

var snapNameRE = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}T\d{6}Z)(?:-(\d+))?\.json$`)

// SnapshotName is the file name of a snapshot taken at t, the seq-th of
// that second (seq 1 has no suffix).
func SnapshotName(t time.Time, seq int) string {
	n := t.UTC().Format(snapTimeLayout)
	if seq > 1 {
		n += "-" + strconv.Itoa(seq)
	}
	return n + ".json"
}

// snapOrder orders snapshot names by time, then sequence; ok is false for
// other names.
func snapOrder(name string) (key string, seq int, ok bool) {
	m := snapNameRE.FindStringSubmatch(name)
	if m == nil {
		return "", 0, false
	}
	seq = 1
	if m[2] != "" {
		seq, _ = strconv.Atoi(m[2])
	}
	return m[1], seq, true
}

// Latest returns the newest snapshot and its file name: the one "latest"
// names, else (no pointer, or a broken one) the newest by file name. It
// returns nil and no error when the history is empty.
func (h History) Latest() (*Snapshot, string, error) {
	name := ""
	if b, err := os.ReadFile(filepath.Join(h.Dir, LatestFile)); err == nil {
		n := strings.TrimSpace(string(b))
		if _, _, ok := snapOrder(n); ok {
			if _, err := os.Stat(filepath.Join(h.Dir, n)); err == nil {
				name = n
			}
		}
	}
	if name == "" {
		names, err := h.List()
		if err != nil {
			return nil, "", err
		}
		if len(names) == 0 {
			return nil, "", nil
		}
		name = names[len(names)-1]
	}
	s, err := ReadSnapshot(filepath.Join(h.Dir, name))
	return s, name, err
}

// List returns the snapshot file names, oldest first.
func (h History) List() ([]string, error) {
	es, err := os.ReadDir(h.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the snapshots: %w", err)
	}
	type entry struct {
		name, key string
		seq       int
	}
	var xs []entry
	for _, e := range es {
		if k, s, ok := snapOrder(e.Name()); ok && e.Type().IsRegular() {
			xs = append(xs, entry{e.Name(), k, s})
		}
	}
	slices.SortFunc(xs, func(a, b entry) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return a.seq - b.seq
	})
	names := make([]string, len(xs))
	for i, x := range xs {
		names[i] = x.name
	}
	return names, nil
}

// ReadSnapshot reads one snapshot file.
func ReadSnapshot(path string) (*Snapshot, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading snapshot: %w", err)
	}
	var s Snapshot
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("reading snapshot %s: %w", path, err)
	}
	if s.Format < 1 || s.Format > SnapshotFormat {
		return nil, fmt.Errorf("snapshot %s: format %d, this collabnet reads formats 1 to %d", path, s.Format, SnapshotFormat)
	}
	return &s, nil
}

// NextName is the file name the next snapshot taken at t gets: the time,
// with a sequence suffix when that second already has a snapshot.
func (h History) NextName(t time.Time) string {
	for seq := 1; ; seq++ {
		name := SnapshotName(t, seq)
		if _, err := os.Lstat(filepath.Join(h.Dir, name)); errors.Is(err, fs.ErrNotExist) {
			return name
		}
	}
}

// SaveAs writes a snapshot under the given name, then points "latest" at
// it. Both files are written under a temporary name and renamed.
func (h History) SaveAs(name string, s *Snapshot) error {
	if _, _, ok := snapOrder(name); !ok {
		return fmt.Errorf("snapshot name %q: want a time like %s", name, SnapshotName(time.Unix(0, 0), 1))
	}
	if err := os.MkdirAll(h.Dir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", h.Dir, err)
	}
	if err := atomicfile.Write(filepath.Join(h.Dir, name), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return enc.Encode(s)
	}); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(h.Dir, LatestFile), func(w io.Writer) error {
		_, err := io.WriteString(w, name+"\n")
		return err
	})
}
