package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/collabnet/collabnet/loader"
)

// seedsDir is ../shared/seeds from the repository root, absolute (run
// changes directory); the test skips without it, except under CI=true.
func seedsDir(t *testing.T) string {
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "seeds"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the seed articles are absent: %v", err)
		}
		t.Skipf("the seed articles are absent: %v", err)
	}
	return dir
}

// collabnet verify finds every fact of the shipped data in its source and
// prints a row per fact; on a file with a changed number it prints the
// fact as NOT FOUND and fails.
func TestVerifyCommand(t *testing.T) {
	seeds := seedsDir(t)
	out, err := run(t, "", "verify", "--sources", seeds, "--format", "json")
	if err != nil {
		t.Fatalf("verify the shipped data: %v\n%s", err, out)
	}
	var rows []struct {
		Kind    string   `json:"kind"`
		ID      string   `json:"id"`
		Found   bool     `json:"found"`
		Sources []string `json:"sources"`
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, r := range rows {
		kinds[r.Kind]++
		if !r.Found {
			t.Errorf("%s %s not found", r.Kind, r.ID)
		}
	}
	// The shipped data: 8 agreements, 9 relations (data/*.yaml).
	if kinds["agreement"] != 8 || kinds["relation"] != 9 || kinds["figure"] == 0 || kinds["organization"] == 0 {
		t.Errorf("rows by kind %v", kinds)
	}
	mutated, err := filepath.Abs(filepath.Join("..", "..", "data", "testdata", "verify", "changed-number.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	out, err = run(t, "", "verify", "--sources", seeds, "-i", mutated, "--failed")
	if !errors.Is(err, loader.ErrNotFound) {
		t.Errorf("verify of a changed number: error %v, want facts not found", err)
	}
	if !strings.Contains(out, "pairs-42") || !strings.Contains(out, "NOT FOUND") || !strings.Contains(out, "number 43") {
		t.Errorf("verify output:\n%s", out)
	}
	if _, err := run(t, "", "verify"); err == nil || !strings.Contains(err.Error(), "--sources") {
		t.Errorf("verify without --sources: %v", err)
	}
}

// --evidence stated drops the facts of other grades from the analysis: an
// inferred agreement makes no tie, a stated one does.
func TestAnalyzeEvidenceStated(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.yaml")
	if err := os.WriteFile(in, []byte(`sources:
  - {id: s1, title: an article}
organizations:
  - {id: a, name: 甲园, kind: science_park, country: CN}
  - {id: b, name: 乙园, kind: science_park, country: DE}
  - {id: c, name: 丙园, kind: science_park, country: FR}
agreements:
  - {id: ab, parties: [a, b], type: mou, sources: ["s1#1"], evidence: stated}
  - {id: ac, parties: [a, c], type: mou, sources: ["s1#2"], evidence: inferred, reason: "same event, parties not named together"}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	degrees := func(args ...string) map[string]float64 {
		out, err := run(t, dir, append([]string{"analyze", "-i", in, "--measures", "degree", "--format", "json"}, args...)...)
		if err != nil {
			t.Fatalf("analyze %v: %v\n%s", args, err, out)
		}
		var lvl struct {
			Nodes []struct {
				ID     string  `json:"id"`
				Degree float64 `json:"degree"`
			} `json:"nodes"`
		}
		if err := json.Unmarshal([]byte(out), &lvl); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		m := map[string]float64{}
		for _, n := range lvl.Nodes {
			m[n.ID] = n.Degree
		}
		return m
	}
	if d := degrees(); d["a"] != 2 || d["c"] != 1 {
		t.Errorf("all grades: degrees %v, want a 2, c 1", d)
	}
	if d := degrees("--evidence", "stated"); d["a"] != 1 || d["b"] != 1 || d["c"] != 0 {
		t.Errorf("--evidence stated: degrees %v, want a 1, b 1, c 0", d)
	}
	if _, err := run(t, dir, "analyze", "-i", in, "--evidence", "sure"); err == nil {
		t.Error("--evidence sure accepted")
	}
}

// list figures shows, for the 42 pairs of IASP 2025, the seven countries
// s001#31 names (德国、意大利、新加坡、韩国、匈牙利、沙特、古巴), none with a named
// agreement, each between 1 and 42 of the 42 ties; and the MoU whose link
// to the figure is inferred is not counted as named.
func TestListFiguresCountries(t *testing.T) {
	out, err := run(t, "", "list", "figures")
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(out, "iasp-2025-sino-foreign-pairs (42 pairs, s001#31): the countries it names")
	if i < 0 {
		t.Fatalf("no country table for the 42 pairs:\n%s", out)
	}
	var codes []string
	for _, line := range strings.Split(strings.TrimSpace(out[i:]), "\n")[2:] {
		f := strings.Fields(line)
		codes = append(codes, f[0])
		if !strings.Contains(line, " none ") || !strings.HasSuffix(line, "1–42 of 42") {
			t.Errorf("row %q: want none named, 1–42 of 42", line)
		}
	}
	if strings.Join(codes, " ") != "CU DE HU IT KR SA SG" {
		t.Errorf("countries %v", codes)
	}
	if !strings.Contains(out, "0 of 42 (0%), 1 more linked but not stated (iasp-2025-zgc-iip-seoul-sba)") {
		t.Error("the 42 pairs' coverage is not 0 of 42 with the inferred link apart")
	}
}
