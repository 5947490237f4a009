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

// Two files of one load with the same base name (a/x.csv, b/x.csv) are two
// sources: each agreement cites the file its row is in, not whichever of
// the two was read last. A file alone keeps its base-name ID, and Ref, when
// given, is the name the Source records (whatever the file is called in
// messages).
func TestSameBaseNameCitesEachFile(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"a", "b"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	a, b := filepath.Join(dir, "a", "x.csv"), filepath.Join(dir, "b", "x.csv")
	for f, row := range map[string]string{a: "Alpha Labs,DE,Beta Works,FR", b: "Gamma Inc,US,Delta Ltd,GB"} {
		if err := os.WriteFile(f, []byte("party_a,country_a,party_b,country_b,type\n"+row+",mou\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l, _ := New(Options{})
	ds, _, err := l.Load(t.Context(), []Input{FileInput(a), FileInput(b)})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"Alpha Labs": a, "Beta Works": a, "Gamma Inc": b, "Delta Ltd": b}
	for _, ag := range ds.Agreements {
		if len(ag.Sources) != 1 {
			t.Fatalf("agreement %s cites %v, want one file", ag.ID, ag.Sources)
		}
		src := ds.Sources[ag.Sources[0].Source]
		party := ds.Organizations[ag.Parties[0].Org].Name
		if w, ok := want[party]; !ok || src == nil || src.File != w {
			t.Errorf("agreement %s (party %s) cites %+v, want %s", ag.ID, party, src, w)
		}
	}
	if len(ds.Sources) != 2 {
		t.Errorf("%d sources, want one per file", len(ds.Sources))
	}

	in := FileInput(a)
	in.Name, in.Ref = "x.csv", a
	ds, _, err = l.Load(t.Context(), []Input{in})
	if err != nil {
		t.Fatal(err)
	}
	if s := ds.Sources["file:x.csv"]; s == nil || s.File != a {
		t.Errorf("a file alone: sources %v, want file:x.csv recording %s", ds.Sources, a)
	}
}
