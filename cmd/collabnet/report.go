package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

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
sees half a file. collabnet schedule runs the same job on a timer.`,
		Example: `  collabnet report --out out
  collabnet report --out out --lang zh
  collabnet report --out h2020 -i ../shared/datasets/h2020/participations.csv.gz --sample 500`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			job, err := a.reportJob()
			if err != nil {
				return err
			}
			res, err := a.runReport(cmd.Context(), job)
			if err != nil {
				return err
			}
			for _, f := range res.Files {
				fmt.Fprintln(cmd.OutOrStdout(), f)
			}
			return nil
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
}

// reportJob is the main job as the configuration describes it.
func (a *app) reportJob() (*report.Job, error) {
	lang := a.v.GetString("lang")
	if lang == "" {
		lang = "en"
	}
	if !report.ValidLang(lang) {
		return nil, fmt.Errorf("--lang %q: want en or zh", lang)
	}
	dir, err := filepath.Abs(a.v.GetString("out"))
	if err != nil {
		return nil, err
	}
	return &report.Job{
		Dir: dir, Lang: lang, Version: version, Inputs: a.v.GetStringSlice("input"),
		Read: a.readGraph, Analyze: a.analyze,
	}, nil
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
