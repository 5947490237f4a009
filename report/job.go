package report

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/internal/atomicfile"
)

// Job is one run of the main job: read the graph, analyse it, compare it
// with the previous snapshot, write the report and save this run's
// snapshot. collabnet report runs it once; collabnet schedule on a timer.
type Job struct {
	Dir     string // output directory
	Lang    string // en or zh
	Version string
	Inputs  []string
	// Clock gives the time of the run (time.Now when nil); tests inject one.
	Clock func() time.Time
	// Read returns the graph to report on.
	Read func(context.Context) (*graph.Dataset, error)
	// Analyze analyses it.
	Analyze func(context.Context, *graph.Dataset) (*analysis.Analysis, error)
	// LoadSummary, when set, returns what the load behind Read decided
	// (the loader's warnings and summary, as lines), kept in report.json.
	LoadSummary func() []string
	// LockWait bounds how long Run waits for another run writing into Dir
	// (0: DefaultLockWait); Waiting, when set, is told once that it waits
	// and for whom.
	LockWait time.Duration
	Waiting  func(holder string)
}

// DefaultLockWait is how long a run waits for another writing into the
// same directory: the writing takes seconds, the wait allows for many.
const DefaultLockWait = 10 * time.Minute

// Result is what a run wrote.
type Result struct {
	Files    []string // paths: Files, then the charts, then the snapshot
	Snapshot string   // path of this run's snapshot
	Changes  *Changes
	Counts   graph.Counts
}

// Run runs the job once. The snapshot is saved only after the report is
// written, so a run that fails leaves the history as it was and the next
// run compares with the last report that was written.
func (j *Job) Run(ctx context.Context) (_ *Result, err error) {
	if !ValidLang(j.Lang) {
		return nil, fmt.Errorf("report language %q: want en or zh", j.Lang)
	}
	now := time.Now
	if j.Clock != nil {
		now = j.Clock
	}
	ds, err := j.Read(ctx)
	if err != nil {
		return nil, err
	}
	an, err := j.Analyze(ctx, ds)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Runs that share Dir (two schedulers, a report by hand beside one)
	// take turns from reading the previous snapshot to saving theirs:
	// each compares with the one before it, and none overwrites another.
	wait := j.LockWait
	if wait <= 0 {
		wait = DefaultLockWait
	}
	unlock, err := atomicfile.Lock(ctx, j.Dir, wait, j.Waiting)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, unlock()) }()
	h := History{Dir: filepath.Join(j.Dir, SnapshotsDir)}
	prev, prevName, prevErr := h.Latest()
	r := BuildWith(ds, an, BuildOptions{Inputs: j.Inputs, Version: j.Version, Now: now(), Lang: j.Lang,
		History: true, Previous: prev, PreviousFile: prevName, PreviousErr: prevErr})
	if j.LoadSummary != nil {
		r.LoadSummary = j.LoadSummary()
	}
	name := h.NextName(r.Snapshot().Taken)
	r.Changes.Snapshot = name
	files, err := WriteFiles(ctx, j.Dir, r, graph.NewView(ds))
	if err != nil {
		return nil, err
	}
	if err := h.SaveAs(name, r.Snapshot()); err != nil {
		return nil, errors.Join(errors.New("the report is written but its snapshot is not"), err)
	}
	snap := filepath.Join(h.Dir, name)
	return &Result{Files: append(files, snap), Snapshot: snap, Changes: r.Changes, Counts: r.Counts}, nil
}
