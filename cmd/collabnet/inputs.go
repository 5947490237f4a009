package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/collabnet/collabnet/data"
	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/loader"
)

// addInputFlags adds the flags of every command that reads input files.
func addInputFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringSliceP("input", "i", nil, "input files (YAML agreements, participations or pairs tables as CSV/TSV or .xlsx; .gz read transparently); default: the shipped dataset")
	f.String("input-format", "", "format of table inputs: agreements, participations or pairs (default: detected from the header)")
	f.Bool("skip-invalid", false, "drop invalid table rows with a warning instead of loading nothing")
	f.Lookup("skip-invalid").Annotations = map[string][]string{"key": {"load.skip_invalid"}}
	f.String("encoding", "", "encoding of text tables: utf-8, utf-16le, gb18030, big5, windows-1252, ... (default: detected)")
	f.String("delimiter", "", "field delimiter of text tables: , ; | or tab (default: sniffed from the header)")
	f.StringSlice("date-format", nil, "date layouts of tables besides ISO 8601, e.g. DD/MM/YYYY, MM/DD/YYYY, excel-serial")
	f.String("sheet", "", "worksheet of .xlsx inputs (default: every sheet with the first one's header)")
	f.String("default-country", "", "country of table parties whose row gives none, e.g. CN for a Chinese office's own parks (default: none, listed in the load summary)")
	for flag, key := range map[string]string{"encoding": "load.encoding", "delimiter": "load.delimiter",
		"date-format": "load.date_formats", "sheet": "load.sheet", "default-country": "load.default_country"} {
		f.Lookup(flag).Annotations = map[string][]string{"key": {key}}
	}
}

// readInputs loads the configured inputs (or the shipped dataset) and
// validates them. Nothing is returned when any input has a problem.
func (a *app) readInputs(ctx context.Context, paths []string, lo loader.Options) (*graph.Dataset, error) {
	l, err := loader.New(lo)
	if err != nil {
		return nil, err
	}
	var ins []loader.Input
	if len(paths) == 0 {
		if ins, err = loader.FSInputs(data.FS, "data/"); err != nil {
			return nil, err
		}
	}
	for _, p := range paths {
		ins = append(ins, loader.FileInput(p))
	}
	start := time.Now()
	ds, rep, err := l.Load(ctx, ins)
	if rep != nil {
		for _, f := range rep.Files {
			a.log.Debug("read", "file", f.Name, "format", f.Format, "rows", f.Rows, "skipped", f.Skipped, "merged", f.Merged)
			for _, w := range f.Warnings {
				a.log.Warn(w.String())
			}
			if f.Skipped > 0 {
				a.log.Warn("invalid rows skipped", "file", f.Name, "rows", f.Skipped)
			}
		}
	}
	if err != nil {
		return nil, err
	}
	a.loadSummary = nil
	for _, f := range rep.Files {
		for _, w := range f.Warnings {
			a.loadSummary = append(a.loadSummary, w.String())
		}
	}
	// The summary a person reads (README.md, "The load summary").
	if lines := rep.Summary.Lines(); len(lines) > 0 {
		a.loadSummary = append(a.loadSummary, lines...)
		if a.stderr != nil {
			fmt.Fprintln(a.stderr, "load summary:\n"+strings.Join(lines, "\n"))
		}
	}
	c := ds.Counts()
	a.log.Info("loaded", "inputs", len(ins), "organizations", c.Organizations, "agreements", c.Agreements,
		"countries", c.Countries, "figures", c.Figures, "took", time.Since(start).Round(time.Millisecond))
	return ds, nil
}
