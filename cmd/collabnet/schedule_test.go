package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets a test run the command itself in a child process (to send
// it a real signal): COLLABNET_TEST_MAIN holds the arguments, as JSON.
func TestMain(m *testing.M) {
	if args := os.Getenv("COLLABNET_TEST_MAIN"); args != "" {
		var as []string
		if err := json.Unmarshal([]byte(args), &as); err != nil {
			panic(err)
		}
		os.Args = append([]string{"collabnet"}, as...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// waitFile waits for a file to exist.
func waitFile(t *testing.T, path string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not appear within %v", path, within)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// schedule --once runs the job once: the four files, the charts, a
// snapshot; a second run compares with the first.
func TestScheduleOnce(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()
	out, err := run(t, dir, "schedule", "--once", "--out", "rep", "--lang", "zh")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"report.html", "report.md", "report.json", "graph.graphml", "charts/country-network.svg", "snapshots/latest"} {
		if _, err := os.Stat(filepath.Join(dir, "rep", f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if !strings.Contains(out, filepath.Join(dir, "rep", "snapshots")) {
		t.Errorf("the snapshot's path is not printed: %q", out)
	}
	time.Sleep(time.Second) // the next snapshot's name is the next second
	if _, err := run(t, dir, "report", "--out", "rep"); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Lang    string
		Changes struct {
			First            bool
			PreviousSnapshot string `json:"previous_snapshot"`
			NewAgreements    []any  `json:"new_agreements"`
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "rep", "report.json"))
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Lang != "en" || rep.Changes.First || rep.Changes.PreviousSnapshot == "" || len(rep.Changes.NewAgreements) != 0 {
		t.Errorf("second run: %+v", rep)
	}
	es, _ := os.ReadDir(filepath.Join(dir, "rep", "snapshots"))
	if len(es) != 3 { // two snapshots and latest
		t.Errorf("%d files in snapshots/", len(es))
	}
}

func TestScheduleBadArguments(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"schedule", "--out", "rep"}, "--cron is required"},
		{[]string{"schedule", "--cron", "0 7 * *", "--out", "rep"}, "schedule \"0 7 * *\""},
		{[]string{"schedule", "--once", "--lang", "fr", "--out", "rep"}, "--lang \"fr\""},
		{[]string{"report", "--lang", "de", "--out", "rep"}, "--lang \"de\""},
	} {
		if _, err := run(t, dir, c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
}

// schedule on "@every 1s" writes a report, and stops cleanly when its
// context ends (as on SIGTERM), returning no error.
func TestScheduleRunsAndStops(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()
	t.Chdir(dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	root := newRoot()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs([]string{"--quiet", "schedule", "--cron", "@every 1s", "--out", "rep"})
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	waitFile(t, filepath.Join(dir, "rep", "snapshots", "latest"), 8*time.Second)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("schedule: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("schedule did not stop")
	}
	if _, err := os.Stat(filepath.Join(dir, "rep", "report.html")); err != nil {
		t.Error(err)
	}
}

// The real thing: collabnet schedule in its own process, sent SIGTERM after
// its first report, exits 0 and says it stopped.
func TestScheduleSIGTERM(t *testing.T) {
	dir := t.TempDir()
	args, _ := json.Marshal([]string{"schedule", "--cron", "@every 1s", "--out", filepath.Join(dir, "rep")})
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "COLLABNET_TEST_MAIN="+string(args), "XDG_CONFIG_HOME="+t.TempDir())
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	waitFile(t, filepath.Join(dir, "rep", "snapshots", "latest"), 8*time.Second)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit: %v\n%s", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("no exit after SIGTERM\n%s", stderr.String())
	}
	for _, s := range []string{"schedule started", "run finished", "schedule stopped"} {
		if !strings.Contains(stderr.String(), s) {
			t.Errorf("the log does not say %q:\n%s", s, stderr.String())
		}
	}
}
