package loader

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// sharedDataset finds a file of ../shared/datasets (beside the repository),
// or skips: the project must build and pass without that folder.
func sharedDataset(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join("..", "..", "shared", "datasets", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s is absent (the shared datasets live beside the repository, in ../shared/datasets): %v", p, err)
	}
	return p
}

// The README of ../shared/datasets gives these counts for the H2020 file:
// 144,726 rows, about 31,451 projects and 35,871 organisations, 169 countries.
func TestLoadH2020Participations(t *testing.T) {
	if testing.Short() {
		t.Skip("the whole H2020 file: the full lane, scripts/test; -short loads samples of it")
	}
	path := sharedDataset(t, "h2020/participations.csv.gz")
	l, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	ds, rep, err := l.Load(context.Background(), []Input{FileInput(path)})
	if err != nil {
		t.Fatal(err)
	}
	fr := rep.Files[0]
	if fr.Format != FormatParticipations {
		t.Errorf("detected format %q", fr.Format)
	}
	if fr.Rows != 144726 {
		t.Errorf("rows = %d, want 144726", fr.Rows)
	}
	if n := len(ds.Agreements); n != 31451 {
		t.Errorf("projects = %d, want 31451", n)
	}
	if n := len(ds.Organizations); n != 35871 {
		t.Errorf("organisations = %d, want 35871", n)
	}
	// EL and UK are EU codes for GR and GB; the file has no other aliases.
	if _, ok := ds.Countries["GR"]; !ok {
		t.Error("EL was not resolved to GR")
	}
	if _, ok := ds.Countries["GB"]; !ok {
		t.Error("UK was not resolved to GB")
	}
	t.Logf("countries: %d; warnings: %v", len(ds.Countries), fr.Warnings)
}

// The README gives 26,114 pairs for the twin-cities file. Its countries are
// messy (typos such as "Grece"), so a strict load must fail and name them.
func TestLoadTwinCitiesStrictNamesBadCountries(t *testing.T) {
	path := sharedDataset(t, "twincities/twin_cities.csv")
	l, _ := New(Options{FoldAccents: true})
	_, _, err := l.Load(context.Background(), []Input{FileInput(path)})
	ps, ok := err.(Problems)
	if !ok {
		t.Fatalf("strict load of a file with unknown countries: err = %v, want Problems", err)
	}
	for _, p := range ps {
		if p.Line < 2 || p.Column == 0 || p.Value == "" {
			t.Errorf("problem not located: %+v", p)
		}
	}
	t.Logf("%d problems, first: %v", len(ps), ps[0])
}

// With the aliases of examples/twin-cities.yaml and invalid rows skipped, the
// file loads; what is skipped is exactly what that configuration leaves out.
func TestLoadTwinCitiesWithExampleConfig(t *testing.T) {
	path := sharedDataset(t, "twincities/twin_cities.csv")
	var cfg struct {
		Countries struct {
			Aliases map[string]string `yaml:"aliases"`
		} `yaml:"countries"`
	}
	b, err := os.ReadFile(filepath.Join("..", "examples", "twin-cities.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	l, err := New(Options{FoldAccents: true, SkipInvalid: true, CountryAliases: cfg.Countries.Aliases})
	if err != nil {
		t.Fatal(err)
	}
	ds, rep, err := l.Load(context.Background(), []Input{FileInput(path)})
	if err != nil {
		t.Fatal(err)
	}
	fr := rep.Files[0]
	if fr.Rows != 26114 {
		t.Errorf("rows = %d, want 26114", fr.Rows)
	}
	// 7 Congo + 48 Northern Cyprus + 3 same-name pairs.
	if fr.Skipped != 58 {
		t.Errorf("skipped %d rows, want 58: %v", fr.Skipped, fr.Warnings)
	}
	for _, w := range fr.Warnings {
		if !strings.Contains(w.Value, "Congo") && !strings.Contains(w.Value, "Northern Cyprus") && !strings.Contains(w.Msg, "cannot agree with itself") {
			t.Errorf("unexpected skip: %v", w)
		}
	}
	// Every kept row is one agreement or repeats one (the lists name each
	// twinning from both sides).
	if got := len(ds.Agreements) + fr.Merged; got != 26114-58 {
		t.Errorf("agreements %d + merged %d = %d, want %d", len(ds.Agreements), fr.Merged, got, 26114-58)
	}
	// 17,820 distinct (city, country) spellings in the file; resolution folds
	// case, accents and country spellings (England, United Kingdom), so there
	// are fewer organisations, never more.
	if n := len(ds.Organizations); n >= 17820 || n < 15000 {
		t.Errorf("organisations = %d, want fewer than the 17,820 raw spellings", n)
	}
	// Berat (Albania) and Bérat (France) are two towns: accents fold only
	// within a country.
	if _, ok := ds.Organizations["al:berat"]; !ok {
		t.Error("al:berat missing")
	}
	if _, ok := ds.Organizations["fr:berat"]; !ok {
		t.Error("fr:berat missing")
	}
	t.Logf("agreements %d, merged %d, organisations %d, countries %d", len(ds.Agreements), fr.Merged, len(ds.Organizations), len(ds.Countries))
}

// BenchmarkLoadH2020 reads the whole H2020 participations file (for
// profiling the reading; scripts/bench-read compares two revisions of the
// whole command on it).
func BenchmarkLoadH2020(b *testing.B) {
	path := sharedDataset(b, "h2020/participations.csv.gz")
	l, err := New(Options{FoldAccents: true})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := l.Load(context.Background(), []Input{FileInput(path)}); err != nil {
			b.Fatal(err)
		}
	}
}
