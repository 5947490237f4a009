package report

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	htmltemplate "html/template"
	"io"
	"os"
	"path/filepath"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/collabnet/collabnet/export"
	"github.com/collabnet/collabnet/graph"
)

// Report is everything the report files show, in the shape report.json has.
type Report struct {
	Generated string         `json:"generated"`
	Version   string         `json:"version"`
	Inputs    []string       `json:"inputs"`
	Counts    graph.Counts   `json:"counts"`
	Coverage  []CoverageRow  `json:"coverage"`
	Top       []TopList      `json:"top"`
	Countries []NodeScore    `json:"countries"`
	Analysis  *Analysis      `json:"analysis"`
	Method    []MethodNote   `json:"method"`
	Sources   []graph.Source `json:"sources"`
}

// CoverageRow is a reported figure and the named agreements counted in it.
type CoverageRow struct {
	Figure  string   `json:"figure"`
	Counts  string   `json:"counts"`
	About   string   `json:"about"`
	Value   float64  `json:"value"`
	Unit    string   `json:"unit"`
	Named   int      `json:"named"`
	Share   float64  `json:"share"`
	Agreed  []string `json:"named_agreements"`
	Sources []string `json:"sources"`
}

// TopList is the top organisations by one measure.
type TopList struct {
	Measure string      `json:"measure"`
	Nodes   []NodeScore `json:"nodes"`
}

// MethodNote names a parameter or formula used.
type MethodNote struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

// measures are the per-node measures the report ranks by, in order.
var measures = []struct {
	name string
	get  func(*NodeScore) float64
}{
	{"degree", func(n *NodeScore) float64 { return float64(n.Degree) }},
	{"strength", func(n *NodeScore) float64 { return n.Strength }},
	{"betweenness", func(n *NodeScore) float64 { return n.Betweenness }},
	{"closeness", func(n *NodeScore) float64 { return float64(n.Closeness) }},
	{"harmonic", func(n *NodeScore) float64 { return float64(n.Harmonic) }},
	{"pagerank", func(n *NodeScore) float64 { return n.PageRank }},
	{"eigenvector", func(n *NodeScore) float64 { return n.Eigenvector }},
}

// Build assembles the report of a dataset and its analysis.
func Build(ds *graph.Dataset, an *Analysis, inputs []string, version string, now time.Time) *Report {
	r := &Report{Generated: now.UTC().Format(time.RFC3339), Version: version, Inputs: inputs,
		Counts: ds.Counts(), Analysis: an, Countries: an.Country.Nodes}
	for _, c := range ds.Coverage() {
		if !c.Figure.Coverage {
			continue
		}
		row := CoverageRow{Figure: c.Figure.ID, Counts: c.Figure.Counts, About: aboutName(ds, c.Figure.About),
			Value: c.Figure.Value, Unit: c.Figure.Unit, Named: len(c.Named), Share: c.Share, Agreed: c.Named}
		for _, s := range c.Figure.Sources {
			row.Sources = append(row.Sources, citeText(s))
		}
		r.Coverage = append(r.Coverage, row)
	}
	for _, m := range measures {
		r.Top = append(r.Top, TopList{m.name, an.Org.Top(10, m.get)})
	}
	for _, s := range ds.SortedSources() {
		r.Sources = append(r.Sources, *s)
	}
	r.Method = methodNotes(an.Options)
	return r
}

func aboutName(ds *graph.Dataset, id string) string {
	if e := ds.Events[id]; e != nil {
		return e.Name
	}
	if p := ds.Programmes[id]; p != nil {
		return p.Name
	}
	return id
}

func citeText(c graph.Citation) string {
	var ps []string
	for _, p := range c.Paragraphs {
		ps = append(ps, fmt.Sprint(p))
	}
	if len(ps) == 0 {
		return c.Source
	}
	return c.Source + "#" + strings.Join(ps, ",")
}

func methodNotes(o Options) []MethodNote {
	counting := "full counting: a tie's weight is the number of agreements (projects) the two organisations share"
	if o.Fractional {
		counting = "fractional counting: an agreement of k parties gives each pair 1/(k-1), so each party receives 1 per agreement"
	}
	paths := "hops (every tie has length 1)"
	if o.WeightedPaths {
		paths = "weighted: a tie of strength w has length 1/w (Dijkstra)"
	}
	filter := "all countries"
	if len(o.Countries) > 0 {
		filter = "ties between organisations of " + strings.Join(o.Countries, ", ")
	}
	sample := "exact (every node is a source)"
	if o.Sample > 0 {
		sample = fmt.Sprintf("estimated from %d sources drawn with seed %d (closeness and harmonic known for the sources only)", o.Sample, o.Seed)
	}
	return []MethodNote{
		{"organisation network", "organisations are nodes; two organisations are tied when they are parties to the same agreement; " + counting},
		{"country network", "the organisation network aggregated by country: the weight between two countries is the sum of the weights of the organisation ties between them; domestic ties are counted per country, not as self-loops; organisations without a country are left out"},
		{"filter", filter},
		{"degree", "number of ties; strength: sum of tie weights"},
		{"betweenness", "Brandes; fraction of shortest paths through the node, normalised by (n-1)(n-2)/2 unordered pairs (NetworkX default); " + sample},
		{"closeness", "Wasserman–Faust: (r/(n-1)) · (r / Σd), r = nodes reachable (NetworkX wf_improved)"},
		{"harmonic", "Σ 1/d(v,u) over the other nodes (NetworkX, not normalised)"},
		{"pagerank", "damping 0.85, transition probabilities proportional to tie weight, dangling nodes spread uniformly"},
		{"eigenvector", "power iteration on A+I with tie weights from a vector of ones, Euclidean norm 1 (NetworkX)"},
		{"clustering", "weighted clustering coefficient (Onnela), weights normalised by the largest weight"},
		{"communities", fmt.Sprintf("Louvain modularity (Gonum community.Modularize), resolution %g, seed %d; Q is the modularity of the partition", o.Resolution, o.Seed)},
		{"path length", paths},
		{"coverage", "named agreements counted in a reported figure, against the figure: of the pairs the sources report, how many the dataset names with both parties"},
	}
}

//go:embed report.html.tmpl
var htmlTmpl string

//go:embed report.md.tmpl
var mdTmpl string

var funcs = map[string]any{
	"pct": func(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) },
	"num": func(f any) string {
		switch v := f.(type) {
		case float64:
			return fmt.Sprintf("%.4g", v)
		case Score:
			return fmt.Sprintf("%.4g", float64(v))
		case *float64:
			if v == nil {
				return ""
			}
			return fmt.Sprintf("%.4g", *v)
		case *int:
			if v == nil {
				return ""
			}
			return fmt.Sprint(*v)
		}
		return fmt.Sprint(f)
	},
	"join": strings.Join,
	"mulf": func(a, b float64) float64 { return a * b },
}

// Files are the names Write produces, in the order it writes them.
var Files = []string{"report.json", "report.md", "report.html", "graph.graphml"}

// Write writes report.json, report.md, report.html and graph.graphml (the
// full property graph) into dir. Each file is written under a temporary
// name and renamed, so a reader never sees half a file.
func Write(ctx context.Context, dir string, r *Report, g graph.PropGraph) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	ht, err := htmltemplate.New("html").Funcs(funcs).Parse(htmlTmpl)
	if err != nil {
		return fmt.Errorf("report template: %w", err)
	}
	mt, err := texttemplate.New("md").Funcs(funcs).Parse(mdTmpl)
	if err != nil {
		return fmt.Errorf("report template: %w", err)
	}
	writers := map[string]func(io.Writer) error{
		"report.json": func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			return enc.Encode(r)
		},
		"report.md":   func(w io.Writer) error { return mt.Execute(w, r) },
		"report.html": func(w io.Writer) error { return ht.Execute(w, r) },
		"graph.graphml": func(w io.Writer) error {
			return export.WriteGraphML(ctx, w, g, export.GraphMLOptions{})
		},
	}
	for _, name := range Files {
		if err := writeAtomic(filepath.Join(dir, name), writers[name]); err != nil {
			return err
		}
	}
	return nil
}

func writeAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
