package main

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/analytics"
	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/internal/regions"
	"github.com/collabnet/collabnet/loader"
	"github.com/collabnet/collabnet/neo4jstore"
	"github.com/collabnet/collabnet/report"
)

// Each command turns its settings into one options struct (newXOptions),
// then calls one run function with it. The settings are the merged
// configuration: flags beat environment variables, which beat
// collabnet.yaml, which beats the defaults (viper, in app.init); tests
// give a plain map.

// settings is where options are read from: *viper.Viper, or mapSettings
// in tests.
type settings interface {
	GetString(key string) string
	GetBool(key string) bool
	GetInt(key string) int
	GetUint64(key string) uint64
	GetFloat64(key string) float64
	GetDuration(key string) time.Duration
	GetStringSlice(key string) []string
	GetStringMapString(key string) map[string]string
	IsSet(key string) bool
}

// sourceOptions say where a command's graph comes from: the input files
// (or the shipped dataset) read in memory, or Neo4j.
type sourceOptions struct {
	Source      string // "embedded" or "neo4j"
	Inputs      []string
	WithShipped bool
	Loader      loader.Options
	Neo4j       neo4jstore.Config
	// Evidence keeps only the facts of these grades (--evidence); nil keeps all.
	Evidence []graph.Grade
}

func newSourceOptions(s settings) (sourceOptions, error) {
	o := sourceOptions{Source: s.GetString("source"), Inputs: s.GetStringSlice("input"), WithShipped: s.GetBool("with_shipped"),
		Loader: loaderOptions(s), Neo4j: neo4jConfig(s)}
	var err error
	if o.Evidence, err = graph.ParseGrades(s.GetStringSlice("evidence")); err != nil {
		return o, fmt.Errorf("--evidence: %w", err)
	}
	switch o.Source {
	case "", "embedded":
		o.Source = "embedded"
	case "neo4j":
		if len(o.Inputs) > 0 || o.WithShipped {
			return o, errors.New("--input (or --with-shipped) and --source neo4j exclude each other: load the inputs with collabnet load first")
		}
	default:
		return o, fmt.Errorf("source %q: want embedded or neo4j", o.Source)
	}
	return o, nil
}

// loaderOptions reads the loader's settings.
func loaderOptions(s settings) loader.Options {
	return loader.Options{
		Format:         s.GetString("input_format"),
		Columns:        s.GetStringMapString("columns"),
		CountryAliases: s.GetStringMapString("countries.aliases"),
		FoldAccents:    s.GetBool("resolve.fold_accents"),
		SkipInvalid:    s.GetBool("load.skip_invalid"),
		PairType:       s.GetString("pairs.type"),
		Encoding:       s.GetString("load.encoding"),
		Delimiter:      s.GetString("load.delimiter"),
		DateFormats:    s.GetStringSlice("load.date_formats"),
		Sheet:          s.GetString("load.sheet"),
		TypeAliases:    s.GetStringMapString("agreement_types"),
		DefaultCountry: s.GetString("load.default_country"),
		Limits: loader.Limits{InputBytes: sizeSetting(s, "load.max_input_bytes"), YAMLBytes: sizeSetting(s, "load.max_yaml_bytes"),
			CellBytes: int(min(sizeSetting(s, "load.max_cell_bytes"), 1<<40)), Columns: s.GetInt("load.max_columns"), Rows: s.GetInt("load.max_rows"),
			XLSXCells: int64(s.GetInt("load.max_xlsx_cells")), Ratio: int64(s.GetInt("load.max_ratio"))},
	}
}

// sizeSetting reads a byte count (loader.ParseSize: 1073741824, 64KiB, 2GiB);
// -1, which loader.New refuses, when it is not one.
func sizeSetting(s settings, key string) int64 {
	n, err := loader.ParseSize(s.GetString(key))
	if err != nil {
		return -1
	}
	return n
}

// neo4jConfig reads where and how to reach Neo4j.
func neo4jConfig(s settings) neo4jstore.Config {
	return neo4jstore.Config{
		URI:            s.GetString("neo4j.uri"),
		User:           s.GetString("neo4j.user"),
		Password:       s.GetString("neo4j.password"),
		Database:       s.GetString("neo4j.database"),
		BatchSize:      s.GetInt("neo4j.batch_size"),
		Writers:        s.GetInt("neo4j.writers"),
		ConnectTimeout: s.GetDuration("neo4j.timeout"),
		QueryTimeout:   s.GetDuration("neo4j.query_timeout"),
	}
}

// analysisOptions reads the analytics settings for the given levels;
// without --measures, the measures are defaults. Countries given by name
// are resolved as the loader resolves them.
func analysisOptions(s settings, levels []string, defaults []analysis.Measure) (analysis.Options, error) {
	ms, err := analysis.ParseMeasures(s.GetStringSlice("analytics.measures"))
	if err != nil {
		return analysis.Options{}, fmt.Errorf("--measures: %w", err)
	}
	if ms == nil {
		ms = defaults
	}
	o := analysis.Options{
		Engine:        s.GetString("analytics.engine"),
		Community:     s.GetString("analytics.community"),
		Levels:        levels,
		Measures:      ms,
		Fractional:    s.GetBool("analytics.fractional"),
		WeightedPaths: s.GetBool("analytics.weighted_paths"),
		Resolution:    s.GetFloat64("analytics.resolution"),
		Seed:          s.GetUint64("analytics.seed"),
		Sample:        s.GetInt("analytics.sample"),
		Exact:         s.GetBool("analytics.exact"),
		Budget:        s.GetDuration("analytics.budget"),
		Tolerance:     s.GetFloat64("analytics.tolerance"),
	}
	switch c := s.GetString("analytics.counting"); c {
	case "":
	case "full":
		if o.Fractional {
			return o, errors.New("--counting full and --fractional contradict each other")
		}
	case "fractional":
		o.Fractional = true
	default:
		return o, fmt.Errorf("--counting %q: want full or fractional", c)
	}
	if o.Normalize, err = analytics.ParseNormalization(s.GetString("analytics.normalize")); err != nil {
		return o, fmt.Errorf("--normalize: %w", err)
	}
	o.NormalizedWeights = s.GetBool("analytics.normalized_weights")
	o.RollUp = s.GetBool("analytics.roll_up")
	o.Period = s.GetString("analytics.period")
	if o.Period != "" {
		if _, err := analysis.ParsePeriod(o.Period); err != nil {
			return o, err
		}
	}
	o.Filter = analysis.Filter{Since: s.GetString("analytics.since"), Until: s.GetString("analytics.until"), Ego: s.GetBool("analytics.ego"),
		MinAgreements: s.GetInt("analytics.min_agreements"), MinWeight: s.GetFloat64("analytics.min_weight"),
		Backbone: s.GetString("analytics.backbone"), Alpha: s.GetFloat64("analytics.alpha"), MaxLinks: s.GetInt("analytics.max_links"),
		Top: s.GetInt("analytics.top"), TopBy: analysis.Measure(s.GetString("analytics.top_by")), DropIsolates: s.GetBool("analytics.drop_isolates")}
	if o.Filter.Backbone == "none" {
		o.Filter.Backbone = ""
	}
	if o.Filter.Backbone == "" {
		o.Filter.Alpha = 0 // not used: kept out of the recorded options
	}
	if o.Filter.Top == 0 {
		o.Filter.TopBy = ""
	}
	if o.Engine == analysis.EngineGDS && (o.Filter != (analysis.Filter{}) || o.Normalize != analytics.NormNone || o.Period != "" || o.RollUp) {
		return o, errors.New("--engine gds runs on the whole stored graph: normalisation, filters and periods need --engine go")
	}
	if o.Normalize == analytics.NormNone {
		o.Normalize = ""
	}
	if o.Exact && o.Sample > 0 {
		return o, fmt.Errorf("--exact and --sample %d exclude each other: --exact sweeps every source, --sample only %d", o.Sample, o.Sample)
	}
	if o.Sample < 0 {
		return o, fmt.Errorf("--sample %d: want a number of sources, or 0 for the default", o.Sample)
	}
	if o.Budget < 0 {
		return o, fmt.Errorf("--budget %s: want a duration such as 30s or 5m", o.Budget)
	}
	if o.Tolerance < 0 || o.Tolerance >= 1 || math.IsNaN(o.Tolerance) {
		return o, fmt.Errorf("--tolerance %g: want a small positive number, such as 1e-12", o.Tolerance)
	}
	if o.Resolution < 0 || math.IsNaN(o.Resolution) || math.IsInf(o.Resolution, 0) {
		return o, fmt.Errorf("--resolution %g: want a positive number (1 is modularity's own; larger gives more, smaller communities)", o.Resolution)
	}
	if o.Resolution == 0 {
		o.Resolution = 1
	}
	if s.IsSet("analytics.countries") {
		l, err := loader.New(loaderOptions(s))
		if err != nil {
			return o, err
		}
		for _, c := range s.GetStringSlice("analytics.countries") {
			// A region (EU27, ASEAN, OECD, or one of the configuration's
			// regions:) stands for its members.
			if members, ok := regions.Lookup(c, s.GetStringMapString("regions")); ok {
				for _, m := range members {
					if !slices.Contains(o.Countries, m) {
						o.Countries = append(o.Countries, m)
					}
				}
				continue
			}
			code, err := l.Countries().Resolve(c)
			if err != nil {
				return o, fmt.Errorf("--countries: %w", err)
			}
			if code != "" && !slices.Contains(o.Countries, code) {
				o.Countries = append(o.Countries, code)
			}
		}
	}
	// The filter's ranges are checked now, before any input is read or
	// Neo4j is asked.
	if err := o.Filter.Validate(o); err != nil {
		return o, err
	}
	return o, nil
}

// analyzeOptions are analyze's.
type analyzeOptions struct {
	sourceOptions
	Analysis analysis.Options // Levels holds the one level analysed
	Format   string
	Pretty   bool // indented JSON
	Write    bool // write the scores back to Neo4j
}

func newAnalyzeOptions(s settings) (analyzeOptions, error) {
	o := analyzeOptions{Format: s.GetString("format"), Pretty: s.GetBool("pretty"), Write: s.GetBool("write")}
	if err := checkFormat(o.Format); err != nil {
		return o, err
	}
	level := s.GetString("level")
	if level != analysis.LevelOrg && level != analysis.LevelCountry {
		return o, fmt.Errorf("level %q: want org or country", level)
	}
	var err error
	if o.sourceOptions, err = newSourceOptions(s); err != nil {
		return o, err
	}
	if o.Write && o.Source != "neo4j" {
		return o, errors.New("--write writes to Neo4j: use it with --source neo4j")
	}
	defaults := analysis.AllMeasures()
	switch eng := s.GetString("analytics.engine"); eng {
	case "", analysis.EngineGo:
	case analysis.EngineGDS:
		if o.Source != "neo4j" {
			return o, errors.New("--engine gds runs inside Neo4j on the graph stored there: use it with --source neo4j (after collabnet load)")
		}
		defaults = neo4jstore.GDSMeasures()
	default:
		return o, fmt.Errorf("--engine %q: want go or gds", eng)
	}
	if o.Analysis, err = analysisOptions(s, []string{level}, defaults); err != nil {
		return o, err
	}
	return o, nil
}

// exportOptions are export's.
type exportOptions struct {
	sourceOptions
	Level  string // full, org or country
	Format string // graphml, gexf or csv
	Out    string
	SizeBy string
	// ColorBy is the GEXF colour's node attribute (default community).
	ColorBy string
	// GEXFVersion is "1.3" (default) or "1.2" (1.2draft).
	GEXFVersion string
	// Lang is the language of the node labels: en (default) or zh.
	Lang string
	// Excel starts CSV files with a UTF-8 byte-order mark.
	Excel bool
	// Force writes through a symbolic link or into a device file.
	Force bool
	// Analysis is set for the org and country levels: by default the
	// cheap measures for org (seconds on H2020), all for country.
	Analysis analysis.Options
}

func newExportOptions(s settings) (exportOptions, error) {
	o := exportOptions{Level: s.GetString("level"), Out: s.GetString("export.out"),
		Format: s.GetString("export.format"), SizeBy: s.GetString("size_by"), ColorBy: s.GetString("color_by"), GEXFVersion: s.GetString("gexf_version"),
		Excel: s.GetBool("excel"), Lang: s.GetString("lang"), Force: s.GetBool("force")}
	if o.Lang == "" {
		o.Lang = graph.LangEN
	}
	if o.Lang != graph.LangEN && o.Lang != graph.LangZH {
		return o, fmt.Errorf("--lang %q: want en or zh", o.Lang)
	}
	if o.Out == "" {
		return o, errors.New("--out FILE is required")
	}
	if o.ColorBy == "" {
		o.ColorBy = "community"
	}
	if o.Format == "" {
		o.Format = strings.TrimPrefix(filepath.Ext(o.Out), ".")
	}
	switch o.Format {
	case "graphml", "gexf", "csv", "geojson":
	case "":
		return o, errors.New("--out - (standard output) needs --format: graphml, gexf or geojson")
	default:
		return o, fmt.Errorf("format %q: want graphml, gexf, csv or geojson", o.Format)
	}
	if o.Out == "-" && o.Format == "csv" {
		return o, errors.New("--format csv writes two files (nodes and edges): give --out a file name, not -")
	}
	var err error
	if o.sourceOptions, err = newSourceOptions(s); err != nil {
		return o, err
	}
	switch o.Level {
	case "full":
	case analysis.LevelOrg:
		o.Analysis, err = analysisOptions(s, []string{o.Level}, analysis.CheapMeasures())
	case analysis.LevelCountry:
		o.Analysis, err = analysisOptions(s, []string{o.Level}, analysis.AllMeasures())
	default:
		return o, fmt.Errorf("level %q: want full, org or country", o.Level)
	}
	return o, err
}

// listOptions are list's.
type listOptions struct {
	sourceOptions
	// Select and Between narrow list agreements to the agreements behind
	// an analysis (--since, --until, --countries --ego) or one tie.
	Select  analysis.Options
	Between []string
	Kind    string // organizations, agreements, countries or figures
	Format  string
	Excel   bool // CSV with a UTF-8 byte-order mark
	Pretty  bool // indented JSON
}

func newListOptions(s settings, kind string) (listOptions, error) {
	o := listOptions{Format: s.GetString("format"), Excel: s.GetBool("excel"), Pretty: s.GetBool("pretty")}
	if err := checkFormat(o.Format); err != nil {
		return o, err
	}
	switch kind {
	case "organizations", "organisations", "orgs":
		o.Kind = "organizations"
	case "agreements", "countries", "figures":
		o.Kind = kind
	default:
		return o, fmt.Errorf("list %q: want organizations, agreements, countries or figures", kind)
	}
	var err error
	if o.sourceOptions, err = newSourceOptions(s); err != nil {
		return o, err
	}
	o.Between = s.GetStringSlice("between")
	since, until, ego := s.GetString("analytics.since"), s.GetString("analytics.until"), s.GetBool("analytics.ego")
	if o.Kind != "agreements" {
		if since != "" || until != "" || ego || len(o.Between) > 0 {
			return o, errors.New("--since, --until, --ego and --between select agreements: use them with list agreements")
		}
		return o, nil
	}
	if since != "" || until != "" || ego {
		// The countries resolve as analyze resolves them (names, regions).
		an, err := analysisOptions(s, nil, nil)
		if err != nil {
			return o, err
		}
		o.Select = analysis.Options{Countries: an.Countries, Filter: analysis.Filter{Since: since, Until: until, Ego: ego}}
	}
	return o, nil
}

// loadOptions are load's.
type loadOptions struct {
	Inputs      []string
	WithShipped bool
	Replace     bool
	Remove      []string // sources to remove (collabnet sources remove)
	Loader      loader.Options
	Neo4j       neo4jstore.Config
	DryRun      bool
	Quiet       bool // no progress bar
	// Bulk loads through neo4j-admin database import (--bulk): Dir is
	// BulkDir, the commands come from neo4j.admin_command,
	// neo4j.stop_command and neo4j.start_command.
	Bulk     bool
	BulkLoad neo4jstore.BulkOptions
}

func newLoadOptions(s settings) loadOptions {
	return loadOptions{Inputs: s.GetStringSlice("input"), WithShipped: s.GetBool("with_shipped"), Replace: s.GetBool("replace"),
		Loader: loaderOptions(s), Neo4j: neo4jConfig(s), DryRun: s.GetBool("dry_run"), Quiet: s.GetBool("quiet"),
		Bulk: s.GetBool("bulk"), BulkLoad: neo4jstore.BulkOptions{Dir: s.GetString("bulk_dir"), Admin: s.GetString("neo4j.admin_command"),
			Stop: s.GetString("neo4j.stop_command"), Start: s.GetString("neo4j.start_command")}}
}

// maxBatch and maxWriters bound --batch-size and --writers: a batch is
// held in memory on both sides, and each writer takes a server core.
const (
	maxBatch   = 1_000_000
	maxWriters = 64
)

// validate checks the option ranges.
func (o loadOptions) validate() error {
	if b := o.Neo4j.BatchSize; b < 1 || b > maxBatch {
		return fmt.Errorf("--batch-size %d: want 1 to %d agreements per transaction", b, maxBatch)
	}
	if w := o.Neo4j.Writers; w < 1 || w > maxWriters {
		return fmt.Errorf("--writers %d: want 1 to %d", w, maxWriters)
	}
	if o.Neo4j.ConnectTimeout < 0 {
		return fmt.Errorf("neo4j.timeout %s: want a duration such as 15s", o.Neo4j.ConnectTimeout)
	}
	if o.Bulk && (o.DryRun || o.Replace || len(o.Remove) > 0) {
		return errors.New("--bulk is a first load into an empty database: it takes no --dry-run, --replace or removal")
	}
	return nil
}

// reportOptions are report's and schedule's.
type reportOptions struct {
	sourceOptions
	AllowEmpty bool             // with --source neo4j: report an empty database
	LockWait   time.Duration    // how long to wait for another run writing into Dir
	Analysis   analysis.Options // both levels; every measure unless --measures
	Dir        string           // absolute
	Lang       string
	// Schedule only.
	Cron  string
	Once  bool
	Grace time.Duration
}

func newReportOptions(s settings) (reportOptions, error) {
	o := reportOptions{AllowEmpty: s.GetBool("allow_empty"), LockWait: s.GetDuration("lock_wait"), Lang: s.GetString("lang"), Cron: s.GetString("schedule.cron"),
		Once: s.GetBool("schedule.once"), Grace: s.GetDuration("schedule.grace")}
	if o.Lang == "" {
		o.Lang = "en"
	}
	if !report.ValidLang(o.Lang) {
		return o, fmt.Errorf("--lang %q: want en or zh", o.Lang)
	}
	if o.LockWait < 0 {
		return o, fmt.Errorf("--lock-wait %s: want a duration such as 30s or 10m", o.LockWait)
	}
	if o.Grace < 0 {
		return o, fmt.Errorf("--grace %s: want a duration such as 1m, or 0 to wait for the run", o.Grace)
	}
	var err error
	if o.Dir, err = filepath.Abs(s.GetString("out")); err != nil {
		return o, err
	}
	if o.sourceOptions, err = newSourceOptions(s); err != nil {
		return o, err
	}
	if o.Analysis, err = analysisOptions(s, nil, analysis.AllMeasures()); err != nil {
		return o, err
	}
	// The report shows how the country network changed year by year unless
	// told otherwise (--period); degree and strength suffice for it.
	if !s.IsSet("analytics.period") {
		o.Analysis.Period = "year"
	}
	if o.Analysis.Period != "" {
		o.Analysis.PeriodLevels = []string{analysis.LevelCountry}
		o.Analysis.PeriodMeasures = []analysis.Measure{analysis.Degree, analysis.Strength}
	}
	return o, err
}
