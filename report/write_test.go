package report

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/data"
	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/loader"
)

// shipped loads the curated dataset.
func shipped(t testing.TB) *graph.Dataset {
	t.Helper()
	l, err := loader.New(loader.Options{FoldAccents: true})
	if err != nil {
		t.Fatal(err)
	}
	ins, err := loader.FSInputs(data.FS, "data/")
	if err != nil {
		t.Fatal(err)
	}
	ds, _, err := l.Load(context.Background(), ins)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

var testOptions = analysis.Options{Resolution: 1, Seed: 1}

// clock is a fake clock: each call returns the next time.
func clock(ts ...time.Time) func() time.Time {
	return func() time.Time {
		t := ts[0]
		if len(ts) > 1 {
			ts = ts[1:]
		}
		return t
	}
}

func newJob(dir, lang string, read func() *graph.Dataset, now func() time.Time) *Job {
	return &Job{Dir: dir, Lang: lang, Version: "test", Clock: now,
		Read: func(context.Context) (*graph.Dataset, error) { return read(), nil },
		Analyze: func(ctx context.Context, ds *graph.Dataset) (*analysis.Analysis, error) {
			return analysis.Analyze(ctx, ds, testOptions)
		}}
}

// sections are the ids of the sections every report.html has.
var sections = []string{"headline", "changes", "coverage", "evidence", "agreements", "countries", "matrix", "orgnet", "top", "timeline", "method", "sources"}

// The report in both languages: every section, every chart the Markdown
// refers to exists, nothing is fetched from the network, and the labels are
// in the language asked for.
func TestWriteBothLanguages(t *testing.T) {
	ds := shipped(t)
	for _, lang := range Langs {
		t.Run(lang, func(t *testing.T) {
			dir := t.TempDir()
			start := time.Now()
			res, err := newJob(dir, lang, func() *graph.Dataset { return ds }, clock(time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC))).Run(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if took := time.Since(start); took > 5*time.Second { // generous: it takes ~50 ms
				t.Errorf("the job took %v on the shipped data", took)
			}
			html := read(t, filepath.Join(dir, "report.html"))
			for _, id := range sections {
				if !strings.Contains(html, `id="`+id+`"`) {
					t.Errorf("report.html has no section %q", id)
				}
			}
			// Self-contained: no src or href leaves the page, no @import, no
			// CSS url() (outside the inlined scripts, whose code names
			// canvas.toDataURL), no script from a file, and a policy that
			// lets the scripts fetch nothing.
			markup := regexp.MustCompile(`(?s)<script>.*?</script>`).ReplaceAllString(html, "")
			if m := regexp.MustCompile(`(?i)(src|href)\s*=\s*"(?:https?:)?//|@import|url\(|<script[^>]*src`).FindString(markup); m != "" {
				t.Errorf("report.html refers outside itself: %q", m)
			}
			if !strings.Contains(html, `content="default-src 'none';`) {
				t.Error("report.html has no Content-Security-Policy default-src 'none'")
			}
			if n := strings.Count(html, "<svg"); n < 6 {
				t.Errorf("report.html has %d inline SVGs", n)
			}
			if strings.Contains(html, "<?xml") {
				t.Error("an XML declaration inside report.html")
			}
			md := read(t, filepath.Join(dir, "report.md"))
			refs := regexp.MustCompile(`\]\((charts/[^)]+\.svg)\)`).FindAllStringSubmatch(md, -1)
			if len(refs) < 6 {
				t.Errorf("report.md shows %d charts", len(refs))
			}
			for _, r := range refs {
				svg := read(t, filepath.Join(dir, r[1]))
				if !strings.HasPrefix(svg, "<?xml") || !strings.Contains(svg, "<svg") {
					t.Errorf("%s is not an SVG document", r[1])
				}
			}
			en, zh := "Coverage of the reported figures", "报道数字的覆盖情况"
			want, not := en, zh
			if lang == "zh" {
				want, not = zh, en
			}
			for _, doc := range []string{html, md} {
				if !strings.Contains(doc, want) || strings.Contains(doc, not) {
					t.Errorf("%s: want %q, not %q", lang, want, not)
				}
			}
			if lang == "zh" && !strings.Contains(html, `lang="zh-Hans"`) {
				t.Error("zh report without lang=zh-Hans")
			}
			// The shipped data: a country network of China and six partners,
			// six pairs of organisations, agreements in 2025-03 and 2025-09.
			for _, name := range []string{"country-network.svg", "org-network.svg", "tie-matrix.svg", "timeline-months.svg", "coverage.svg"} {
				if _, err := os.Stat(filepath.Join(dir, ChartsDir, name)); err != nil {
					t.Errorf("chart %s: %v", name, err)
				}
			}
			var rep struct {
				Lang     string
				Timeline Timeline
				Changes  *Changes
				Coverage []struct {
					Value float64
					Named int
				}
				Method []MethodNote
			}
			if err := json.Unmarshal([]byte(read(t, filepath.Join(dir, "report.json"))), &rep); err != nil {
				t.Fatal(err)
			}
			if rep.Lang != lang || rep.Changes == nil || !rep.Changes.First || rep.Changes.Snapshot != "2026-11-21T070000Z.json" {
				t.Errorf("report.json: lang %q, changes %+v", rep.Lang, rep.Changes)
			}
			if got := rep.Timeline.Months; len(got) != 7 || got[0] != (PeriodCount{"2025-03", 5}) || got[6] != (PeriodCount{"2025-09", 1}) {
				t.Errorf("months: %+v", got)
			}
			keys := map[string]bool{}
			for _, m := range rep.Method {
				keys[m.Key] = true
			}
			for _, k := range []string{"communities", "drawings", "tie matrix", "timeline", "changes", "ranks", "coverage"} {
				if !keys[k] {
					t.Errorf("no method note on %s", k)
				}
			}
			if res.Snapshot != filepath.Join(dir, SnapshotsDir, "2026-11-21T070000Z.json") {
				t.Errorf("snapshot at %s", res.Snapshot)
			}
		})
	}
}

// deref is *p, 0 for nil (not ranked).
func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

func read(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Two runs: the second says what changed since the first, and the history
// keeps both snapshots with latest naming the second.
func TestJobComparesWithThePreviousRun(t *testing.T) {
	dir := t.TempDir()
	t1 := time.Date(2026, 11, 14, 7, 0, 0, 0, time.UTC)
	t2 := t1.Add(7 * 24 * time.Hour)
	runs := 0
	readDS := func() *graph.Dataset {
		runs++
		ds := shipped(t)
		if runs == 2 {
			// A week later: one agreement is gone, a new organisation signed one.
			delete(ds.Agreements, "qianshou-zgc-life-science-park-apexbrasil")
			ds.Organizations["test-park"] = &graph.Organization{ID: "test-park", Name: "测试园", NameEN: "Test Park", Kind: graph.KindSciencePark, Country: "FR"}
			ds.Agreements["test-agreement"] = &graph.Agreement{ID: "test-agreement", Type: "mou", Date: "2026-11",
				Parties: []graph.Party{{Org: "test-park"}, {Org: "zgc-international-incubator"}}}
		}
		return ds
	}
	job := newJob(dir, "en", readDS, clock(t1, t2))
	if _, err := job.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	res, err := job.Run(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	c := res.Changes
	if c.First || c.Previous == nil || !c.Previous.Equal(t1) || c.PreviousFile != "2026-11-14T070000Z.json" {
		t.Fatalf("changes: %+v", c)
	}
	if len(c.NewAgreements) != 1 || c.NewAgreements[0].ID != "test-agreement" ||
		len(c.RemovedAgreements) != 1 || c.RemovedAgreements[0].ID != "qianshou-zgc-life-science-park-apexbrasil" ||
		len(c.NewOrganizations) != 1 || c.NewOrganizations[0].ID != "test-park" || len(c.RemovedOrganizations) != 0 {
		t.Errorf("changes: new %v removed %v new orgs %v", c.NewAgreements, c.RemovedAgreements, c.NewOrganizations)
	}
	// Degree ranks (1 + how many have more): the industrial internet park
	// has 3 partners, its two platform partners 2, the rest 1 (4th). The
	// incubator gains a partner and moves up to 2nd; those it was tied with
	// drop to 5th behind it.
	moved := map[string]string{}
	for _, r := range c.Ranks {
		if r.Measure == "degree" {
			moved[r.ID] = fmt.Sprint(deref(r.Before), "→", deref(r.After))
		}
	}
	for id, want := range map[string]string{"cambridge-tus-park": "4→5", "test-park": "0→5", "apexbrasil": "4→0",
		"zgc-international-incubator": "4→2", "zgc-industrial-internet-park": ""} {
		if moved[id] != want {
			t.Errorf("degree rank of %s: %q, want %q", id, moved[id], want)
		}
	}
	html := read(t, filepath.Join(dir, "report.html"))
	for _, s := range []string{"New agreements", "Removed agreements", "Test Park", "2026-11-14 07:00 UTC"} {
		if !strings.Contains(html, s) {
			t.Errorf("report.html does not show %q", s)
		}
	}
	names, _ := History{filepath.Join(dir, SnapshotsDir)}.List()
	if len(names) != 2 || read(t, filepath.Join(dir, SnapshotsDir, LatestFile)) != "2026-11-21T070000Z.json\n" {
		t.Errorf("snapshots %v", names)
	}
}

// A failing read leaves no snapshot, so the next run compares with the last
// report written.
func TestJobFailureKeepsHistory(t *testing.T) {
	dir := t.TempDir()
	job := newJob(dir, "en", func() *graph.Dataset { return shipped(t) }, clock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	job.Read = func(context.Context) (*graph.Dataset, error) { return nil, os.ErrNotExist }
	if _, err := job.Run(t.Context()); err == nil {
		t.Fatal("no error")
	}
	if _, err := os.Stat(filepath.Join(dir, SnapshotsDir)); !os.IsNotExist(err) {
		t.Errorf("a failed run left snapshots: %v", err)
	}
	job.Lang = "fr"
	if _, err := job.Run(t.Context()); err == nil || !strings.Contains(err.Error(), "fr") {
		t.Errorf("language fr: %v", err)
	}
}

// A larger synthetic network: the organisation network is not drawn (too
// many organisations) and the report says where to look instead; the tie
// matrix keeps the 30 strongest countries.
func TestWriteLargeNetwork(t *testing.T) {
	ds := graph.NewDataset()
	codes := []string{"AR", "AT", "AU", "BE", "BR", "CA", "CH", "CL", "CN", "CZ", "DE", "DK", "EG", "ES", "FI", "FR", "GB", "GR", "HU", "ID",
		"IE", "IL", "IN", "IT", "JP", "KE", "KR", "MX", "NL", "NO", "NZ", "PL", "PT", "RU", "SA", "SE", "SG", "TR", "US", "ZA"}
	for _, c := range codes {
		ds.Countries[c] = &graph.Country{Code: c, NameEN: c + "-land"}
	}
	n := 200
	for i := range n {
		id := "o" + string(rune('A'+i/26)) + string(rune('a'+i%26))
		ds.Organizations[id] = &graph.Organization{ID: id, Name: id, Kind: graph.KindCompany, Country: codes[(i*7)%len(codes)]}
	}
	orgs := ds.SortedOrganizations()
	for i := range n {
		for _, j := range []int{(i + 1) % n, (i * 13) % n} {
			if j == i {
				continue
			}
			id := orgs[i].ID + "-" + orgs[j].ID
			ds.Agreements[id] = &graph.Agreement{ID: id, Type: "mou", Date: "2020-0" + string(rune('1'+i%9)),
				Parties: []graph.Party{{Org: orgs[i].ID}, {Org: orgs[j].ID}}}
		}
	}
	dir := t.TempDir()
	if _, err := newJob(dir, "zh", func() *graph.Dataset { return ds }, clock(time.Now())).Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	html := read(t, filepath.Join(dir, "report.html"))
	if !strings.Contains(html, "collabnet export --level org") {
		t.Error("the large organisation network: no pointer to the export")
	}
	if _, err := os.Stat(filepath.Join(dir, ChartsDir, "org-network.svg")); !os.IsNotExist(err) {
		t.Errorf("org-network.svg drawn for %d organisations", n)
	}
	if !strings.Contains(html, "显示联系权重最大的 30 个国家（共 40 个）") {
		t.Error("the tie matrix does not say it shows 30 of 40 countries")
	}
}

// Every agreement row of report.html links to its source in the source
// list, with the paragraphs and the locators; the evidence section shows
// the grade mix; the 42 pairs list their seven countries with no named
// agreement each (s001#31, read by hand).
func TestAgreementRowsLeadToTheirSources(t *testing.T) {
	ds := shipped(t)
	dir := t.TempDir()
	if _, err := newJob(dir, "en", func() *graph.Dataset { return ds }, clock(time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC))).Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	html := read(t, filepath.Join(dir, "report.html"))
	for _, a := range ds.SortedAgreements() {
		i := strings.Index(html, `<tr id="ag-`+a.ID+`">`)
		if i < 0 {
			t.Errorf("no row for agreement %s", a.ID)
			continue
		}
		row := html[i : i+strings.Index(html[i:], "</tr>")]
		for _, c := range a.Sources {
			if j := strings.Index(html, `<tr id="src-`+c.Source+`">`); j < 0 {
				t.Errorf("source %s is not in the source list", c.Source)
			} else if src := html[j : j+strings.Index(html[j:], "</tr>")]; ds.Sources[c.Source].URL == "" && !strings.Contains(src, "no URL recorded") {
				// The shipped sources have no URL: the list says so
				// rather than leave the cell blank.
				t.Errorf("source %s has no URL, and its row does not say so: %s", c.Source, src)
			}
			if !strings.Contains(row, `<a href="#src-`+c.Source+`">`+c.Source+" ¶") {
				t.Errorf("agreement %s: no link to %s with its paragraphs in %s", a.ID, c.Source, row)
			}
			if len(c.Locators) == 0 {
				t.Errorf("agreement %s cites %s without a locator", a.ID, c)
			}
			for _, l := range c.Locators {
				if !strings.Contains(row, `<q class="loc">`+l+`</q>`) {
					t.Errorf("agreement %s: locator %q not shown", a.ID, l)
				}
			}
		}
	}
	if !strings.Contains(html, `id="evidence"`) || !strings.Contains(html, "<th class=\"n\">inferred</th>") {
		t.Error("no evidence section with the grades")
	}
	var rep struct {
		Evidence struct {
			Agreements map[string]int `json:"agreements"`
			Links      map[string]int `json:"figure_links"`
		} `json:"evidence"`
		Coverage []struct {
			Figure      string   `json:"figure"`
			Unconfirmed []string `json:"unconfirmed_agreements"`
			Countries   []struct {
				Country string   `json:"country"`
				Named   []string `json:"named_agreements"`
				Low     float64  `json:"low"`
				High    float64  `json:"high"`
			} `json:"countries"`
		} `json:"coverage"`
	}
	if err := json.Unmarshal([]byte(read(t, filepath.Join(dir, "report.json"))), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Evidence.Agreements["stated"] != len(ds.Agreements) || rep.Evidence.Links["inferred"] != 1 {
		t.Errorf("grade mix %+v", rep.Evidence)
	}
	for _, c := range rep.Coverage {
		if c.Figure != "iasp-2025-sino-foreign-pairs" {
			continue
		}
		var codes []string
		for _, cc := range c.Countries {
			codes = append(codes, cc.Country)
			if len(cc.Named) != 0 || math.Abs(cc.Low-1.0/42) > 1e-12 || cc.High != 1 {
				t.Errorf("%s: %+v, want none named and 1/42..1", cc.Country, cc)
			}
		}
		if strings.Join(codes, " ") != "CU DE HU IT KR SA SG" || len(c.Unconfirmed) != 1 {
			t.Errorf("42 pairs: countries %v, unconfirmed %v", codes, c.Unconfirmed)
		}
		return
	}
	t.Error("no coverage row for the 42 pairs")
}
