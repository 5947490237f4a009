package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/neo4jstore"
	"github.com/collabnet/collabnet/report"
)

func newReportCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Load, analyse and write report.html, report.md, report.json and graph.graphml",
		Long: `The main job. Load the inputs (by default the shipped curated dataset) into
the embedded store, analyse the organisation and country networks, and write
into the output directory:

  report.html    the report, self-contained (inline CSS and SVG), in English
                 or Chinese (--lang en|zh)
  report.md      the same content in Markdown, its charts in charts/*.svg
  report.json    the same figures for machines
  graph.graphml  the full property graph (Gephi, yEd, Cytoscape, NetworkX, igraph)
  snapshots/     one snapshot per run (and "latest", naming the newest): the
                 report says what changed since the previous one

Every file is written under a temporary name and renamed, so a reader never
sees half a file. Runs that share --out take turns: each holds the
directory's lock (--out/.collabnet.lock, flock) from reading the previous
snapshot to saving its own, and a second run waits for it (up to
--lock-wait, saying so), so no snapshot is lost and each run compares with
the one before it. collabnet schedule runs the same job on a timer.`,
		Example: `  collabnet report --out out
  collabnet report --out out --lang zh
  collabnet report --out h2020 -i ../shared/datasets/h2020/participations.csv.gz --sample 500`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := newReportOptions(a.v)
			if err != nil {
				return err
			}
			return a.runReportOnce(cmd.Context(), o, cmd.OutOrStdout())
		},
	}
	addReportFlags(cmd)
	return cmd
}

// addReportFlags adds the flags of the commands that write the report.
func addReportFlags(cmd *cobra.Command) {
	addInputFlags(cmd)
	addSourceFlag(cmd)
	addAnalysisFlags(cmd)
	cmd.Flags().StringP("out", "o", "collabnet-report", "output directory")
	cmd.Flags().String("lang", "en", "language of report.html and report.md: en or zh")
	cmd.Flags().Bool("allow-empty", false, "with --source neo4j, report on an empty database instead of refusing")
	cmd.Flags().Duration("lock-wait", report.DefaultLockWait, "how long to wait for another collabnet writing into the same --out (each takes the directory's lock in turn)")
}

// reportJob is the main job as the options describe it.
func (a *app) reportJob(o reportOptions) *report.Job {
	inputs := o.Inputs
	if o.Source == "neo4j" {
		db := o.Neo4j.Database
		if db == "" {
			db = "(the server's default)"
		}
		inputs = []string{fmt.Sprintf("Neo4j at %s, database %s", neo4jstore.RedactURI(o.Neo4j.URI), db)}
	}
	return &report.Job{
		Dir: o.Dir, Lang: o.Lang, Version: version, Inputs: inputs, LockWait: o.LockWait,
		Waiting: func(holder string) {
			a.log.Warn("waiting for another collabnet writing into the output directory", "dir", o.Dir, "holder", holder, "up_to", o.LockWait)
		},
		Read: func(ctx context.Context) (*graph.Dataset, error) {
			ds, err := a.readGraph(ctx, o.sourceOptions)
			if err == nil && o.Source == "neo4j" && !o.AllowEmpty && len(ds.Organizations) == 0 && len(ds.Agreements) == 0 {
				return nil, fmt.Errorf("%s holds no graph: load one first (collabnet load), or pass --allow-empty for a report of nothing", inputs[0])
			}
			return ds, err
		},
		Analyze: func(ctx context.Context, ds *graph.Dataset) (*analysis.Analysis, error) {
			return analysis.Analyze(ctx, ds, a.withFeedback(o.Analysis, a.stderr))
		},
		LoadSummary: func() []string { return a.loadSummary },
	}
}

// runReportOnce runs the main job once and prints the paths it wrote.
func (a *app) runReportOnce(ctx context.Context, o reportOptions, stdout io.Writer) error {
	res, err := a.runReport(ctx, a.reportJob(o))
	if err != nil {
		return err
	}
	for _, f := range res.Files {
		_, _ = fmt.Fprintln(stdout, f)
	}
	return nil
}

// runReport runs the job once and logs what it wrote and what changed.
func (a *app) runReport(ctx context.Context, job *report.Job) (*report.Result, error) {
	start := time.Now()
	res, err := job.Run(ctx)
	if err != nil {
		return nil, err
	}
	attrs := []any{"dir", job.Dir, "snapshot", filepath.Base(res.Snapshot), "took", time.Since(start).Round(time.Millisecond)}
	switch c := res.Changes; {
	case c.First:
		attrs = append(attrs, "changes", "no previous report")
	case c.PreviousError != "":
		attrs = append(attrs, "changes", "previous snapshot unreadable: "+c.PreviousError)
	default:
		attrs = append(attrs, "new_agreements", len(c.NewAgreements), "removed_agreements", len(c.RemovedAgreements),
			"new_organizations", len(c.NewOrganizations), "removed_organizations", len(c.RemovedOrganizations),
			"rank_changes", len(c.Ranks))
	}
	a.log.Info("report written", attrs...)
	return res, nil
}
