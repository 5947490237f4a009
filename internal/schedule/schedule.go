// Package schedule runs a job on a cron schedule (robfig/cron/v3): each run
// is logged, a failing (or panicking) run does not stop the next, runs never
// overlap (a run due while the previous one is still going is skipped), and
// cancelling the context stops the schedule cleanly: no new run starts, and
// a running one is waited for.
package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"
)

// Job is one run. Its context is cancelled only when a stop has waited
// longer than Options.Grace.
type Job func(ctx context.Context) error

// Options tune a schedule.
type Options struct {
	Log *slog.Logger // default: slog.Default()
	// Grace is how long a stop waits for a running job before cancelling
	// its context (it then waits for the job to return). 0: wait without
	// cancelling.
	Grace time.Duration
	// OnRun, if set, is called after every run with its number (from 1) and
	// its error; tests observe runs with it.
	OnRun func(run int, err error)
}

// Parse checks a schedule: five fields (minute hour day-of-month month
// day-of-week, as in crontab), or a descriptor (@hourly, @daily, @weekly,
// @monthly, @yearly, @every 1h30m). Times are local unless the spec starts
// with CRON_TZ=Zone ("CRON_TZ=Asia/Shanghai 0 7 * * MON").
func Parse(spec string) (cron.Schedule, error) {
	s, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("schedule %q: %w (want 5 fields, minute hour day month weekday, or @daily, @every 1h, ...)", spec, err)
	}
	return s, nil
}

// Stats count what a schedule did.
type Stats struct {
	Runs, Failed, Skipped int
}

// Run runs job on the schedule until ctx is done, then stops: no new run
// starts, and a running one is waited for (see Options.Grace). It returns
// an error only when the spec is invalid.
func Run(ctx context.Context, spec string, job Job, opt Options) (Stats, error) {
	log := opt.Log
	if log == nil {
		log = slog.Default()
	}
	sched, err := Parse(spec)
	if err != nil {
		return Stats{}, err
	}
	jobCtx, cancelJobs := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelJobs()

	var (
		running sync.Mutex // held while a job runs: the overlap guard
		mu      sync.Mutex // guards st
		st      Stats
		n       atomic.Int64
	)
	run := func() {
		if !running.TryLock() {
			mu.Lock()
			st.Skipped++
			mu.Unlock()
			log.Warn("run skipped: the previous run is still going", "schedule", spec)
			return
		}
		defer running.Unlock()
		if ctx.Err() != nil { // stopping: start nothing new
			return
		}
		i := int(n.Add(1))
		start := time.Now()
		log.Info("run started", "run", i)
		err := safeRun(jobCtx, job)
		took := time.Since(start).Round(time.Millisecond)
		mu.Lock()
		st.Runs++
		if err != nil {
			st.Failed++
		}
		mu.Unlock()
		if err != nil {
			log.Error("run failed", "run", i, "took", took, "err", err)
		} else {
			log.Info("run finished", "run", i, "took", took)
		}
		if opt.OnRun != nil {
			opt.OnRun(i, err)
		}
	}

	c := cron.New(cron.WithLogger(cronLogger{log}))
	id := c.Schedule(sched, cron.FuncJob(run))
	c.Start()
	log.Info("schedule started", "schedule", spec, "next", c.Entry(id).Next.Format(time.RFC3339))

	<-ctx.Done()
	log.Info("stopping the schedule (a running run is waited for)")
	stopped := c.Stop().Done()
	if opt.Grace > 0 {
		select {
		case <-stopped:
		case <-time.After(opt.Grace):
			log.Warn("the running run is taking too long: cancelling it", "grace", opt.Grace)
			cancelJobs()
			<-stopped
		}
	} else {
		<-stopped
	}
	mu.Lock()
	defer mu.Unlock()
	log.Info("schedule stopped", "runs", st.Runs, "failed", st.Failed, "skipped", st.Skipped)
	return st, nil
}

// safeRun runs the job, turning a panic into an error so that the schedule
// goes on.
func safeRun(ctx context.Context, job Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	if job == nil {
		return errors.New("no job")
	}
	return job(ctx)
}

// cronLogger sends cron's own messages to slog, its routine ones at debug level.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
