package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/collabnet/collabnet/loader"
)

func newVerifyCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "verify --sources DIR",
		Short: "Check every fact against the source articles it cites",
		Long: `Read the source articles (the files the sources name, in DIR) and check
every fact of the inputs (default: the shipped dataset) against the
paragraphs it cites: each citation's locator must stand in its paragraphs,
and the fact's names (parties, organisations), numbers (reported figures,
the figures an agreement is counted in) and dates must stand in the cited
paragraphs. Traditional and simplified script, full- and half-width forms
and spacing do not matter; pinyin glosses ("園區(qū)") are ignored.

It prints one row per fact (kind, id, grade, sources, found or not found,
and what is missing) and fails when any fact is not found.`,
		Example: `  collabnet verify --sources ../shared/seeds
  collabnet verify --sources articles/ -i my-agreements.yaml --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := newVerifyOptions(a.v)
			if err != nil {
				return err
			}
			return a.runVerify(cmd.Context(), o, cmd.OutOrStdout())
		},
	}
	addInputFlags(cmd)
	cmd.Flags().String("sources", "", "folder holding the source articles (required)")
	cmd.Flags().Bool("failed", false, "print only the facts not found")
	cmd.Flags().StringP("format", "f", "table", "output format: table, json or csv")
	return cmd
}

type verifyOptions struct {
	Inputs []string
	Loader loader.Options
	Dir    string
	Failed bool
	Format string
}

func newVerifyOptions(s settings) (verifyOptions, error) {
	o := verifyOptions{Inputs: s.GetStringSlice("input"), Loader: loaderOptions(s), Dir: s.GetString("sources"),
		Failed: s.GetBool("failed"), Format: s.GetString("format")}
	if o.Dir == "" {
		return o, errors.New("--sources: the folder of the source articles is required")
	}
	return o, checkFormat(o.Format)
}

// runVerify checks the facts against the articles and prints the table; it
// fails when a fact is not found.
func (a *app) runVerify(ctx context.Context, o verifyOptions, stdout io.Writer) error {
	ds, err := a.readInputs(ctx, o.Inputs, false, o.Loader)
	if err != nil {
		return err
	}
	checks, err := loader.VerifySources(ctx, ds, o.Dir)
	if err != nil {
		return err
	}
	t := table{header: []string{"kind", "id", "evidence", "sources", "result", "missing"}}
	type row struct {
		Kind    string   `json:"kind"`
		ID      string   `json:"id"`
		Grade   string   `json:"evidence,omitempty"`
		Sources []string `json:"sources"`
		Found   bool     `json:"found"`
		Missing []string `json:"missing,omitempty"`
	}
	recs := []row{}
	for _, c := range checks {
		if o.Failed && c.Found() {
			continue
		}
		var cites []string
		for _, s := range c.Sources {
			cite := s.String()
			for _, l := range s.Locators {
				cite += "@" + l
			}
			cites = append(cites, cite)
		}
		result := "found"
		if !c.Found() {
			result = "NOT FOUND"
		}
		recs = append(recs, row{c.Kind, c.ID, string(c.Grade), cites, c.Found(), c.Missing})
		t.rows = append(t.rows, []string{c.Kind, c.ID, string(c.Grade), strings.Join(cites, " "), result, strings.Join(c.Missing, "; ")})
	}
	t.json = recs
	if err := t.write(stdout, o.Format, true); err != nil {
		return err
	}
	if err := loader.VerifyFailed(checks); err != nil {
		return fmt.Errorf("verify against %s: %w", o.Dir, err)
	}
	a.log.Info("every fact found in its source", "facts", len(checks), "sources", o.Dir)
	return nil
}
