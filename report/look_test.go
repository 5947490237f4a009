package report

import (
	stdhtml "html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/collabnet/collabnet/graph"
)

// picDataset is two H2020-style organisations known only by their PIC,
// party to one project read from a participations table h.csv.
func picDataset() *graph.Dataset {
	ds := graph.NewDataset()
	for _, id := range []string{"999640007", "999640008"} {
		ds.Organizations[id] = &graph.Organization{ID: id, Kind: graph.KindCompany, Country: "DE"}
	}
	ds.Countries["DE"] = &graph.Country{Code: "DE", NameEN: "Germany", NameZH: "德国"}
	ds.Sources["file:h.csv"] = &graph.Source{ID: "file:h.csv", File: "h.csv", Title: "participations table h.csv"}
	ds.Agreements["project:1"] = &graph.Agreement{ID: "project:1", Type: "project", Date: "2019-05-01",
		Parties: []graph.Party{{Org: "999640007"}, {Org: "999640008"}}, Sources: []graph.Citation{{Source: "file:h.csv"}}}
	return ds
}

func renderHTML(t *testing.T, ds *graph.Dataset, lang string) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := newJob(dir, lang, func() *graph.Dataset { return ds }, clock(time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC))).Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// An organisation known by its PIC is shown as "PIC 999640007" in the
// interactive view; typing what it shows finds it (the page's search
// lower-cases the query and looks it up in each node's search text).
func TestInteractiveSearchFindsShownName(t *testing.T) {
	for _, lang := range Langs {
		html := renderHTML(t, picDataset(), lang)
		m := regexp.MustCompile(`"name":"PIC 999640007"[^}]*"search":"([^"]*)"`).FindStringSubmatch(html)
		if m == nil {
			t.Fatalf("%s: no node named PIC 999640007 in the interactive view", lang)
		}
		if !strings.Contains(m[1], "pic 999640007") {
			t.Errorf("%s: searching %q finds nothing: the node's search text is %q", lang, "PIC 999640007", m[1])
		}
	}
}

// The source that stands for a table input is titled in the report's
// language: the Chinese report has no English "participations table".
func TestTableSourceTitleTranslated(t *testing.T) {
	want := map[string]string{"en": "participations table h.csv", "zh": "项目参与表 h.csv"}
	for _, lang := range Langs {
		html := renderHTML(t, picDataset(), lang)
		src := html[strings.Index(html, `<section id="sources">`):]
		src = src[:strings.Index(src, "</section>")]
		if !strings.Contains(src, want[lang]) {
			t.Errorf("%s: the sources section does not title h.csv %q", lang, want[lang])
		}
		if lang == "zh" && strings.Contains(html, "participations table") {
			t.Errorf("zh: the report says %q", "participations table")
		}
	}
}

// The method notes name the palette the drawings use: Kelly's colours of
// maximum contrast, 20 of them (Kelly 1965), not Tableau 10.
func TestMethodNamesDrawingPalette(t *testing.T) {
	for _, lang := range Langs {
		html := renderHTML(t, picDataset(), lang)
		m := html[strings.Index(html, `<section id="method">`):]
		m = stdhtml.UnescapeString(m[:strings.Index(m, "</section>")])
		if strings.Contains(m, "Tableau") {
			t.Errorf("%s: the method notes say the drawings use Tableau 10", lang)
		}
		if want := map[string]string{"en": "Kelly's 20 colours", "zh": "Kelly 的 20 种"}[lang]; !strings.Contains(m, want) {
			t.Errorf("%s: the method notes do not say %q", lang, want)
		}
	}
}

// The English report of the curated data has no Chinese in its headline
// figures: the reported figures' events and programmes (牵手计划 among
// them) are named in English.
func TestHeadlineEnglishInEnglishReport(t *testing.T) {
	html := renderHTML(t, shipped(t), "en")
	h := html[strings.Index(html, `<section id="headline">`):]
	h = h[:strings.Index(h, "</section>")]
	for _, r := range h {
		if unicode.Is(unicode.Han, r) {
			i := strings.IndexRune(h, r)
			t.Fatalf("the English headline has Chinese: %q", h[max(0, i-80):min(len(h), i+40)])
		}
	}
}

// The interactive panel captions an undated agreement by its type and
// "undated", not by its ID (which follows it, with its title).
func TestPanelCaptionsUndated(t *testing.T) {
	ds := picDataset()
	ds.Agreements["meeting-x"] = &graph.Agreement{ID: "meeting-x", Type: "other", Title: "联席会",
		Parties: []graph.Party{{Org: "999640007"}, {Org: "999640008"}}, Sources: []graph.Citation{{Source: "file:h.csv"}}}
	want := map[string]string{"en": `"caption":"agreement · undated","title":"联席会","id":"meeting-x"`, "zh": `"caption":"协议 · 日期不详","title":"联席会","id":"meeting-x"`}
	for _, lang := range Langs {
		html := renderHTML(t, ds, lang)
		if !strings.Contains(html, want[lang]) {
			i := strings.Index(html, `"id":"meeting-x"`)
			t.Errorf("%s: the panel's agreement is not %s: %s", lang, want[lang], html[max(0, i-80):i+20])
		}
	}
}
