package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/collabnet/collabnet/data"
	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/loader"
	"github.com/collabnet/collabnet/neo4jstore"
)

// addInputFlags adds the flags of every command that reads input files.
func addInputFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringSliceP("input", "i", nil, "input files or directories (YAML agreements, participations or pairs tables as CSV/TSV or .xlsx; .gz read transparently); default: the shipped dataset")
	f.Bool("with-shipped", false, "read the shipped dataset besides the --input files")
	addReadingFlags(cmd)
}

// addReadingFlags adds the flags of how input files are read (format,
// encoding, limits, ...): every command that reads files has them,
// collabnet sources remove too, which reads the remaining sources again.
func addReadingFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.String("input-format", "", "format of table inputs: agreements, participations or pairs (default: detected from the header)")
	f.Bool("skip-invalid", false, "drop invalid table rows with a warning instead of loading nothing")
	f.Lookup("skip-invalid").Annotations = map[string][]string{"key": {"load.skip_invalid"}}
	f.String("encoding", "", "encoding of text tables: utf-8, utf-16le, gb18030, big5, windows-1252, ... (default: detected)")
	f.String("delimiter", "", "field delimiter of text tables: , ; | or tab (default: sniffed from the header)")
	f.StringSlice("date-format", nil, "date layouts of tables besides ISO 8601, e.g. DD/MM/YYYY, MM/DD/YYYY, excel-serial")
	f.String("sheet", "", "worksheet of .xlsx inputs (default: every sheet with the first one's header)")
	f.String("default-country", "", "country of table parties whose row gives none, e.g. CN for a Chinese office's own parks (default: none, listed in the load summary)")
	d := loader.DefaultLimits
	f.String("max-input-bytes", loader.FormatSize(d.InputBytes), "most bytes of one input after decompression (gzip output, an .xlsx's parts together); e.g. 4GiB")
	f.String("max-yaml-bytes", loader.FormatSize(d.YAMLBytes), "most bytes of one YAML input, which is parsed whole")
	f.String("max-cell-bytes", loader.FormatSize(int64(d.CellBytes)), "longest cell of a table, or value of a YAML file")
	f.Int("max-columns", d.Columns, "most columns of a table row")
	f.Int("max-rows", d.Rows, "most data rows of one table (file or worksheet)")
	f.Int64("max-xlsx-cells", d.XLSXCells, "most cells of a worksheet, each row counted as wide as its last cell")
	f.Int64("max-ratio", d.Ratio, "highest compression ratio of a gzip or .xlsx part, checked past its first 4 MiB")
	for flag, key := range map[string]string{"encoding": "load.encoding", "delimiter": "load.delimiter",
		"date-format": "load.date_formats", "sheet": "load.sheet", "default-country": "load.default_country",
		"max-input-bytes": "load.max_input_bytes", "max-yaml-bytes": "load.max_yaml_bytes", "max-cell-bytes": "load.max_cell_bytes",
		"max-columns": "load.max_columns", "max-rows": "load.max_rows", "max-xlsx-cells": "load.max_xlsx_cells", "max-ratio": "load.max_ratio"} {
		f.Lookup(flag).Annotations = map[string][]string{"key": {key}}
	}
}

// shippedPrefix names the shipped dataset's files as sources.
const shippedPrefix = "shipped:"

// inputExts are the file name endings a directory given as input is
// searched for (besides a .gz of each).
var inputExts = []string{".yaml", ".yml", ".csv", ".tsv", ".txt", ".xlsx"}

// configInUse is the absolute path of the configuration file the command
// read ("" when none).
var configInUse string

// isConfigFile reports whether a file found in an input directory is
// configuration, not data: collabnet.yaml or .yml (the names collabnet
// reads its configuration from), or the file --config named. `-i .` in
// the directory that holds collabnet.yaml read it as agreements before
// ("format: unknown section").
func isConfigFile(path string) bool {
	if n := strings.ToLower(filepath.Base(path)); n == "collabnet.yaml" || n == "collabnet.yml" {
		return true
	}
	abs, err := filepath.Abs(path)
	return err == nil && configInUse != "" && abs == configInUse
}

// expandInputs returns the files of paths: a file as given, a directory
// as its input files (inputExts, not hidden, not in subdirectories, not
// the configuration: isConfigFile), sorted. A directory without one is an
// error.
func expandInputs(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", p, err)
		}
		if !fi.IsDir() {
			out = append(out, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, fmt.Errorf("input directory %s: %w", p, err)
		}
		n := 0
		for _, e := range entries {
			name := e.Name()
			ext := strings.ToLower(filepath.Ext(strings.TrimSuffix(strings.TrimSuffix(name, ".gz"), ".GZ")))
			if e.IsDir() || strings.HasPrefix(name, ".") || !slices.Contains(inputExts, ext) || isConfigFile(filepath.Join(p, name)) {
				continue
			}
			out = append(out, filepath.Join(p, name))
			n++
		}
		if n == 0 {
			return nil, fmt.Errorf("input directory %s has no input files (%s, or .gz of them)", p, strings.Join(inputExts, " "))
		}
	}
	return out, nil
}

// namedInput is an input with the name a load records it by: its cleaned
// absolute path, or shipped:data/<file> for the shipped dataset.
type namedInput struct {
	loader.Input
	Source string
}

func (in namedInput) isShipped() bool { return strings.HasPrefix(in.Source, shippedPrefix) }

// shippedInputs are the shipped dataset's files.
func shippedInputs() ([]namedInput, error) {
	ins, err := loader.FSInputs(data.FS, "data/")
	if err != nil {
		return nil, err
	}
	out := make([]namedInput, len(ins))
	for i, in := range ins {
		out[i] = namedInput{in, shippedPrefix + in.Name}
	}
	return out, nil
}

// fileInput is the input of a file on disk.
func fileInput(path string) (namedInput, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return namedInput{}, fmt.Errorf("input %s: %w", path, err)
	}
	return namedInput{loader.FileInput(path), abs}, nil
}

// inputsOf returns the inputs of paths (directories expanded), and the
// shipped dataset when paths is empty or withShipped.
func inputsOf(paths []string, withShipped bool) ([]namedInput, error) {
	files, err := expandInputs(paths)
	if err != nil {
		return nil, err
	}
	var ins []namedInput
	if len(paths) == 0 || withShipped {
		if ins, err = shippedInputs(); err != nil {
			return nil, err
		}
	}
	for _, p := range files {
		in, err := fileInput(p)
		if err != nil {
			return nil, err
		}
		ins = append(ins, in)
	}
	return ins, nil
}

// recordSource hashes an input for its source record.
func recordSource(in namedInput, options string, now time.Time) (neo4jstore.Source, error) {
	r, err := in.Open()
	if err != nil {
		return neo4jstore.Source{}, err
	}
	defer func() { _ = r.Close() }() // closing what was only read: nothing to lose
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		return neo4jstore.Source{}, fmt.Errorf("%s: %w", in.Name, err)
	}
	return neo4jstore.Source{Name: in.Source, SHA256: hex.EncodeToString(h.Sum(nil)), Bytes: n, Options: options, LoadedAt: now}, nil
}

// optionsRecord is the loader options a source is recorded with, as
// canonical JSON (encoding/json sorts map keys).
func optionsRecord(lo loader.Options) string {
	b, _ := json.Marshal(lo)
	return string(b)
}

// readInputs loads the configured inputs (or the shipped dataset) and
// validates them. Nothing is returned when any input has a problem.
func (a *app) readInputs(ctx context.Context, paths []string, withShipped bool, lo loader.Options) (*graph.Dataset, error) {
	nins, err := inputsOf(paths, withShipped)
	if err != nil {
		return nil, err
	}
	return a.loadInputs(ctx, nins, lo)
}

// loadInputs loads ins and validates them.
func (a *app) loadInputs(ctx context.Context, nins []namedInput, lo loader.Options) (*graph.Dataset, error) {
	ins := make([]loader.Input, len(nins))
	for i, in := range nins {
		ins[i] = in.Input
	}
	l, err := loader.New(lo)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	ds, rep, err := l.Load(ctx, ins)
	// The loader's rows and mentions (more than the dataset itself on a
	// large table) are garbage now: collecting them here sets the next
	// collection by the dataset's size, not by the loader's peak, which
	// would let the heap (and the process's RSS) grow to twice that peak
	// before the network is built.
	runtime.GC()
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
			_, _ = fmt.Fprintln(a.stderr, "load summary:\n"+strings.Join(lines, "\n"))
		}
	}
	c := ds.Counts()
	a.log.Info("loaded", "inputs", len(ins), "organizations", c.Organizations, "agreements", c.Agreements,
		"countries", c.Countries, "figures", c.Figures, "took", time.Since(start).Round(time.Millisecond))
	return ds, nil
}
