package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/collabnet/collabnet/graph"
)

// Reports run at once into one --out (two schedulers sharing it lost 39 of
// 80 snapshots to each other): every run's snapshot is kept, each run
// compares with the one saved just before it (the runs form one chain), and
// the files left are whole.
func TestConcurrentRunsKeepEverySnapshot(t *testing.T) {
	ds := shipped(t)
	dir := t.TempDir()
	const n = 12
	// One second for all: the names differ only by their sequence suffix,
	// the case where two runs picked the same name and one renamed over
	// the other.
	at := time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)
	results := make([]*Result, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = newJob(dir, Langs[i%len(Langs)], func() *graph.Dataset { return ds }, clock(at)).Run(t.Context())
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
	h := History{Dir: filepath.Join(dir, SnapshotsDir)}
	names, err := h.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != n {
		t.Fatalf("%d snapshots after %d runs: %v", len(names), n, names)
	}
	for _, name := range names {
		if _, err := ReadSnapshot(filepath.Join(h.Dir, name)); err != nil {
			t.Errorf("snapshot %s: %v", name, err)
		}
	}
	// One chain: the first run had no previous snapshot, and every other
	// compared with a different one, the snapshot saved just before.
	var prevs []string
	for _, r := range results {
		prevs = append(prevs, r.Changes.PreviousFile)
	}
	slices.Sort(prevs)
	want := append([]string{""}, names[:n-1]...)
	slices.Sort(want)
	if !slices.Equal(prevs, want) {
		t.Errorf("previous snapshots compared with: %q\nwant every snapshot but the last, once, and one first run: %q", prevs, want)
	}
	latest, latestName, err := h.Latest()
	if err != nil || latest == nil || latestName != names[n-1] {
		t.Errorf("latest = %q, %v; want %q", latestName, err, names[n-1])
	}
	// The files are whole: report.json parses and names the last snapshot,
	// report.html ends as HTML does, and no temporary file is left.
	var rj struct {
		Changes struct {
			Snapshot string `json:"snapshot"`
		} `json:"changes"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &rj); err != nil {
		t.Fatalf("report.json: %v", err)
	}
	if rj.Changes.Snapshot != names[n-1] {
		t.Errorf("report.json is of snapshot %q, want the last, %q", rj.Changes.Snapshot, names[n-1])
	}
	html, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(strings.TrimSpace(string(html)), "</html>") {
		t.Errorf("report.html does not end with </html>: ...%s", html[max(0, len(html)-80):])
	}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".") && d.Name() != ".collabnet.lock" {
			t.Errorf("left behind: %s", p)
		}
		return nil
	})
}
