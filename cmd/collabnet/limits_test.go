package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/collabnet/collabnet/internal/hostile"
)

// maxRSS is the memory the hostile corpus may take (issue 21: 500 MB).
const maxRSS = 500 << 20

// runMain runs collabnet in its own process (this test binary, see
// TestMain) in dir and returns its stderr and the process state.
func runMain(t *testing.T, dir string, args ...string) (string, *os.ProcessState) {
	t.Helper()
	cmd, stderr := startMain(t, dir, args...)
	err := cmd.Wait()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatal(err)
	}
	return stderr.String(), cmd.ProcessState
}

func startMain(t *testing.T, dir string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	js, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "COLLABNET_TEST_MAIN="+string(js), "XDG_CONFIG_HOME="+t.TempDir())
	cmd.Dir = dir
	stderr := &bytes.Buffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, stderr
}

func maxRSSOf(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	return ru.Maxrss << 10 // kilobytes on Linux
}

// writeFile writes a file of the corpus with gen.
func writeFile(t *testing.T, path string, gen func(f *os.File) error) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := gen(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// The hostile corpus of issue 21, each file refused with a message that
// locates the problem and names the limit's flag, in bounded memory: the
// process's peak RSS stays under 500 MB where, without limits, each took
// gigabytes. (The time to refusal is measured by scripts/bench-hostile,
// not asserted here.)
func TestHostileCorpusRefused(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		file  string
		gen   func(f *os.File) error
		slow  bool   // kept out of -short: disk time
		where string // the location the message starts with
		msg   string
	}{
		{"field.csv.gz", func(f *os.File) error { return hostile.FieldBomb(f, 4<<30) }, false,
			"field.csv.gz:2:3: name: ", "a cell longer than 64 KiB (--max-cell-bytes raises the limit)"},
		{"wide.xlsx", func(f *os.File) error { return hostile.WideXLSX(f, 21000, "A1:XFD21001") }, false,
			"wide.xlsx:Sheet1!XFD21001: ", "the declared dimension A1:XFD21001 ends in column XFD, beyond the limit of 1024 columns (--max-columns raises the limit)"},
		{"wide-undeclared.xlsx", func(f *os.File) error { return hostile.WideXLSX(f, 21000, "A1:D2") }, false,
			"wide-undeclared.xlsx:Sheet1!XFD2: ", "a cell in column XFD, beyond the limit of 1024 columns"},
		{"nul.csv.gz", func(f *os.File) error { return hostile.NULBomb(f, 2<<30) }, false,
			"nul.csv.gz:1:1: ", "a cell longer than 64 KiB"},
		{"rows.csv.gz", func(f *os.File) error { return hostile.RowsBomb(f, 134_000_000) }, false,
			"rows.csv.gz:", "the gzip inflates more than 100 times"},
		{"line.csv", func(f *os.File) error { return hostile.LongLine(f, 500<<20) }, true,
			"line.csv:1:1: ", "a cell longer than 64 KiB"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			if c.slow && testing.Short() {
				t.Skip("writes 500 MB to disk")
			}
			path := filepath.Join(dir, c.file)
			writeFile(t, path, c.gen)
			defer os.Remove(path)
			if st, err := os.Stat(path); err == nil {
				t.Logf("%s: %d bytes", c.file, st.Size())
			}
			stderr, ps := runMain(t, dir, "list", "organizations", "-i", c.file)
			if ps.ExitCode() != 1 {
				t.Errorf("exit status %d, want 1; stderr:\n%s", ps.ExitCode(), stderr)
			}
			if !strings.Contains(stderr, "\n  "+c.where) || !strings.Contains(stderr, c.msg) {
				t.Errorf("stderr does not say %q at %q:\n%s", c.msg, c.where, stderr)
			}
			rss := maxRSSOf(ps)
			t.Logf("%s: refused, peak RSS %d MB", c.file, rss>>20)
			if rss == 0 || rss > maxRSS {
				t.Errorf("peak RSS %d MB, want under %d MB", rss>>20, maxRSS>>20)
			}
		})
	}
}

// The limits are flags: a file refused under the defaults loads with the
// limit raised, and is refused again under a lower one.
func TestLimitFlags(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("x", 70<<10)
	csv := "project,org,name,country\n1,a,A,DE\n1,b," + long + ",FR\n"
	if err := os.WriteFile(filepath.Join(dir, "long.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	stderr, ps := runMain(t, dir, "list", "organizations", "-i", "long.csv")
	if ps.ExitCode() != 1 || !strings.Contains(stderr, "long.csv:3:3: name: a cell longer than 64 KiB") {
		t.Fatalf("exit %d, stderr:\n%s", ps.ExitCode(), stderr)
	}
	if stderr, ps := runMain(t, dir, "list", "organizations", "-i", "long.csv", "--max-cell-bytes", "128KiB"); ps.ExitCode() != 0 {
		t.Fatalf("--max-cell-bytes 128KiB: exit %d, stderr:\n%s", ps.ExitCode(), stderr)
	}
	if err := os.WriteFile(filepath.Join(dir, "collabnet.yaml"), []byte("load:\n  max_cell_bytes: 1MiB\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if stderr, ps := runMain(t, dir, "list", "organizations", "-i", "long.csv"); ps.ExitCode() != 0 {
		t.Fatalf("load.max_cell_bytes: 1MiB in collabnet.yaml: exit %d, stderr:\n%s", ps.ExitCode(), stderr)
	}
	stderr, ps = runMain(t, dir, "list", "organizations", "-i", "long.csv", "--max-rows", "1")
	if ps.ExitCode() != 1 || !strings.Contains(stderr, "long.csv:3: more than 1 data rows (--max-rows raises the limit)") {
		t.Fatalf("--max-rows 1: exit %d, stderr:\n%s", ps.ExitCode(), stderr)
	}
	stderr, ps = runMain(t, dir, "list", "organizations", "-i", "long.csv", "--max-input-bytes", "lots")
	if ps.ExitCode() != 1 || !strings.Contains(stderr, "--max-input-bytes: want a positive number") {
		t.Fatalf("--max-input-bytes lots: exit %d, stderr:\n%s", ps.ExitCode(), stderr)
	}
}

// SIGTERM while a huge gzip is being read stops collabnet promptly, saying
// it was interrupted. The hang guard is generous; the latency is logged
// (and measured in scripts/bench-hostile), not asserted.
func TestSIGTERMWhileReading(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "rows.csv.gz"), func(f *os.File) error { return hostile.RowsBomb(f, 134_000_000) })
	// Limits raised so that the reading goes on for minutes.
	cmd, stderr := startMain(t, dir, "list", "organizations", "-i", "rows.csv.gz", "--max-ratio", "1000000", "--max-rows", "1000000000")
	time.Sleep(1500 * time.Millisecond) // reading by now: the file is read from the start
	if cmd.ProcessState != nil {
		t.Fatalf("collabnet ended before the signal:\n%s", stderr)
	}
	stopAndCheck(t, cmd, stderr)
}

// stopAndCheck sends SIGTERM to cmd and checks that it exits non-zero within
// a hang guard, saying it was interrupted; it returns the latency.
func stopAndCheck(t *testing.T, cmd *exec.Cmd, stderr *bytes.Buffer) time.Duration {
	t.Helper()
	sent := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("collabnet did not stop within 20 s of SIGTERM:\n%s", stderr)
	}
	took := time.Since(sent)
	t.Logf("stopped %v after SIGTERM, peak RSS %d MB", took.Round(time.Millisecond), maxRSSOf(cmd.ProcessState)>>20)
	if cmd.ProcessState.ExitCode() == 0 {
		t.Errorf("exit status 0 after SIGTERM")
	}
	if !strings.Contains(stderr.String(), "collabnet: interrupted (terminated signal received)") ||
		strings.Contains(stderr.String(), "did not stop within") {
		t.Errorf("stderr does not say it was interrupted and stopped:\n%s", stderr)
	}
	return took
}
