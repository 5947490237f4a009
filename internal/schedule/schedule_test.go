package schedule

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recorder is a slog handler that keeps the messages and signals the
// first "run skipped".
type recorder struct {
	mu      sync.Mutex
	msgs    []string
	skipped chan struct{}
	once    sync.Once
}

func newRecorder() *recorder { return &recorder{skipped: make(chan struct{})} }

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	r.msgs = append(r.msgs, rec.Message)
	r.mu.Unlock()
	if strings.HasPrefix(rec.Message, "run skipped") {
		r.once.Do(func() { close(r.skipped) })
	}
	return nil
}
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *recorder) WithGroup(string) slog.Handler      { return r }

func (r *recorder) has(prefix string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range r.msgs {
		if strings.HasPrefix(m, prefix) {
			return true
		}
	}
	return false
}

// start runs a schedule in the background; wait returns its result.
func start(t *testing.T, spec string, job Job, opt Options) (cancel func(), wait func() (Stats, error)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	type result struct {
		st  Stats
		err error
	}
	done := make(chan result, 1)
	go func() {
		st, err := Run(ctx, spec, job, opt)
		done <- result{st, err}
	}()
	t.Cleanup(cancel)
	return cancel, func() (Stats, error) {
		select {
		case r := <-done:
			return r.st, r.err
		case <-time.After(15 * time.Second):
			t.Fatal("the schedule did not stop")
			return Stats{}, nil
		}
	}
}

// waitFor waits for a signal, failing the test if it does not come.
func waitFor(t *testing.T, c <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-c:
	case <-time.After(8 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// A run that fails, and one that panics, do not stop the next.
func TestRunsSurviveFailures(t *testing.T) {
	t.Parallel()
	rec := newRecorder()
	third := make(chan struct{})
	var n atomic.Int32
	job := func(context.Context) error {
		switch n.Add(1) {
		case 1:
			return errors.New("the first run fails")
		case 2:
			panic("the second run panics")
		case 3:
			close(third)
		}
		return nil
	}
	var errs []error
	var mu sync.Mutex
	cancel, wait := start(t, "@every 1s", job, Options{Log: slog.New(rec), OnRun: func(_ int, err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}})
	waitFor(t, third, "a third run")
	cancel()
	st, err := wait()
	if err != nil {
		t.Fatal(err)
	}
	if st.Runs < 3 || st.Failed != 2 {
		t.Errorf("stats %+v, want at least 3 runs, 2 failed", st)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(errs) < 3 || errs[0] == nil || errs[1] == nil || !strings.Contains(errs[1].Error(), "panic") || errs[2] != nil {
		t.Errorf("run errors %v", errs)
	}
	if !rec.has("run failed") || !rec.has("schedule stopped") {
		t.Errorf("log: %v", rec.msgs)
	}
}

// A run due while the previous one is still going is skipped: a slow job
// never sees a second copy of itself running.
func TestRunsDoNotOverlap(t *testing.T) {
	t.Parallel()
	rec := newRecorder()
	var running, most atomic.Int32
	var n atomic.Int32
	second := make(chan struct{})
	job := func(context.Context) error {
		c := running.Add(1)
		defer running.Add(-1)
		for {
			m := most.Load()
			if c <= m || most.CompareAndSwap(m, c) {
				break
			}
		}
		switch n.Add(1) {
		case 1:
			// Stay running until the schedule has had to skip a run.
			select {
			case <-rec.skipped:
			case <-time.After(8 * time.Second):
				return errors.New("no run was skipped")
			}
		case 2:
			close(second)
		}
		return nil
	}
	cancel, wait := start(t, "@every 1s", job, Options{Log: slog.New(rec)})
	waitFor(t, second, "a second run")
	cancel()
	st, err := wait()
	if err != nil {
		t.Fatal(err)
	}
	if most.Load() != 1 {
		t.Errorf("%d runs at once", most.Load())
	}
	if st.Skipped < 1 || st.Runs < 2 {
		t.Errorf("stats %+v", st)
	}
}

// Stopping waits for the running job and starts no other.
func TestStopWaitsForTheRunningJob(t *testing.T) {
	t.Parallel()
	started, release := make(chan struct{}), make(chan struct{})
	var finished atomic.Bool
	var n atomic.Int32
	job := func(ctx context.Context) error {
		if n.Add(1) == 1 {
			close(started)
		}
		<-release
		if ctx.Err() != nil {
			return ctx.Err() // the job is not cancelled without a grace period
		}
		finished.Store(true)
		return nil
	}
	cancel, wait := start(t, "@every 1s", job, Options{Log: slog.New(newRecorder())})
	waitFor(t, started, "the first run")
	cancel()
	returned := make(chan Stats, 1)
	go func() { st, _ := wait(); returned <- st }()
	select {
	case <-returned:
		t.Fatal("Run returned while the job was running")
	case <-time.After(300 * time.Millisecond):
	}
	close(release)
	st := <-returned
	if !finished.Load() {
		t.Error("the job did not finish before Run returned")
	}
	if st.Runs != 1 || n.Load() != 1 {
		t.Errorf("stats %+v, %d runs started: want exactly 1", st, n.Load())
	}
}

// With a grace period, a job that does not finish in time is cancelled.
func TestGraceCancelsTheJob(t *testing.T) {
	t.Parallel()
	started := make(chan struct{})
	var sawCancel atomic.Bool
	var once sync.Once
	job := func(ctx context.Context) error {
		once.Do(func() { close(started) })
		<-ctx.Done()
		sawCancel.Store(true)
		return ctx.Err()
	}
	cancel, wait := start(t, "@every 1s", job, Options{Log: slog.New(newRecorder()), Grace: 100 * time.Millisecond})
	waitFor(t, started, "the first run")
	cancel()
	if _, err := wait(); err != nil {
		t.Fatal(err)
	}
	if !sawCancel.Load() {
		t.Error("the job was not cancelled")
	}
}

func TestBadSpec(t *testing.T) {
	t.Parallel()
	for _, spec := range []string{"", "0 7 * *", "every day", "@every nonsense", "61 * * * *"} {
		if _, err := Run(t.Context(), spec, func(context.Context) error { return nil }, Options{Log: slog.New(newRecorder())}); err == nil {
			t.Errorf("spec %q accepted", spec)
		}
	}
	for _, spec := range []string{"0 7 * * MON", "@weekly", "@every 90m", "CRON_TZ=Asia/Shanghai 0 7 * * 1-5"} {
		if _, err := Parse(spec); err != nil {
			t.Errorf("spec %q: %v", spec, err)
		}
	}
}
