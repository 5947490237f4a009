package main

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/collabnet/collabnet/internal/schedule"
)

func newScheduleCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "schedule",
		Short: "Run the main job (collabnet report) on a cron schedule",
		Long: `Run the main job on a schedule: each run reads the graph again (the input
files, or Neo4j with --source neo4j), writes the report into --out and saves a
snapshot in --out/snapshots, so that each report says what changed since the
previous one.

--cron takes the five fields of crontab (minute hour day-of-month month
day-of-week: "0 7 * * MON" is Mondays at 07:00) or a descriptor (@hourly,
@daily, @weekly, @every 6h). Times are local unless the spec starts with
CRON_TZ=Zone ("CRON_TZ=Asia/Shanghai 0 7 * * MON").

Each run is logged. A failing run does not stop the next; runs never
overlap (a run due while the previous one is still going is skipped).
SIGTERM or SIGINT stops the schedule: no new run starts, a running one is
waited for (at most --grace, then cancelled), and the command exits 0.
Every file is written under a temporary name and renamed, so a reader never
sees half a report. --once runs the job a single time, prints the paths it
wrote (as collabnet report does) and exits, with an error if the run failed:
for an external scheduler (cron, a Kubernetes CronJob).`,
		Example: `  collabnet schedule --cron "0 7 * * MON" --out /srv/collabnet
  collabnet schedule --cron "@every 6h" --out out --source neo4j --lang zh
  collabnet schedule --once --out out`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := newReportOptions(a.v)
			if err != nil {
				return err
			}
			return a.runSchedule(cmd.Context(), o, cmd.OutOrStdout())
		},
	}
	addReportFlags(cmd)
	f := cmd.Flags()
	f.String("cron", "", `when to run: "0 7 * * MON" (crontab fields), "@daily", "@every 6h", ...`)
	f.Bool("once", false, "run the job once and exit")
	f.Duration("grace", time.Minute, "on SIGTERM/SIGINT, how long to wait for a running report before cancelling it (0: wait)")
	for _, n := range []string{"cron", "once", "grace"} {
		f.Lookup(n).Annotations = map[string][]string{"key": {"schedule." + n}}
	}
	return cmd
}

// runSchedule runs the main job on o.Cron until ctx ends, or once with
// o.Once.
func (a *app) runSchedule(ctx context.Context, o reportOptions, stdout io.Writer) error {
	if o.Once {
		return a.runReportOnce(ctx, o, stdout)
	}
	if o.Cron == "" {
		return errors.New("--cron is required (or --once to run a single time)")
	}
	job := a.reportJob(o)
	run := func(ctx context.Context) error {
		_, err := a.runReport(ctx, job)
		return err
	}
	_, err := schedule.Run(ctx, o.Cron, run, schedule.Options{Log: a.log, Grace: o.Grace})
	return err
}
