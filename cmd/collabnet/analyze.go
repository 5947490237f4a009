package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/neo4jstore"
)

func newAnalyzeCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "analyze",
		Short: "Compute centrality and communities of the organisation or country network",
		Long: `Compute, per node, degree, strength (weighted degree), betweenness,
closeness, harmonic centrality, PageRank, eigenvector centrality, weighted
clustering and the Louvain community, plus graph-level figures (nodes, edges,
density, components, modularity). Every measure follows NetworkX's default
conventions; the README gives the formulas.

--measures chooses the measures (default: all): a comma-separated list of
degree, strength, betweenness, closeness, harmonic, pagerank, eigenvector,
clustering, community, or "cheap" (degree, strength, pagerank, eigenvector,
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
			format := a.v.GetString("format")
			if err := checkFormat(format); err != nil {
				return err
			}
			level := a.v.GetString("level")
			if level != analysis.LevelOrg && level != analysis.LevelCountry {
				return fmt.Errorf("level %q: want org or country", level)
			}
			opts, err := a.analysisOptions([]string{level}, analysis.AllMeasures)
			if err != nil {
				return err
			}
			ds, err := a.readGraph(cmd.Context())
			if err != nil {
				return err
			}
			an, err := analysis.Analyze(cmd.Context(), ds, opts)
			if err != nil {
				return err
			}
			lvl := an.Org
			if level == analysis.LevelCountry {
				lvl = an.Country
			}
			if a.v.GetBool("write") {
				if err := a.writeScores(cmd.Context(), lvl, an.Options); err != nil {
					return err
				}
			}
			if format == "json" {
				return table{json: lvl}.write(cmd.OutOrStdout(), "json")
			}
			return scoreTable(lvl).write(cmd.OutOrStdout(), format)
		},
	}
	addInputFlags(cmd)
	addSourceFlag(cmd)
	addAnalysisFlags(cmd)
	f := cmd.Flags()
	f.String("level", "org", "network to analyse: org or country")
	f.Bool("write", false, "with --source neo4j: write the scores back as node properties and record the run as an AnalyticsRun node")
	f.StringP("format", "f", "table", "output format: table, json or csv")
	return cmd
}

func addAnalysisFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringSlice("countries", nil, "analyse only ties between organisations of these countries (ISO codes or names)")
	f.Bool("fractional", false, "fractional counting: an agreement of k parties gives each pair 1/(k-1)")
	f.Bool("weighted-paths", false, "path measures treat a tie of strength w as distance 1/w (default: hops)")
	f.Float64("resolution", 1, "Louvain resolution (larger: more, smaller communities)")
	f.Uint64("seed", 1, "seed of the Louvain community detection")
	f.Int("sample", 0, "estimate betweenness and closeness from this many seeded source nodes (0: exact)")
	f.StringSlice("measures", nil, "measures to compute: degree,strength,betweenness,closeness,harmonic,pagerank,eigenvector,clustering,community, all or cheap (default: the command's)")
	for _, n := range []string{"countries", "fractional", "weighted-paths", "resolution", "seed", "sample", "measures"} {
		f.Lookup(n).Annotations = map[string][]string{"key": {"analytics." + strings.ReplaceAll(n, "-", "_")}}
	}
}

// analysisOptions reads the analytics settings from the configuration, for
// the given levels; without --measures, the measures are defaults.
func (a *app) analysisOptions(levels []string, defaults []analysis.Measure) (analysis.Options, error) {
	v := a.v
	ms, err := analysis.ParseMeasures(v.GetStringSlice("analytics.measures"))
	if err != nil {
		return analysis.Options{}, fmt.Errorf("--measures: %w", err)
	}
	if ms == nil {
		ms = defaults
	}
	o := analysis.Options{
		Levels:        levels,
		Measures:      ms,
		Fractional:    v.GetBool("analytics.fractional"),
		WeightedPaths: v.GetBool("analytics.weighted_paths"),
		Resolution:    v.GetFloat64("analytics.resolution"),
		Seed:          v.GetUint64("analytics.seed"),
		Sample:        v.GetInt("analytics.sample"),
	}
	if o.Resolution <= 0 {
		o.Resolution = 1
	}
	if v.IsSet("analytics.countries") {
		l, err := a.newLoader()
		if err != nil {
			return o, err
		}
		for _, c := range v.GetStringSlice("analytics.countries") {
			code, err := l.Countries().Resolve(c)
			if err != nil {
				return o, fmt.Errorf("--countries: %w", err)
			}
			if code != "" {
				o.Countries = append(o.Countries, code)
			}
		}
	}
	return o, nil
}

// analyze analyses both levels for the report: by default every measure,
// since its pages, report.json and method notes show them all.
func (a *app) analyze(ctx context.Context, ds *graph.Dataset) (*analysis.Analysis, error) {
	opts, err := a.analysisOptions(nil, analysis.AllMeasures)
	if err != nil {
		return nil, err
	}
	return analysis.Analyze(ctx, ds, opts)
}

// scoreTable lays out per-node scores for table and CSV output: a column
// per measure computed.
func scoreTable(l *analysis.Level) table {
	t := table{header: []string{"id", "name", "country"}}
	for _, m := range l.Measures {
		t.header = append(t.header, string(m))
	}
	for _, n := range l.Nodes {
		row := []string{n.ID, n.Name, n.Country}
		for _, m := range l.Measures {
			switch m {
			case analysis.Degree:
				row = append(row, strconv.Itoa(n.Degree))
			case analysis.Community:
				row = append(row, strconv.Itoa(n.Community))
			default:
				row = append(row, num(m.Value(&n)))
			}
		}
		t.rows = append(t.rows, row)
	}
	return t
}

func num(f float64) string {
	if math.IsNaN(f) {
		return ""
	}
	return strconv.FormatFloat(f, 'g', 6, 64)
}

// writeScores writes a level's scores into Neo4j (analyze --write).
func (a *app) writeScores(ctx context.Context, l *analysis.Level, opts analysis.Options) error {
	if a.v.GetString("source") != "neo4j" {
		return fmt.Errorf("--write writes to Neo4j: use it with --source neo4j")
	}
	s, err := a.openNeo4j(ctx)
	if err != nil {
		return err
	}
	defer s.Close(ctx)
	label := graph.LabelOrganization
	if l.Level == "country" {
		label = graph.LabelCountry
	}
	rows := make(neo4jstore.ScoreRows, 0, len(l.Nodes))
	for _, n := range l.Nodes {
		sc := map[string]any{}
		for _, m := range l.Measures {
			switch v := m.Value(&n); {
			case m == analysis.Degree || m == analysis.Community:
				sc[string(m)] = int64(v)
			case !math.IsNaN(v):
				// Unknown (sampled) closeness is left as it was rather than written as NaN.
				sc[string(m)] = v
			}
		}
		rows = append(rows, map[string]any{"key": n.ID, "scores": sc})
	}
	params, _ := json.Marshal(opts)
	now := time.Now().UTC()
	run := map[string]any{"id": "run-" + now.Format("20060102T150405.000000000Z"), "level": l.Level, "time": now.Format(time.RFC3339),
		"version": version, "parameters": string(params), "nodes": int64(len(rows)),
		"measures": strings.Join(measureNames(l.Measures), ",")}
	if l.Has(analysis.Community) {
		run["modularity"] = l.Graph.Modularity
	}
	if err := s.WriteScores(ctx, label, rows, run); err != nil {
		return err
	}
	a.log.Info("scores written to Neo4j", "nodes", len(rows), "label", label, "run", run["id"])
	return nil
}

func measureNames(ms []analysis.Measure) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = string(m)
	}
	return out
}
