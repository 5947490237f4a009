package main

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/report"
)

func newReportCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Load, analyse and write report.html, report.md, report.json and graph.graphml",
		Long: `The main job. Load the inputs (by default the shipped curated dataset) into
the embedded store, analyse the organisation and country networks, and write
into the output directory:

  report.html    the report, self-contained
  report.md      the same content in Markdown
  report.json    the same figures for machines
  graph.graphml  the full property graph (Gephi, yEd, Cytoscape, NetworkX, igraph)`,
		Example: `  collabnet report --out out
  collabnet report --out h2020 -i ../shared/datasets/h2020/participations.csv.gz --sample 500`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			start := time.Now()
			ds, err := a.readGraph(ctx)
			if err != nil {
				return err
			}
			an, err := a.analyze(ctx, ds)
			if err != nil {
				return err
			}
			dir := a.v.GetString("out")
			r := report.Build(ds, an, a.v.GetStringSlice("input"), version, time.Now())
			if err := report.Write(ctx, dir, r, graph.NewView(ds)); err != nil {
				return err
			}
			abs, _ := filepath.Abs(dir)
			a.log.Info("report written", "dir", abs, "took", time.Since(start).Round(time.Millisecond))
			for _, f := range report.Files {
				fmt.Fprintln(cmd.OutOrStdout(), filepath.Join(abs, f))
			}
			return nil
		},
	}
	addInputFlags(cmd)
	addSourceFlag(cmd)
	addAnalysisFlags(cmd)
	cmd.Flags().StringP("out", "o", "collabnet-report", "output directory")
	return cmd
}
