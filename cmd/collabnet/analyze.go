package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/neo4jstore"
)

func newAnalyzeCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "analyze",
		Short: "Compute centrality and communities of the organisation or country network",
		Long: `Compute, per node, degree, strength (weighted degree), betweenness,
closeness, harmonic centrality, PageRank, eigenvector centrality, weighted
and unweighted clustering and the Louvain community, plus graph-level figures (nodes, edges,
density, components, modularity). Every measure follows NetworkX's default
conventions; the README gives the formulas.

--measures chooses the measures (default: all): a comma-separated list of
degree, strength, betweenness, closeness, harmonic, pagerank, eigenvector,
clustering, clustering_unweighted, community, or "cheap" (degree, strength, pagerank, eigenvector,
community). Measures not asked for are not computed and are absent from the
output. Only the level asked for is analysed: --level country builds the
organisation network only to aggregate it.

--level org: organisations tied by shared agreements (for participation data,
shared projects); the tie weight is the number of agreements they share
(--fractional: each agreement of k parties gives each pair 1/(k-1)).
--level country: the organisation network aggregated by country; domestic
ties are reported per country, not as self-loops.`,
		Example: `  collabnet analyze --level country --format json
  collabnet analyze --level country --countries DE,FR,IT,ES,NL -i ../shared/datasets/h2020/participations.csv.gz`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := newAnalyzeOptions(a.v)
			if err != nil {
				return err
			}
			return a.runAnalyze(cmd.Context(), o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	addInputFlags(cmd)
	addSourceFlag(cmd)
	addAnalysisFlags(cmd)
	f := cmd.Flags()
	f.String("level", "org", "network to analyse: org or country")
	f.Bool("write", false, "with --source neo4j: write the scores back as node properties and record the run as an AnalyticsRun node")
	f.StringP("format", "f", "table", "output format: table, json or csv")
	f.Bool("pretty", false, "JSON: indent by two spaces (default: compact)")
	f.String("engine", "go", "where the measures run: go (this process) or gds (inside Neo4j with Graph Data Science; needs --source neo4j)")
	f.String("community", "louvain", "community detection: louvain, or leiden (--engine gds only)")
	f.Lookup("engine").Annotations = map[string][]string{"key": {"analytics.engine"}}
	f.Lookup("community").Annotations = map[string][]string{"key": {"analytics.community"}}
	return cmd
}

func addAnalysisFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringSlice("countries", nil, "analyse only ties between organisations of these countries (ISO codes, names, or regions: EU27, ASEAN, OECD and those of the configuration's regions:)")
	f.Bool("fractional", false, "fractional counting: an agreement of k parties gives each pair 1/(k-1)")
	f.Bool("weighted-paths", false, "path measures treat a tie of strength w as distance 1/w (default: hops)")
	f.Float64("resolution", 1, "Louvain resolution (larger: more, smaller communities)")
	f.Uint64("seed", 1, "seed of the Louvain community detection")
	f.Int("sample", 0, "estimate betweenness from this many seeded source nodes (closeness stays exact, except with --weighted-paths); 0: exact within --budget")

	f.Bool("exact", false, "compute betweenness and closeness from every source, however long it takes (default: stop at --budget)")
	f.Duration("budget", analysis.DefaultBudget, "wall-clock deadline of the analysis, from its start: there the path measures stop with what they have (betweenness estimated from the sources swept, in seeded random order; closeness and harmonic only if complete), with a warning")
	f.Float64("tolerance", 0, "PageRank and eigenvector stop when no score changes by more than this in a step (0: 1e-12)")
	f.StringSlice("measures", nil, "measures to compute: "+strings.Join(analysis.MeasureNames(analysis.AllMeasures()), ",")+", all or cheap ("+strings.Join(analysis.MeasureNames(analysis.CheapMeasures()), ",")+"; default: the command's)")
	f.String("counting", "", "full (each agreement gives each pair of its parties 1) or fractional (1/(k-1) for k parties; the same as --fractional), as VOSviewer names them")
	f.String("normalize", "none", "normalise tie strength (van Eck & Waltman 2009): none, association, cosine, jaccard, inclusion or equivalence; written beside the raw weight")
	f.Bool("normalized-weights", false, "with --normalize: strength, PageRank, clustering, weighted paths and Louvain use the normalised weights")
	f.String("since", "", "keep agreements dated from this year, month or day on (2016, 2016-03, 2016-03-01); undated agreements are left out and counted")
	f.String("until", "", "keep agreements dated up to this year, month or day")
	f.String("period", "", "also analyse a network per period: year or N-years (such as 3-years), with entrants, leavers and rank changes")
	f.Bool("ego", false, "with --countries: keep every agreement an organisation of those countries is party to, with all its parties (who works with them)")
	f.Int("min-agreements", 0, "drop nodes party to fewer agreements")
	f.Float64("min-weight", 0, "drop ties lighter than this (counted weight)")
	f.String("backbone", "", "keep the statistically significant ties: disparity (Serrano, Boguñá & Vespignani 2009)")
	f.Float64("alpha", analysis.DefaultAlpha, "significance level of --backbone disparity")
	f.Int("max-links", 0, "keep only the N strongest ties")
	f.Int("top", 0, "keep only the N nodes highest by --top-by")
	f.String("top-by", "strength", "measure --top ranks nodes by")
	f.Bool("drop-isolates", false, "drop nodes left without ties by the filters")
	f.Bool("roll-up", false, "count each unit (part_of another organisation) as its topmost parent")
	for _, n := range []string{"countries", "fractional", "weighted-paths", "resolution", "seed", "sample", "exact", "budget", "tolerance", "measures",
		"counting", "normalize", "normalized-weights", "since", "until", "period", "ego", "min-agreements", "min-weight", "backbone", "alpha", "max-links", "top", "top-by", "drop-isolates", "roll-up"} {
		f.Lookup(n).Annotations = map[string][]string{"key": {"analytics." + strings.ReplaceAll(n, "-", "_")}}
	}
}

// runAnalyze analyses the level asked for and prints its scores; with
// Write it also writes them into Neo4j.
func (a *app) runAnalyze(ctx context.Context, o analyzeOptions, stdout, stderr io.Writer) error {
	an, err := a.analyze(ctx, o, stderr)
	if err != nil {
		return err
	}
	lvl := an.Org
	if an.Country != nil {
		lvl = an.Country
	}
	if o.Write {
		if err := a.writeScores(ctx, o.Neo4j, lvl, an.Options); err != nil {
			return err
		}
	}
	if o.Analysis.Period != "" && an.Periods == nil {
		where := ""
		if o.Analysis.Filter.Since != "" || o.Analysis.Filter.Until != "" {
			where = " within --since/--until"
		}
		return fmt.Errorf("--period %s: no agreement is dated%s, so there is no period to analyse", o.Analysis.Period, where)
	}
	if an.Periods != nil {
		if o.Format == "json" {
			return table{json: periodJSON{lvl, an}}.write(stdout, "json", o.Pretty)
		}
		return changeTable(an).write(stdout, o.Format, o.Pretty)
	}
	if o.Format == "json" {
		return lvl.WriteJSON(stdout, o.Pretty)
	}
	return scoreTable(lvl).write(stdout, o.Format, o.Pretty)
}

// periodJSON is analyze --period's JSON: the level over the whole window,
// then the network of each period, the changes between them and the
// undated agreements.
type periodJSON struct {
	lvl *analysis.Level
	an  *analysis.Analysis
}

func (p periodJSON) MarshalJSON() ([]byte, error) {
	type period struct {
		Label   string          `json:"label"`
		From    string          `json:"from"`
		Until   string          `json:"until"`
		Network *analysis.Level `json:"network"`
	}
	ps := []period{}
	for _, x := range p.an.Periods {
		n := x.Org
		if p.lvl.Level == analysis.LevelCountry {
			n = x.Country
		}
		ps = append(ps, period{x.Label, x.From, x.Until, n})
	}
	cs := []*analysis.Change{}
	for _, c := range p.an.Changes {
		if c.Level == p.lvl.Level {
			cs = append(cs, c)
		}
	}
	head, err := json.Marshal(p.lvl)
	if err != nil {
		return nil, err
	}
	tail, err := json.Marshal(struct {
		Periods []period           `json:"periods"`
		Changes []*analysis.Change `json:"changes"`
		Undated int                `json:"undated"`
	}{ps, cs, p.an.Undated})
	if err != nil {
		return nil, err
	}
	// One object: the level's fields, then the periods'.
	return append(append(head[:len(head)-1], ','), tail[1:]...), nil
}

// changeTable is analyze --period's table: per pair of consecutive
// periods, every node that entered or left, and at the country level
// every country's strength and rank in both.
func changeTable(an *analysis.Analysis) table {
	t := table{header: []string{"from", "to", "id", "change", "strength_from", "strength_to", "rank_from", "rank_to"}}
	rank := func(r int) string {
		if r == 0 {
			return ""
		}
		return strconv.Itoa(r)
	}
	for _, c := range an.Changes {
		if c.Moves != nil {
			for _, m := range c.Moves {
				ch := "stayed"
				switch {
				case m.RankFrom == 0:
					ch = "entered"
				case m.RankTo == 0:
					ch = "left"
				}
				strength := func(s float64, r int) string {
					if r == 0 {
						return ""
					}
					return num(s)
				}
				t.rows = append(t.rows, []string{c.From, c.To, m.ID, ch, strength(m.StrengthFrom, m.RankFrom), strength(m.StrengthTo, m.RankTo), rank(m.RankFrom), rank(m.RankTo)})
			}
			continue
		}
		for _, id := range c.Entrants {
			t.rows = append(t.rows, []string{c.From, c.To, id, "entered", "", "", "", ""})
		}
		for _, id := range c.Leavers {
			t.rows = append(t.rows, []string{c.From, c.To, id, "left", "", "", "", ""})
		}
	}
	return t
}

// engines open the analysis engines by name: the engine and what closes
// it. The go engine reads the graph (from the inputs or Neo4j); the gds
// engine analyses the graph stored in Neo4j without reading it.
var engines = map[string]func(a *app, ctx context.Context, o analyzeOptions) (analysis.Engine, func(context.Context) error, error){
	analysis.EngineGo: func(a *app, ctx context.Context, o analyzeOptions) (analysis.Engine, func(context.Context) error, error) {
		ds, err := a.readGraph(ctx, o.sourceOptions)
		if err != nil {
			return nil, nil, err
		}
		return analysis.GoEngine{Dataset: ds}, func(context.Context) error { return nil }, nil
	},
	analysis.EngineGDS: func(a *app, ctx context.Context, o analyzeOptions) (analysis.Engine, func(context.Context) error, error) {
		if len(o.Evidence) > 0 {
			return nil, nil, errors.New("--evidence and --engine gds exclude each other: GDS projects the whole graph in Neo4j; use --engine go")
		}
		s, err := a.openNeo4j(ctx, o.Neo4j)
		if err != nil {
			return nil, nil, err
		}
		if !a.v.IsSet("analytics.measures") {
			a.log.Info("--engine gds computes neither eigenvector nor clustering: GDS gives them another meaning (README, \"Two engines\")")
		}
		return neo4jstore.GDSEngine{Store: s}, s.Close, nil
	},
}

// analyze runs the analysis on the engine asked for.
func (a *app) analyze(ctx context.Context, o analyzeOptions, stderr io.Writer) (_ *analysis.Analysis, err error) {
	name := o.Analysis.Engine
	if name == "" {
		name = analysis.EngineGo
	}
	open, ok := engines[name]
	if !ok {
		return nil, fmt.Errorf("--engine %q: want go or gds", name)
	}
	e, closeEngine, err := open(a, ctx, o)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, closeEngine(ctx)) }()
	return e.Analyze(ctx, a.withFeedback(o.Analysis, stderr))
}

// withFeedback has the analysis log its warnings as soon as they are
// known and, on a terminal, draw a progress bar for the long measures.
func (a *app) withFeedback(opt analysis.Options, stderr io.Writer) analysis.Options {
	opt.Notify = func(w string) { a.log.Warn(w) }
	if isTerminal(stderr) && !a.v.GetBool("quiet") {
		opt.Progress = progressBars(stderr)
	}
	return opt
}

// scoreTable lays out per-node scores for table and CSV output: a column
// per measure computed, typed as its declaration says (an unknown score
// is an empty cell).
func scoreTable(l *analysis.Level) table {
	t := table{header: []string{"id", "name", "country"}}
	t.header = append(t.header, analysis.MeasureNames(l.Measures)...)
	t.n = len(l.Nodes)
	t.rowAt = func(i int) []string {
		n := &l.Nodes[i]
		row := []string{n.ID, n.Name, n.Country}
		for _, m := range l.Measures {
			switch v := analysis.Lookup(m).Typed(n).(type) {
			case int64:
				row = append(row, strconv.FormatInt(v, 10))
			case float64:
				row = append(row, strconv.FormatFloat(v, 'g', 6, 64))
			default:
				row = append(row, "")
			}
		}
		return row
	}
	return t
}

// writeScores writes a level's scores into Neo4j (analyze --write).
func (a *app) writeScores(ctx context.Context, c neo4jstore.Config, l *analysis.Level, opts analysis.Options) (err error) {
	s, err := a.openNeo4j(ctx, c)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, s.Close(ctx)) }()
	params, err := json.Marshal(opts)
	if err != nil {
		return fmt.Errorf("the run's parameters as JSON: %w", err)
	}
	now := time.Now().UTC()
	run := neo4jstore.AnalyticsRun{ID: "run-" + now.Format("20060102T150405.000000000Z"), Level: l.Level, Time: now,
		Version: version, Parameters: string(params), Nodes: len(l.Nodes), Measures: l.Measures}
	if l.Has(analysis.Community) {
		run.Modularity = &l.Graph.Modularity
	}
	if err := s.WriteScores(ctx, l, run); err != nil {
		return err
	}
	a.log.Info("scores written to Neo4j", "nodes", len(l.Nodes), "level", l.Level, "run", run.ID)
	return nil
}

func num(f float64) string {
	if math.IsNaN(f) {
		return ""
	}
	return strconv.FormatFloat(f, 'g', 6, 64)
}
