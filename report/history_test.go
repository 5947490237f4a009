package report

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/collabnet/collabnet/graph"
)

func ip(i int) *int { return &i }

// Two hand-made snapshots and every change between them, written out by hand.
func TestDiff(t *testing.T) {
	t0 := time.Date(2026, 11, 14, 7, 0, 0, 0, time.UTC)
	prev := &Snapshot{
		Format: SnapshotFormat, Taken: t0,
		Counts: countsOf(3, 2, 2),
		Organizations: []SnapOrg{
			{ID: "a", Name: "甲园", NameEN: "Park A", Country: "CN"},
			{ID: "b", Name: "Bpark", Country: "DE"},
			{ID: "c", Name: "Cpark", Country: "FR"},
		},
		Countries: []SnapCountry{{Code: "CN"}, {Code: "DE"}, {Code: "FR"}},
		Agreements: []SnapAgreement{
			{ID: "ab", Parties: []string{"a", "b"}, Date: "2025-03"},
			{ID: "ac", Parties: []string{"a", "c"}, Date: "2025"},
		},
		Coverage: []SnapCoverage{{Figure: "f42", Value: 42, Named: 1}, {Figure: "gone", Value: 3, Named: 0}},
		Top: []SnapTop{{Measure: "degree", Ranks: []SnapRank{
			{ID: "a", Rank: 1, Value: 2}, {ID: "b", Rank: 2, Value: 1}, {ID: "c", Rank: 2, Value: 1}}}},
	}
	cur := &Snapshot{
		Format: SnapshotFormat, Taken: t0.Add(7 * 24 * time.Hour),
		Counts: countsOf(3, 2, 3),
		Organizations: []SnapOrg{
			{ID: "a", Name: "甲园", NameEN: "Park A", Country: "CN"},
			{ID: "b", Name: "Bpark", Country: "DE"},
			{ID: "d", Name: "Dpark", Country: "BR"},
		},
		Countries: []SnapCountry{{Code: "CN"}, {Code: "DE"}, {Code: "BR", NameEN: "Brazil"}},
		Agreements: []SnapAgreement{
			{ID: "ab", Parties: []string{"b", "a"}, Date: "2025-03"}, // same parties, other order: unchanged
			{ID: "ad", Parties: []string{"a", "d"}, Date: "2026-01"},
			{ID: "bd", Parties: []string{"b", "d"}},
		},
		Coverage: []SnapCoverage{{Figure: "f42", Value: 42, Named: 2}, {Figure: "new", Value: 5, Named: 1}},
		Top: []SnapTop{{Measure: "degree", Ranks: []SnapRank{
			{ID: "a", Rank: 1, Value: 2}, {ID: "b", Rank: 1, Value: 2}, {ID: "d", Rank: 1, Value: 2}}}},
	}
	c := Diff(prev, cur)
	if c.First || c.Previous == nil || !c.Previous.Equal(t0) {
		t.Fatalf("first %v, previous %v", c.First, c.Previous)
	}
	orgA := SnapOrg{ID: "a", Name: "甲园", NameEN: "Park A", Country: "CN"}
	orgB := SnapOrg{ID: "b", Name: "Bpark", Country: "DE"}
	orgC := SnapOrg{ID: "c", Name: "Cpark", Country: "FR"}
	orgD := SnapOrg{ID: "d", Name: "Dpark", Country: "BR"}
	want := []struct {
		name      string
		got, want any
	}{
		{"new agreements", c.NewAgreements, []AgreementRef{
			{ID: "ad", Date: "2026-01", Parties: []SnapOrg{orgA, orgD}},
			{ID: "bd", Parties: []SnapOrg{orgB, orgD}}}},
		// c is gone from the current snapshot: its name comes from the previous one.
		{"removed agreements", c.RemovedAgreements, []AgreementRef{{ID: "ac", Date: "2025", Parties: []SnapOrg{orgA, orgC}}}},
		{"changed agreements", c.ChangedAgreements, []AgreementRef{}},
		{"new organisations", c.NewOrganizations, []SnapOrg{orgD}},
		{"removed organisations", c.RemovedOrganizations, []SnapOrg{orgC}},
		{"new countries", c.NewCountries, []SnapCountry{{Code: "BR", NameEN: "Brazil"}}},
		{"removed countries", c.RemovedCountries, []SnapCountry{{Code: "FR"}}},
		{"coverage", c.Coverage, []CoverageChange{
			{Figure: "f42", Value: 42, Before: ip(1), After: ip(2)},
			{Figure: "new", Value: 5, Before: nil, After: ip(1)},
			{Figure: "gone", Value: 3, Before: ip(0), After: nil}}},
		// a stays first; b moves from 2 to 1 (tied); d enters at 1; c leaves.
		{"ranks", c.Ranks, []RankChange{
			{Measure: "degree", ID: "b", Name: "Bpark", Before: ip(2), After: ip(1)},
			{Measure: "degree", ID: "d", Name: "Dpark", Before: nil, After: ip(1)},
			{Measure: "degree", ID: "c", Name: "Cpark", Before: ip(2), After: nil}}},
		{"counts", c.Counts[:3], []CountChange{{"organizations", 3, 3}, {"agreements", 2, 3}, {"countries", 2, 2}}},
	}
	for _, w := range want {
		if !reflect.DeepEqual(w.got, w.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", w.name, w.got, w.want)
		}
	}
	if c.Empty() {
		t.Error("Empty() on changes")
	}
	if c.OptionsChanged {
		t.Error("options did not change")
	}
}

func countsOf(orgs, countries, agreements int) graph.Counts {
	return graph.Counts{Organizations: orgs, Countries: countries, Agreements: agreements}
}

// An agreement whose parties change is listed with its old parties; the
// same snapshot twice changes nothing; no previous snapshot is the first run.
func TestDiffChangedPartiesAndNothing(t *testing.T) {
	s1 := &Snapshot{Organizations: []SnapOrg{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}, {ID: "c", Name: "C"}},
		Agreements: []SnapAgreement{{ID: "x", Parties: []string{"a", "b"}}}}
	s2 := &Snapshot{Organizations: s1.Organizations, Agreements: []SnapAgreement{{ID: "x", Parties: []string{"a", "c"}}}}
	c := Diff(s1, s2)
	want := []AgreementRef{{ID: "x", Parties: []SnapOrg{{ID: "a", Name: "A"}, {ID: "c", Name: "C"}},
		Before: []SnapOrg{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}}}}
	if !reflect.DeepEqual(c.ChangedAgreements, want) {
		t.Errorf("changed: %+v", c.ChangedAgreements)
	}
	if c := Diff(s1, s1); !c.Empty() || c.First {
		t.Errorf("the same snapshot: %+v", c)
	}
	if c := Diff(nil, s1); !c.First || !c.Empty() {
		t.Errorf("first run: %+v", c)
	}
	s3 := *s1
	s3.Options.Seed = 7
	if !Diff(s1, &s3).OptionsChanged {
		t.Error("the seed changed: options changed")
	}
}

// Snapshots are named by time, a second snapshot in the same second gets a
// suffix, "latest" names the newest, and a missing or broken pointer falls
// back to the newest file.
func TestHistory(t *testing.T) {
	h := History{Dir: filepath.Join(t.TempDir(), "snapshots")}
	if s, name, err := h.Latest(); s != nil || name != "" || err != nil {
		t.Fatalf("empty history: %v %q %v", s, name, err)
	}
	t1 := time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)
	var names []string
	for i, tm := range []time.Time{t1, t1.Add(400 * time.Millisecond), t1.Add(time.Second), t1.Add(-time.Hour)} {
		name, err := h.Save(&Snapshot{Format: SnapshotFormat, Taken: tm, Version: string(rune('a' + i))})
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	wantNames := []string{"2026-11-21T070000Z.json", "2026-11-21T070000Z-2.json", "2026-11-21T070001Z.json", "2026-11-21T060000Z.json"}
	if !reflect.DeepEqual(names, wantNames) {
		t.Fatalf("names %v, want %v", names, wantNames)
	}
	// latest is the last saved, whatever its time.
	s, name, err := h.Latest()
	if err != nil || name != "2026-11-21T060000Z.json" || s.Version != "d" {
		t.Fatalf("latest: %q %+v %v", name, s, err)
	}
	list, _ := h.List()
	if want := []string{"2026-11-21T060000Z.json", "2026-11-21T070000Z.json", "2026-11-21T070000Z-2.json", "2026-11-21T070001Z.json"}; !reflect.DeepEqual(list, want) {
		t.Errorf("list %v, want %v", list, want)
	}
	// No pointer: the newest by name.
	os.Remove(filepath.Join(h.Dir, LatestFile))
	if _, name, _ := h.Latest(); name != "2026-11-21T070001Z.json" {
		t.Errorf("without latest: %q", name)
	}
	// A pointer to a file that is gone: the same.
	os.WriteFile(filepath.Join(h.Dir, LatestFile), []byte("2030-01-01T000000Z.json\n"), 0o644)
	if _, name, _ := h.Latest(); name != "2026-11-21T070001Z.json" {
		t.Errorf("with a broken latest: %q", name)
	}
	// A corrupt snapshot is an error, not a silent first run.
	os.WriteFile(filepath.Join(h.Dir, "2026-11-21T070001Z.json"), []byte("{"), 0o644)
	if _, _, err := h.Latest(); err == nil {
		t.Error("a corrupt snapshot reads without error")
	}
}

// Save (a test helper) writes a snapshot under NextName and points "latest" at it.
func (h History) Save(s *Snapshot) (string, error) {
	name := h.NextName(s.Taken)
	return name, h.SaveAs(name, s)
}

// A snapshot of format 1 (written before snake_case keys: options and
// counts under Go field names, the budget in nanoseconds) still reads,
// with its options and counts.
func TestReadSnapshotFormat1(t *testing.T) {
	s, err := ReadSnapshot(filepath.Join("testdata", "snapshot-format1.json"))
	if err != nil {
		t.Fatal(err)
	}
	o := s.Options
	if !slices.Equal(o.Countries, []string{"DE", "FR"}) || !o.Fractional || !o.WeightedPaths || o.Resolution != 1.5 || o.Seed != 7 ||
		o.Sample != 300 || !o.Exact || o.Budget != 90*time.Second || o.Period != "year" {
		t.Errorf("options of a format-1 snapshot: %+v", o)
	}
	if s.Counts.Organizations != 54 || s.Counts.Relations != 3 || len(s.Organizations) != 54 {
		t.Errorf("counts of a format-1 snapshot: %+v, %d organisations", s.Counts, len(s.Organizations))
	}
}
