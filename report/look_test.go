package report

import (
	"context"
	"fmt"
	stdhtml "html"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/collabnet/collabnet/analysis"
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

// Arcs that cross the Arctic (United States – India) or run far south
// (Chile – New Zealand) are drawn whole: every point of every arc of the
// world map lies within the map's drawing.
func TestMapArcsInsideMap(t *testing.T) {
	ds := graph.NewDataset()
	for id, c := range map[string]string{"a": "US", "b": "IN", "c": "CL", "d": "NZ"} {
		ds.Organizations[id] = &graph.Organization{ID: id, Name: "Org " + id, Kind: graph.KindCompany, Country: c}
		ds.Countries[c] = &graph.Country{Code: c, NameEN: c, NameZH: c}
	}
	ds.Agreements["ab"] = &graph.Agreement{ID: "ab", Type: "mou", Parties: []graph.Party{{Org: "a"}, {Org: "b"}}}
	ds.Agreements["cd"] = &graph.Agreement{ID: "cd", Type: "mou", Parties: []graph.Party{{Org: "c"}, {Org: "d"}}}
	dir := t.TempDir()
	if _, err := newJob(dir, "en", func() *graph.Dataset { return ds }, clock(time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC))).Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "charts", "world-map.svg"))
	if err != nil {
		t.Fatal(err)
	}
	svg := string(b)
	hm := regexp.MustCompile(`<svg [^>]*width="([0-9.]+)" height="([0-9.]+)"`).FindStringSubmatch(svg)
	if hm == nil {
		t.Fatal("no size on the map's svg element")
	}
	w, _ := strconv.ParseFloat(hm[1], 64)
	h, _ := strconv.ParseFloat(hm[2], 64)
	arcs := regexp.MustCompile(`<path d="([^"]*)" stroke-width="[0-9.]+"><title>([^<]*)</title>`).FindAllStringSubmatch(svg, -1)
	if len(arcs) != 2 {
		t.Fatalf("%d arcs drawn, want 2 (US – IN, CL – NZ)", len(arcs))
	}
	num := regexp.MustCompile(`[ML]([-0-9.]+) ([-0-9.]+)`)
	for _, a := range arcs {
		for _, m := range num.FindAllStringSubmatch(a[1], -1) {
			x, _ := strconv.ParseFloat(m[1], 64)
			y, _ := strconv.ParseFloat(m[2], 64)
			if x < 0 || x > w || y < 0 || y > h {
				t.Errorf("arc %s: point (%g, %g) outside the %g×%g map", a[2], x, y, w, h)
				break
			}
		}
	}
}

// cieLab is an sRGB colour "#rrggbb" in CIE L*a*b* (D65), by the CIE
// formulas (sRGB IEC 61966-2-1 to XYZ, then L*a*b*).
func cieLab(hex string) [3]float64 {
	var rgb [3]float64
	for i := range rgb {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		c := float64(v) / 255
		if c <= 0.04045 {
			rgb[i] = c / 12.92
		} else {
			rgb[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	x := (0.4124*rgb[0] + 0.3576*rgb[1] + 0.1805*rgb[2]) / 0.95047
	y := 0.2126*rgb[0] + 0.7152*rgb[1] + 0.0722*rgb[2]
	z := (0.0193*rgb[0] + 0.1192*rgb[1] + 0.9505*rgb[2]) / 1.08883
	f := func(t float64) float64 {
		if t > 216.0/24389 {
			return math.Cbrt(t)
		}
		return (24389.0/27*t + 16) / 116
	}
	return [3]float64{116*f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))}
}

// The map's legend: every class of strength is well apart (CIE76 ΔE ≥ 25)
// from the colours of countries without ties abroad and of land not in the
// data, so that the weakest class is not read as "no ties".
func TestMapClassesApartFromNoTies(t *testing.T) {
	ds := graph.NewDataset()
	// Eight countries tied to DE with 1..8 agreements: more than 6 distinct
	// strengths, so the map has all its classes.
	codes := []string{"FR", "IT", "ES", "PL", "NL", "SE", "AT", "PT"}
	ds.Organizations["de"] = &graph.Organization{ID: "de", Name: "Org DE", Kind: graph.KindCompany, Country: "DE"}
	ds.Countries["DE"] = &graph.Country{Code: "DE", NameEN: "Germany", NameZH: "德国"}
	ds.Organizations["jp"] = &graph.Organization{ID: "jp", Name: "Org JP", Kind: graph.KindCompany, Country: "JP"}
	ds.Countries["JP"] = &graph.Country{Code: "JP", NameEN: "Japan", NameZH: "日本"}
	for i, c := range codes {
		id := strings.ToLower(c)
		ds.Organizations[id] = &graph.Organization{ID: id, Name: "Org " + c, Kind: graph.KindCompany, Country: c}
		ds.Countries[c] = &graph.Country{Code: c, NameEN: c, NameZH: c}
		for k := range i + 1 {
			aid := fmt.Sprintf("%s-%d", id, k)
			ds.Agreements[aid] = &graph.Agreement{ID: aid, Type: "mou", Parties: []graph.Party{{Org: "de"}, {Org: id}}}
		}
	}
	html := renderHTML(t, ds, "en")
	m := html[strings.Index(html, `<h3 id="map">`):]
	m = m[:strings.Index(m, "</figure>")]
	legend := regexp.MustCompile(`background:(#[0-9a-fA-F]{6})[^>]*></i>\s*([^<]*)<`).FindAllStringSubmatch(m, -1)
	var classes []string
	var zero, nodata string
	for _, l := range legend {
		switch strings.TrimSpace(l[2]) {
		case "no ties abroad":
			zero = l[1]
		case "not in the data":
			nodata = l[1]
		case "ties between countries":
		default:
			classes = append(classes, l[1])
		}
	}
	if len(classes) != 6 || zero == "" || nodata == "" {
		t.Fatalf("legend %v: want 6 classes, no ties abroad and not in the data", legend)
	}
	for _, c := range classes {
		for _, o := range []string{zero, nodata} {
			a, b := cieLab(c), cieLab(o)
			if d := math.Sqrt((a[0]-b[0])*(a[0]-b[0]) + (a[1]-b[1])*(a[1]-b[1]) + (a[2]-b[2])*(a[2]-b[2])); d < 25 {
				t.Errorf("class colour %s is ΔE %.1f from %s", c, d, o)
			}
		}
	}
}

// When the interactive view leaves organisations out (it holds the 2,500
// with the strongest ties), a search that finds nothing says so: the name
// may be one of those left out.
func TestSearchMissSaysLeftOut(t *testing.T) {
	ds := graph.NewDataset()
	ds.Countries["DE"] = &graph.Country{Code: "DE", NameEN: "Germany", NameZH: "德国"}
	for i := range 1260 { // 2,520 organisations in pairs: 20 left out
		a, b := fmt.Sprintf("a%04d", i), fmt.Sprintf("b%04d", i)
		for _, id := range []string{a, b} {
			ds.Organizations[id] = &graph.Organization{ID: id, Name: "Org " + id, Kind: graph.KindCompany, Country: "DE"}
		}
		ds.Agreements["x"+a] = &graph.Agreement{ID: "x" + a, Type: "mou", Parties: []graph.Party{{Org: a}, {Org: b}}}
	}
	for lang, want := range map[string]string{
		"en": "No organisation of the view matches: it holds the 2500 with the strongest ties, and 20 more are left out",
		"zh": "视图只包含联系最强的 2500 家，另有 20 家未列入",
	} {
		html := renderHTML(t, ds, lang)
		if !strings.Contains(html, want) {
			t.Errorf("%s: the search's no-match message does not say %q", lang, want)
		}
	}
}

// The agreements table names parties and types in the report's language:
// an organisation known by its PIC as "PIC 999640007" (as the exports and
// the interactive view name it), the type project as 项目 in Chinese.
func TestAgreementTableInLanguage(t *testing.T) {
	for lang, typ := range map[string]string{"en": "<td>project</td>", "zh": "<td>项目</td>"} {
		html := renderHTML(t, picDataset(), lang)
		a := html[strings.Index(html, `<section id="agreements">`):]
		a = a[:strings.Index(a, "</section>")]
		if !strings.Contains(a, "PIC 999640007 · PIC 999640008") {
			t.Errorf("%s: the agreements table does not name the parties PIC 999640007 · PIC 999640008", lang)
		}
		if !strings.Contains(a, typ) {
			t.Errorf("%s: the agreements table does not give the type as %s", lang, typ)
		}
	}
}

// The --period option in the report's language (the evolution section's
// introduction): "year" is 年 in Chinese, "3-years" 3 years.
func TestPeriodName(t *testing.T) {
	cases := []struct{ lang, per, want string }{
		{"en", "year", "year"}, {"zh", "year", "1 年"}, {"en", "years", "year"}, {"en", "3-years", "3 years"}, {"zh", "3-years", "3 年"},
	}
	for _, c := range cases {
		if got := periodName(c.lang, c.per); got != c.want {
			t.Errorf("periodName(%s, %s) = %q, want %q", c.lang, c.per, got, c.want)
		}
	}
}

// The small multiples of the periods are readable: their labels, shown in a
// column of at least 15rem (240 px, the page's .multiples grid), are at
// least 7 px high.
func TestPeriodDrawingLabelsRead(t *testing.T) {
	ds := graph.NewDataset()
	for id, c := range map[string]string{"a": "DE", "b": "FR", "c": "IT", "d": "ES"} {
		ds.Organizations[id] = &graph.Organization{ID: id, Name: "Org " + id, Kind: graph.KindCompany, Country: c}
		ds.Countries[c] = &graph.Country{Code: c, NameEN: c, NameZH: c}
	}
	ds.Agreements["ab"] = &graph.Agreement{ID: "ab", Type: "mou", Date: "2019-03-01", Parties: []graph.Party{{Org: "a"}, {Org: "b"}}}
	ds.Agreements["cd"] = &graph.Agreement{ID: "cd", Type: "mou", Date: "2020-03-01", Parties: []graph.Party{{Org: "c"}, {Org: "d"}, {Org: "a"}}}
	dir := t.TempDir()
	job := newJob(dir, "en", func() *graph.Dataset { return ds }, clock(time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)))
	job.Analyze = func(ctx context.Context, ds *graph.Dataset) (*analysis.Analysis, error) {
		o := testOptions
		o.Period = "year"
		return analysis.Analyze(ctx, ds, o)
	}
	if _, err := job.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "charts", "period-2020.svg"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`<svg [^>]*width="([0-9.]+)"[^>]*font-size="([0-9.]+)"`).FindStringSubmatch(string(b))
	if m == nil {
		t.Fatal("no width and font-size on the period drawing")
	}
	w, _ := strconv.ParseFloat(m[1], 64)
	fs, _ := strconv.ParseFloat(m[2], 64)
	if px := fs * 240 / w; px < 7 {
		t.Errorf("the period drawing's labels are %.1f px high in a 240 px column (font-size %g in a %g px drawing), want at least 7", px, fs, w)
	}
}

// A period of one agreement is captioned "1 agreement", not "1 agreements".
func TestPeriodCaptionSingular(t *testing.T) {
	ds := graph.NewDataset()
	for id, c := range map[string]string{"a": "DE", "b": "FR", "c": "IT"} {
		ds.Organizations[id] = &graph.Organization{ID: id, Name: "Org " + id, Kind: graph.KindCompany, Country: c}
		ds.Countries[c] = &graph.Country{Code: c, NameEN: c, NameZH: c}
	}
	ds.Agreements["ab"] = &graph.Agreement{ID: "ab", Type: "mou", Date: "2019-03-01", Parties: []graph.Party{{Org: "a"}, {Org: "b"}}}
	ds.Agreements["bc"] = &graph.Agreement{ID: "bc", Type: "mou", Date: "2020-03-01", Parties: []graph.Party{{Org: "b"}, {Org: "c"}}}
	ds.Agreements["ac"] = &graph.Agreement{ID: "ac", Type: "mou", Date: "2020-05-01", Parties: []graph.Party{{Org: "a"}, {Org: "c"}}}
	dir := t.TempDir()
	job := newJob(dir, "en", func() *graph.Dataset { return ds }, clock(time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)))
	job.Analyze = func(ctx context.Context, ds *graph.Dataset) (*analysis.Analysis, error) {
		o := testOptions
		o.Period = "year"
		return analysis.Analyze(ctx, ds, o)
	}
	if _, err := job.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "report.html"))
	html := string(b)
	for _, want := range []string{"<b>2019</b> · 1 agreement · 2 countries", "<b>2020</b> · 2 agreements · 3 countries"} {
		if !strings.Contains(html, want) {
			t.Errorf("no caption %q", want)
		}
	}
	if strings.Contains(html, "1 agreements") {
		t.Error(`the report says "1 agreements"`)
	}
}

// In a dense network whose strongest nodes crowd each other out (a clique
// of 80 with short names' labels colliding), the labels not placed leave
// their turn to weaker nodes: the pendants around the clique are named.
func TestDenseDrawingLabelsPeriphery(t *testing.T) {
	var nodes []drawNode
	var edges []drawEdge
	for i := range 80 {
		nodes = append(nodes, drawNode{ID: fmt.Sprint("c", i), Label: fmt.Sprintf("Core country %d", i), Strength: 100})
		for j := range i {
			edges = append(edges, drawEdge{U: j, V: i, W: 1})
		}
	}
	for i := range 8 {
		nodes = append(nodes, drawNode{ID: fmt.Sprint("p", i), Label: fmt.Sprintf("Pendant %d", i), Strength: 1})
		edges = append(edges, drawEdge{U: i, V: 80 + i, W: 1})
	}
	d := drawNetwork("dense.svg", "dense", nodes, edges, 5, 24, 11)
	if !strings.Contains(string(d.SVG), ">Pendant ") {
		t.Errorf("no pendant is labelled; %d labels left out", d.Hidden)
	}
	if n := strings.Count(string(d.SVG), "</text>"); n > MaxLabels {
		t.Errorf("%d labels, want at most %d", n, MaxLabels)
	}
}
