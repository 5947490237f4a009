package report

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/export"
	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/internal/atomicfile"
)

// ReportSchemaVersion is the version of report.json's shape, its
// schema_version: 2 has snake_case keys throughout (counts and the
// analysis options were Go field names) and the budget in seconds.
const ReportSchemaVersion = 2

// Report is everything the report files show, in the shape report.json has.
type Report struct {
	// SchemaVersion is ReportSchemaVersion (schemas/report.schema.json).
	SchemaVersion int           `json:"schema_version"`
	Generated     string        `json:"generated"`
	Version       string        `json:"version"`
	Lang          string        `json:"lang"`
	Inputs        []string      `json:"inputs"`
	Counts        graph.Counts  `json:"counts"`
	Coverage      []CoverageRow `json:"coverage"`
	// Evidence counts the facts by evidence grade (graph.GradeMix).
	Evidence EvidenceMix `json:"evidence"`
	// Agreements are the first MaxAgreementRows agreements (by ID), each
	// with its citations; AgreementsMore counts the rest.
	Agreements     []AgreementRow       `json:"agreements"`
	AgreementsMore int                  `json:"agreements_more"`
	Top            []TopList            `json:"top"`
	Countries      []analysis.NodeScore `json:"countries"`
	Timeline       Timeline             `json:"timeline"`
	Changes        *Changes             `json:"changes"`
	Analysis       *analysis.Analysis   `json:"analysis"`
	Method         []MethodNote         `json:"method"`
	Sources        []graph.Source       `json:"sources"`
	// LoadSummary is what the load of the inputs decided, one line each,
	// with file:line (loader.Report's warnings and summary); omitted when
	// the graph was not loaded from files here.
	LoadSummary []string `json:"load_summary,omitempty"`

	snapshot  *Snapshot
	countries map[string]*graph.Country
	ds        *graph.Dataset // for the interactive view's agreements and sources
}

// CoverageRow is a reported figure and the named agreements counted in it.
type CoverageRow struct {
	Figure string `json:"figure"`
	// Counts says what the figure counts, in the report's language: the
	// data's counts_zh in a Chinese report when there is one.
	Counts  string   `json:"counts"`
	AboutID string   `json:"about_id,omitempty"`
	About   string   `json:"about"`
	Value   float64  `json:"value"`
	Unit    string   `json:"unit"`
	Named   int      `json:"named"`
	Share   float64  `json:"share"`
	Agreed  []string `json:"named_agreements"`
	// Unconfirmed are linked to the figure by an inferred or reported link:
	// not counted in Named.
	Unconfirmed []string `json:"unconfirmed_agreements"`
	// CountsZH says what the figure counts in Chinese, when the data give it.
	CountsZH string `json:"counts_zh,omitempty"`
	// Countries are the countries the figure names, each with its named
	// agreements and the range of its share of the figure's ties.
	Countries []CoverageCountry `json:"countries"`
	Sources   []string          `json:"sources"`
}

// CoverageCountry is one country a reported figure names (graph.CountryCoverage).
type CoverageCountry struct {
	Country string   `json:"country"`
	Named   []string `json:"named_agreements"`
	MinTies int      `json:"min_ties"`
	MaxTies float64  `json:"max_ties"`
	Low     float64  `json:"low"`
	High    float64  `json:"high"`
}

// EvidenceMix counts facts by grade, per kind of fact: agreements,
// relations, counted_in links, reported figures and organisation
// identifications (graph.GradeMix), each keyed by grade.
type EvidenceMix struct {
	Agreements      map[graph.Grade]int `json:"agreements"`
	Relations       map[graph.Grade]int `json:"relations"`
	Links           map[graph.Grade]int `json:"figure_links"`
	Figures         map[graph.Grade]int `json:"figures"`
	Identifications map[graph.Grade]int `json:"identifications"`
}

// MaxAgreementRows is the most agreements the report lists.
const MaxAgreementRows = 300

// AgreementRow is an agreement as the report lists it: its parties, grade
// and citations (source, paragraphs, locators), so that each row leads to
// the place in the article that states it.
type AgreementRow struct {
	ID       string           `json:"id"`
	Type     string           `json:"type"`
	Date     string           `json:"date,omitempty"`
	Parties  []string         `json:"parties"` // display names
	Evidence graph.Grade      `json:"evidence"`
	Reason   string           `json:"reason,omitempty"`
	Sources  []graph.Citation `json:"sources"`
}

// TopList is the top organisations by one measure, with their competition
// ranks (ties share a rank) and how many more tie with the last one.
type TopList struct {
	Measure    string               `json:"measure"`
	Nodes      []analysis.NodeScore `json:"nodes"`
	Ranks      []int                `json:"ranks"`
	TiedBeyond int                  `json:"tied_beyond"`
}

// MethodNote names a parameter or formula used. Key is the same in every
// language; Name and Text are in the report's.
type MethodNote struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	Text string `json:"text"`
}

// BuildOptions are what a report needs besides the data and its analysis.
type BuildOptions struct {
	Inputs  []string
	Version string
	Now     time.Time
	Lang    string // en (default) or zh
	// History: whether a history of snapshots is kept (else the report
	// has no changes to show); the previous snapshot (nil on the first run)
	// and its file name, or the error that kept it from being read.
	History      bool
	Previous     *Snapshot
	PreviousFile string
	PreviousErr  error
}

// BuildWith assembles the report of a dataset and its analysis: the
// figures, the timeline, and what changed since the previous snapshot.
func BuildWith(ds *graph.Dataset, an *analysis.Analysis, o BuildOptions) *Report {
	lang := o.Lang
	if lang == "" {
		lang = "en"
	}
	r := &Report{SchemaVersion: ReportSchemaVersion, Generated: o.Now.UTC().Format(time.RFC3339), Version: o.Version, Lang: lang, Inputs: o.Inputs,
		Counts: ds.Counts(), Analysis: an, Countries: an.Country.Nodes, countries: ds.Countries}
	if r.Inputs == nil {
		r.Inputs = []string{}
	}
	for _, c := range ds.Coverage() {
		if !c.Figure.Coverage {
			continue
		}
		row := CoverageRow{Figure: c.Figure.ID, Counts: c.Figure.Counts, AboutID: c.Figure.About, About: aboutName(ds, c.Figure.About, lang),
			Value: c.Figure.Value, Unit: c.Figure.Unit, Named: len(c.Named), Share: c.Share, Agreed: c.Named,
			Unconfirmed: c.Unconfirmed, CountsZH: c.Figure.CountsZH, Countries: []CoverageCountry{}}
		if lang == "zh" && row.CountsZH != "" {
			row.Counts = row.CountsZH // in the report's language, as About is
		}
		if row.Agreed == nil {
			row.Agreed = []string{}
		}
		if row.Unconfirmed == nil {
			row.Unconfirmed = []string{}
		}
		for _, cc := range c.Countries {
			named := cc.Named
			if named == nil {
				named = []string{}
			}
			row.Countries = append(row.Countries, CoverageCountry{cc.Country, named, cc.MinTies, cc.MaxTies, cc.Low, cc.High})
		}
		for _, s := range c.Figure.Sources {
			row.Sources = append(row.Sources, s.String())
		}
		r.Coverage = append(r.Coverage, row)
	}
	for _, d := range rankedMeasures() {
		name, get := string(d.Name), getter(d.Name)
		if !an.Org.Has(d.Name) {
			continue // not computed (--measures)
		}
		top, ranks, more := an.Org.Ranked(TopK, get)
		r.Top = append(r.Top, TopList{name, top, ranks, more})
	}
	r.ds = ds
	m := ds.GradeMix()
	r.Evidence = EvidenceMix{m.Agreements, m.Relations, m.Links, m.Figures, m.Identifications}
	r.Agreements = []AgreementRow{}
	for i, a := range ds.SortedAgreements() {
		if i >= MaxAgreementRows {
			r.AgreementsMore = len(ds.Agreements) - MaxAgreementRows
			break
		}
		row := AgreementRow{ID: a.ID, Type: a.Type, Date: a.Date, Evidence: a.Grade(), Reason: a.Reason, Sources: a.Sources}
		if row.Sources == nil {
			row.Sources = []graph.Citation{}
		}
		for _, p := range a.Parties {
			name := p.Org
			if o := ds.Organizations[p.Org]; o != nil {
				name = partyName(o, lang)
			}
			row.Parties = append(row.Parties, name)
		}
		r.Agreements = append(r.Agreements, row)
	}
	r.Timeline = BuildTimeline(ds.SortedAgreements())
	for _, s := range ds.SortedSources() {
		c := *s
		c.Title = graph.SourceTitle(lang, s) // a table input's title in the report's language
		r.Sources = append(r.Sources, c)
	}
	r.Method = methodNotes(an, lang)
	r.snapshot = NewSnapshot(ds, an, o.Inputs, o.Version, o.Now)
	switch {
	case !o.History:
	case o.PreviousErr != nil:
		r.Changes = FirstChanges()
		r.Changes.First = false
		r.Changes.PreviousError = o.PreviousErr.Error()
	default:
		r.Changes = Diff(o.Previous, r.snapshot)
		r.Changes.PreviousFile = o.PreviousFile
	}
	return r
}

// partyName is an organisation's name in the report's language: the
// English name in an English report when there is one, else the name, else
// the ID.
func partyName(o *graph.Organization, lang string) string {
	// graph's one display-name rule, as the exports and the interactive
	// view name organisations ("PIC 999640007" for one without a name).
	return graph.DisplayName(lang, o.Name, o.NameEN, "", graph.IDKind(graph.LabelOrganization, o.ID), o.ID)
}

// Snapshot is the snapshot of the report's data, for the history.
func (r *Report) Snapshot() *Snapshot { return r.snapshot }

func aboutName(ds *graph.Dataset, id, lang string) string {
	if e := ds.Events[id]; e != nil {
		if lang == "en" && e.NameEN != "" {
			return e.NameEN
		}
		return e.Name
	}
	if p := ds.Programmes[id]; p != nil {
		if lang == "en" && p.NameEN != "" {
			return p.NameEN
		}
		return p.Name
	}
	return id
}

//go:embed report.html.tmpl
var htmlTmpl string

//go:embed report.md.tmpl
var mdTmpl string

// Files are the files Write produces in the output directory, in the order
// it writes them. Write also writes the charts report.md shows, as SVG files
// under ChartsDir.
var Files = []string{"report.json", "report.md", "report.html", "graph.graphml"}

// ChartsDir is the folder, beside report.md, of its charts.
const ChartsDir = "charts"

// WriteFiles writes report.json, report.md, report.html, graph.graphml (the
// full property graph) and the charts into dir, and returns the paths of
// the files written: Files, then the charts. Each file is written under a
// temporary name and renamed, so a reader never sees half a file.
func WriteFiles(ctx context.Context, dir string, r *Report, g graph.PropGraph) ([]string, error) {
	if r.Lang == "" {
		r.Lang = "en"
	}
	if !ValidLang(r.Lang) {
		return nil, fmt.Errorf("report language %q: want en or zh", r.Lang)
	}
	pg, err := newPage(r)
	if err != nil {
		return nil, err
	}
	fm := funcMap(r)
	ht, err := htmltemplate.New("html").Funcs(fm).Parse(htmlTmpl)
	if err != nil {
		return nil, fmt.Errorf("report template: %w", err)
	}
	mt, err := texttemplate.New("md").Funcs(fm).Parse(mdTmpl)
	if err != nil {
		return nil, fmt.Errorf("report template: %w", err)
	}
	charts := filepath.Join(dir, ChartsDir)
	if err := os.MkdirAll(charts, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", charts, err)
	}
	var chartPaths []string
	keep := map[string]bool{}
	svgs := pg.svgFiles()
	for _, name := range slices.Sorted(maps.Keys(svgs)) {
		svg := svgs[name]
		p := filepath.Join(charts, name)
		if err := atomicfile.Write(p, func(w io.Writer) error { _, err := w.Write(svg); return err }); err != nil {
			return nil, err
		}
		chartPaths = append(chartPaths, p)
		keep[name] = true
	}
	writers := map[string]func(io.Writer) error{
		"report.json": func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			return enc.Encode(r)
		},
		"report.md":   func(w io.Writer) error { return mt.Execute(w, pg) },
		"report.html": func(w io.Writer) error { return ht.Execute(w, pg) },
		"graph.graphml": func(w io.Writer) error {
			return export.WriteGraphML(ctx, w, g, export.GraphMLOptions{})
		},
	}
	var paths []string
	for _, name := range Files {
		p := filepath.Join(dir, name)
		if err := atomicfile.Write(p, writers[name]); err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	// Charts of earlier runs that this one has not drawn.
	if es, err := os.ReadDir(charts); err == nil {
		for _, e := range es {
			if strings.HasSuffix(e.Name(), ".svg") && !keep[e.Name()] {
				if err := os.Remove(filepath.Join(charts, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return nil, err
				}
			}
		}
	}
	return append(paths, chartPaths...), nil
}
