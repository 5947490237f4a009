package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/collabnet/collabnet/internal/atomicfile"
)

// export --out onto a device file or through a symbolic link is refused
// with a message saying how to ask for it, and leaves both as they were;
// --out - writes to standard output; --force writes through the link; a
// failed export leaves no file.
func TestExportOutputPaths(t *testing.T) {
	dir := t.TempDir()
	out, err := run(t, dir, "export", "--format", "graphml", "--out", "/dev/null")
	if err == nil || !strings.Contains(err.Error(), "character device") || !strings.Contains(err.Error(), "--force") {
		t.Errorf("export --out /dev/null: %v %s; want a refusal naming the device and --force", err, out)
	}
	if st, err := os.Lstat("/dev/null"); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is no longer a character device: %v", err)
	}

	if err := os.WriteFile(filepath.Join(dir, "kept.graphml"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("kept.graphml", filepath.Join(dir, "g.graphml")); err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, dir, "export", "--out", "g.graphml"); err == nil || !strings.Contains(err.Error(), "symbolic link to kept.graphml") {
		t.Errorf("export through a link: %v; want a refusal naming the link", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "kept.graphml")); string(b) != "mine" {
		t.Errorf("the link's target was written: %.40q", b)
	}

	out, err = run(t, dir, "export", "--format", "graphml", "--out", "-")
	if err != nil || !strings.HasPrefix(out, "<?xml") || !strings.HasSuffix(strings.TrimSpace(out), "</graphml>") {
		t.Errorf("export --out -: %v; output %.80q ... want the GraphML", err, out)
	}
	if _, err := run(t, dir, "export", "--format", "csv", "--out", "-"); err == nil || !strings.Contains(err.Error(), "two files") {
		t.Errorf("export --format csv --out -: %v", err)
	}

	if _, err := run(t, dir, "export", "--out", "g.graphml", "--force"); err != nil {
		t.Fatalf("export --force through the link: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "kept.graphml")); !strings.HasPrefix(string(b), "<?xml") {
		t.Errorf("--force: the link's target holds %.40q, want the GraphML", b)
	}
	if st, err := os.Lstat(filepath.Join(dir, "g.graphml")); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("--force replaced the link itself: %v", err)
	}

	// A failed export leaves nothing behind: geojson is for the country
	// level; the CSV pair fails at the node list (a link) once its edge
	// list is being written.
	if err := os.Symlink("kept.graphml", filepath.Join(dir, "y.csv")); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadDir(dir)
	for _, args := range [][]string{
		{"export", "--level", "org", "--format", "geojson", "--out", "x.geojson"},
		{"export", "--format", "csv", "--out", "y.csv"},
	} {
		if _, err := run(t, dir, args...); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
	after, _ := os.ReadDir(dir)
	if len(after) != len(before) {
		t.Errorf("a failed export left files: %v, before %v", after, before)
	}
}

// report --out a directory another collabnet is writing into waits for it
// up to --lock-wait, then stops with an error naming the holder, and writes
// nothing there.
func TestReportWaitsForTheOutLock(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	unlock, err := atomicfile.Lock(t.Context(), out, time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	_, err = run(t, dir, "report", "--out", out, "--lock-wait", "300ms", "--measures", "degree")
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) || !strings.Contains(err.Error(), "--lock-wait") {
		t.Errorf("report into a locked --out: %v; want a refusal naming the holder", err)
	}
	if es, _ := os.ReadDir(out); len(es) != 1 {
		t.Errorf("the refused report wrote into --out: %v", es)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, dir, "report", "--out", out, "--measures", "degree"); err != nil {
		t.Errorf("report once the lock is free: %v", err)
	}
}
