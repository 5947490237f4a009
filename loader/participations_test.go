package loader

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A participations file split in parts: project 1 has parties in both, and
// is one agreement with all three, citing each of its rows in each part.
func TestParticipationsSplitAcrossFiles(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"part1.csv": "rcn,role,pic,type,country\n1,coordinator,100,HES,DE\n1,participant,200,PRC,FR\n",
		"part2.csv": "rcn,role,pic,type,country\n2,coordinator,200,PRC,FR\n1,participant,300,REC,IT\n",
	})
	l, _ := New(Options{})
	ds, _, err := l.Load(t.Context(), []Input{FileInput(filepath.Join(dir, "part1.csv")), FileInput(filepath.Join(dir, "part2.csv"))})
	if err != nil {
		t.Fatal(err)
	}
	a := ds.Agreements["project:1"]
	if a == nil {
		t.Fatalf("project 1 missing: %v", keys(ds.Agreements))
	}
	var parties, cited []string
	for _, p := range a.Parties {
		parties = append(parties, p.Org)
	}
	for _, c := range a.Sources {
		cited = append(cited, c.String())
	}
	if !slices.Equal(parties, []string{"100", "200", "300"}) {
		t.Errorf("project 1 parties %v, want 100 200 300", parties)
	}
	if !slices.Equal(cited, []string{"file:part1.csv#2,3", "file:part2.csv#3"}) {
		t.Errorf("project 1 cites %v, want each of its rows in each part", cited)
	}
}

// A project ID that a native file already uses for another agreement is an
// error, whichever file comes first.
func TestParticipationsProjectIDClash(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"table.csv": "rcn,pic,country\n7,100,DE\n7,200,FR\n",
		"native.yaml": `sources:
  - id: s1
    title: test source
organizations:
  - {id: a, name: A, kind: company, country: DE, sources: ["s1"]}
  - {id: b, name: B, kind: company, country: FR, sources: ["s1"]}
agreements:
  - id: project:7
    parties: [a, b]
    type: mou
    sources: ["s1"]
`,
	})
	table, native := FileInput(filepath.Join(dir, "table.csv")), FileInput(filepath.Join(dir, "native.yaml"))
	for _, order := range [][]Input{{native, table}, {table, native}} {
		l, _ := New(Options{})
		_, _, err := l.Load(t.Context(), order)
		var ps Problems
		if !errors.As(err, &ps) || !strings.Contains(err.Error(), "project:7") {
			t.Errorf("%s then %s: err = %v, want a problem naming project:7", order[0].Name, order[1].Name, err)
		}
	}
}
