// Package loader reads partnership data (the native YAML format, participation
// tables and pair tables), validates it, resolves organisations and countries
// however they are written, and produces a graph.Dataset.
//
// A load is all or nothing: every input is read and checked first, every
// problem is reported (file, line, column, value), and a load with problems
// returns no dataset.
package loader

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"

	"github.com/collabnet/collabnet/graph"
)

// Input formats.
const (
	FormatAgreements     = "agreements"     // native YAML
	FormatParticipations = "participations" // one row per organisation per project
	FormatPairs          = "pairs"          // one row per pair of parties
)

// Options configure a load. The zero value is usable.
type Options struct {
	// Format forces the format of every table input; "" detects it from the
	// file name (.yaml/.yml) and the header.
	Format string
	// Columns maps our field names (project, org, name, country, role, type,
	// contribution, date, party_a, country_a, party_b, country_b, ...) to the
	// input's own header names, for headers we do not recognise.
	Columns map[string]string
	// CountryAliases maps more country names to ISO codes.
	CountryAliases map[string]string
	// TypeAliases maps more names of agreement types (as tables write
	// them) to our types; see typeAliases for the built-in ones.
	TypeAliases map[string]string
	// DefaultCountry is the country of table parties whose row gives none
	// (a Chinese office's pairs sheet lists its own parks without one);
	// "" leaves them without a country, counted in the load summary.
	DefaultCountry string
	// FoldAccents makes "Bérat" and "Berat" one name. Default on in config.
	FoldAccents bool
	// SkipInvalid drops invalid rows of tables (reported as warnings) instead
	// of failing the load. The native format is always strict.
	SkipInvalid bool
	// PairType is the agreement type of pair rows without a type column;
	// "" means twinning for city tables and other otherwise.
	PairType string
	// Encoding names the encoding of text tables (utf-8, utf-16le,
	// gb18030, big5, windows-1252, ... as WHATWG labels them); "" detects
	// it (README.md, "Inputs").
	Encoding string
	// Delimiter is the field delimiter of text tables (one character, or
	// "tab"); "" sniffs it from the header among , ; tab |.
	Delimiter string
	// DateFormats are layouts table dates may have besides ISO 8601:
	// DD/MM/YYYY style, or "excel-serial" for Excel's day numbers.
	DateFormats []string
	// Sheet is the worksheet of .xlsx inputs; "" reads the first.
	Sheet string
	// Limits bound what one input may make the loader read; a zero field
	// is its default (DefaultLimits). They are not part of what a load
	// records of its options: they change whether a file is read, not
	// what it says.
	Limits Limits `json:"-"`
}

// Input is one file to load.
type Input struct {
	Name string // shown in problems
	Open func() (io.ReadCloser, error)
	// Ref names the file in the graph: the file and title of a table's
	// Source node, whose ID is "file:" and its base name (or, when two
	// inputs of the load share a base name, Ref itself). Name when empty.
	// A store that records its sources by absolute path sets it to that
	// path, so a file named relatively and the same file read again from
	// the record make the same Source.
	Ref string
}

// ref is in.Ref, or in.Name when that is empty.
func (in Input) ref() string {
	if in.Ref != "" {
		return in.Ref
	}
	return in.Name
}

// FileInput reads a file from disk.
func FileInput(path string) Input {
	return Input{Name: path, Open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

// FSInputs lists the native files (*.yaml, *.yml) at the top of fsys, sorted.
func FSInputs(fsys fs.FS, prefix string) ([]Input, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("reading embedded dataset: %w", err)
	}
	var ins []Input
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !isYAML(name) {
			continue
		}
		ins = append(ins, Input{Name: prefix + name, Open: func() (io.ReadCloser, error) { return fsys.Open(name) }})
	}
	return ins, nil
}

func isYAML(name string) bool {
	ext := strings.ToLower(filepath.Ext(strings.TrimSuffix(name, ".gz")))
	return ext == ".yaml" || ext == ".yml"
}

// FileReport says what was read from one input.
type FileReport struct {
	Name    string `json:"file"`
	Format  string `json:"format"`
	Rows    int    `json:"rows"`    // records (YAML) or data rows (tables)
	Skipped int    `json:"skipped"` // invalid rows dropped with SkipInvalid
	Merged  int    `json:"merged"`  // rows that repeat a pair or participation already read
	// Sheets are the worksheets of a workbook read (those with the first
	// one's header, or the one --sheet names); SheetsSkipped the others,
	// each with why.
	Sheets        []string  `json:"sheets,omitempty"`
	SheetsSkipped []string  `json:"sheets_skipped,omitempty"`
	Warnings      []Problem `json:"warnings,omitempty"`
}

// Report says what a load read.
type Report struct {
	Files   []FileReport `json:"files"`
	Summary Summary      `json:"summary"`
}

// Loader loads inputs into a dataset.
type Loader struct {
	opts       Options
	countries  *Countries
	types      *agreementTypes
	defCountry string
	pairType   string            // Options.PairType resolved ("" when none)
	enc        encoding.Encoding // nil: detect, or UTF-8 when Options.Encoding names it
	comma      rune              // 0: sniff
	dates      *dateParser
	lim        Limits // Options.Limits with defaults
}

// New returns a loader.
func New(opts Options) (*Loader, error) {
	switch opts.Format {
	case "", FormatAgreements, FormatParticipations, FormatPairs:
	default:
		return nil, fmt.Errorf("input format %q: want %s, %s or %s", opts.Format,
			FormatAgreements, FormatParticipations, FormatPairs)
	}
	for field, col := range opts.Columns {
		if _, ok := columnSynonyms[strings.ToLower(field)]; !ok {
			return nil, fmt.Errorf("columns: %q (mapped to %q) is not a field we read; the fields are %s", field, col, strings.Join(columnFields(), ", "))
		}
	}
	if err := opts.Limits.check(); err != nil {
		return nil, err
	}
	c, err := NewCountries(opts.CountryAliases)
	if err != nil {
		return nil, err
	}
	l := &Loader{opts: opts, countries: c, lim: opts.Limits.orDefault()}
	if l.types, err = newAgreementTypes(opts.TypeAliases); err != nil {
		return nil, err
	}
	if opts.PairType != "" {
		if l.pairType, err = l.types.resolve(opts.PairType); err != nil {
			return nil, fmt.Errorf("pairs.type: %w", err)
		}
	}
	if opts.DefaultCountry != "" {
		if l.defCountry, err = c.Resolve(opts.DefaultCountry); err != nil {
			return nil, fmt.Errorf("--default-country: %w", err)
		}
	}
	if opts.Encoding != "" {
		if l.enc, err = namedEncoding(opts.Encoding); err != nil {
			return nil, err
		}
	}
	switch d := opts.Delimiter; {
	case d == "":
	case strings.EqualFold(d, "tab") || d == `\t` || d == "\t":
		l.comma = '\t'
	case utf8.RuneCountInString(d) == 1 && d != "\"" && d != "\n" && d != "\r":
		l.comma, _ = utf8.DecodeRuneInString(d)
	default:
		return nil, fmt.Errorf("delimiter %q: want one character such as , ; | or tab", d)
	}
	if l.dates, err = newDateParser(opts.DateFormats); err != nil {
		return nil, err
	}
	return l, nil
}

// Countries returns the loader's country resolver.
func (l *Loader) Countries() *Countries { return l.countries }

// Load reads every input and returns the dataset they make together. Native
// files are read first, whatever their order, so that tables resolve their
// parties against the organisations (and aliases) the native files declare;
// table rows are resolved once every table is read, so that neither row
// order nor the split into files changes the graph.
func (l *Loader) Load(ctx context.Context, inputs []Input) (*graph.Dataset, *Report, error) {
	st := newState(l)
	var natives, tables []Input
	for _, in := range inputs {
		if l.opts.Format == FormatAgreements || (l.opts.Format == "" && isYAML(in.Name)) {
			natives = append(natives, in)
		} else {
			tables = append(tables, in)
		}
	}
	var docs []*nativeDoc
	for _, in := range natives {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		doc, fr := st.readNative(ctx, in)
		st.report.Files = append(st.report.Files, *fr)
		if doc != nil {
			docs = append(docs, doc)
		}
	}
	st.buildNative(docs)
	var names []string
	for _, in := range tables {
		names = append(names, in.ref())
	}
	st.srcNames = tableSourceNames(names)
	for _, in := range tables {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		st.readTable(ctx, in)
	}
	// An interrupted load says so, not what it had read so far.
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	st.resolveTables(ctx)
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	if len(st.problems) > 0 {
		sort.SliceStable(st.problems, func(i, j int) bool {
			a, b := st.problems[i], st.problems[j]
			if a.File != b.File {
				return a.File < b.File
			}
			return a.Line < b.Line
		})
		rep := st.report
		return nil, &rep, st.problems
	}
	// Each stage below is a pass over the rows (well under a second on the
	// H2020 file); a signal is honoured between them.
	for _, stage := range []func(){st.summarize, st.addCountries, st.ds.Canonicalize} {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		stage()
	}
	// A copy of the report, not &st.report: a pointer into the state
	// would keep all of it (every row and mention) alive with the report.
	rep := st.report
	return st.ds, &rep, nil
}
