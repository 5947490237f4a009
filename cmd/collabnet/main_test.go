package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// run executes the command line in dir and returns its standard output.
func run(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	if dir != "" {
		t.Chdir(dir)
	}
	root := newRoot()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(append([]string{"--quiet"}, args...))
	err := root.ExecuteContext(t.Context())
	return out.String(), err
}

// Flags beat environment variables, which beat collabnet.yaml, which beats
// the defaults (table).
func TestConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "xdg"))
	if err := os.WriteFile(filepath.Join(dir, "collabnet.yaml"), []byte("format: csv\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	isCSV := func(s string) bool { return strings.HasPrefix(s, "code,name_en,name_zh,organizations\n") }
	isJSON := func(s string) bool { return strings.HasPrefix(s, "[") }
	isTable := func(s string) bool { return strings.HasPrefix(s, "code ") }

	out, err := run(t, dir, "list", "countries")
	if err != nil || !isCSV(out) {
		t.Fatalf("file: want CSV, got %v %.60q", err, out)
	}
	t.Setenv("COLLABNET_FORMAT", "json")
	if out, _ = run(t, dir, "list", "countries"); !isJSON(out) {
		t.Fatalf("env over file: want JSON, got %.60q", out)
	}
	if out, _ = run(t, dir, "list", "countries", "--format", "table"); !isTable(out) {
		t.Fatalf("flag over env: want a table, got %.60q", out)
	}
}

// The configuration is also found in $XDG_CONFIG_HOME/collabnet.
func TestConfigInXDG(t *testing.T) {
	dir := t.TempDir()
	xdg := filepath.Join(dir, "xdg")
	os.MkdirAll(filepath.Join(xdg, "collabnet"), 0o755)
	os.WriteFile(filepath.Join(xdg, "collabnet", "collabnet.yaml"), []byte("format: json\n"), 0o644)
	t.Setenv("XDG_CONFIG_HOME", xdg)
	if out, err := run(t, dir, "list", "figures"); err != nil || !strings.HasPrefix(out, "[") {
		t.Fatalf("want JSON from the XDG configuration, got %v %.60q", err, out)
	}
}

// list agreements --format json: every agreement the articles name with both
// parties, each with its parties spelled out and its sources.
func TestListAgreementsJSON(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	out, err := run(t, t.TempDir(), "list", "agreements", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var as []struct {
		ID      string
		Type    string
		Parties []struct{ Name, Country, Kind string }
		Sources []struct {
			Source     string
			Paragraphs []int
		}
	}
	if err := json.Unmarshal([]byte(out), &as); err != nil {
		t.Fatal(err)
	}
	if len(as) == 0 {
		t.Fatal("no agreements")
	}
	byParties := map[string]bool{}
	for _, a := range as {
		if len(a.Parties) < 2 || len(a.Sources) == 0 || len(a.Sources[0].Paragraphs) == 0 {
			t.Errorf("agreement %s: %d parties, sources %v", a.ID, len(a.Parties), a.Sources)
		}
		for _, p := range a.Parties {
			if p.Name == "" || p.Kind == "" {
				t.Errorf("agreement %s: party without name or kind: %+v", a.ID, p)
			}
		}
		byParties[a.Parties[0].Name+"|"+a.Parties[1].Name] = true
		byParties[a.Parties[1].Name+"|"+a.Parties[0].Name] = true
	}
	// Read by hand in the articles: the MoU at IASP 2025 (s002#1,5), the
	// platform the park co-builds with a university and an institute
	// (s002#9, first two parties by ID), the joint mechanism of 001#22 and
	// the 牵手计划 pairs of the 2025 Zhongguancun Forum (s003).
	// s003#11 names five of the seven first-batch pairs with both parties.
	pairs := []string{"中关村工业互联网产业园|首尔经济振兴院",
		"北方工业大学|国家工业信息安全发展研究中心", "北京市丰台区政府|中关村发展集团",
		"中关村(大兴)细胞基因治疗产业园|剑桥启迪科技园", "中关村(海淀)生物制造产业园|嘉丰智谷产业园",
		"中关村国际孵化器|LAUNCH Rhein-Main", "南中轴国际文化科技园|俄罗斯中国“一带一路”投资发展基金会",
		"中关村生命科学园|巴西出口投资促进局"}
	if len(as) != len(pairs) {
		t.Errorf("%d agreements, want the %d the articles name", len(as), len(pairs))
	}
	for _, pair := range pairs {
		if !byParties[pair] {
			t.Errorf("agreement %s is missing", pair)
		}
	}
}

// The main job writes the four files, and graph.graphml is well-formed XML.
func TestReportWritesFourFiles(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()
	out, err := run(t, dir, "report", "--out", "rep")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"report.html", "report.md", "report.json", "graph.graphml"} {
		p := filepath.Join(dir, "rep", f)
		st, err := os.Stat(p)
		if err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
		if !strings.Contains(out, p) {
			t.Errorf("the command does not say where %s is: %q", f, out)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "rep", "graph.graphml"))
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		if _, err := d.Token(); err != nil {
			if err.Error() != "EOF" {
				t.Errorf("graph.graphml: %v", err)
			}
			break
		}
	}
	var rep struct {
		Coverage []struct {
			Value float64
			Named int
		}
	}
	b, _ = os.ReadFile(filepath.Join(dir, "rep", "report.json"))
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	found := map[float64]bool{}
	for _, c := range rep.Coverage {
		found[c.Value] = true
	}
	if !found[42] || !found[7] {
		t.Errorf("the report does not show coverage of the 42 IASP pairs and the 7 牵手计划 pairs: %+v", rep.Coverage)
	}
}

func TestBadInputFails(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	abs, _ := filepath.Abs("../../loader/testdata/bad/empty_party.csv")
	_, err := run(t, t.TempDir(), "list", "agreements", "-i", abs)
	if err == nil || !strings.Contains(err.Error(), "empty_party.csv:3") {
		t.Fatalf("want a located error, got %v", err)
	}
}

// export writes each level in each format; the GraphML holds as many nodes
// and edges as the graph it exports.
func TestExportLevels(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()
	countXML := func(path string) (nodes, edges int) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		d := xml.NewDecoder(bytes.NewReader(b))
		for {
			tok, err := d.Token()
			if err != nil {
				break
			}
			if se, ok := tok.(xml.StartElement); ok {
				switch se.Name.Local {
				case "node":
					nodes++
				case "edge":
					edges++
				}
			}
		}
		return
	}
	var orgs []json.RawMessage
	var agreements []struct {
		Parties []json.RawMessage `json:"parties"`
	}
	out, _ := run(t, dir, "list", "organizations", "--format", "json")
	json.Unmarshal([]byte(out), &orgs)
	out, _ = run(t, dir, "list", "agreements", "--format", "json")
	json.Unmarshal([]byte(out), &agreements)
	for _, level := range []string{"full", "org", "country"} {
		for _, format := range []string{"graphml", "gexf", "csv"} {
			p := filepath.Join(dir, level+"."+format)
			if _, err := run(t, dir, "export", "--level", level, "--out", p); err != nil {
				t.Errorf("export %s %s: %v", level, format, err)
			}
		}
	}
	// No two curated agreements share a pair of parties, so the
	// organisation network has n(n-1)/2 ties per agreement of n parties.
	ties := 0
	for _, a := range agreements {
		ties += len(a.Parties) * (len(a.Parties) - 1) / 2
	}
	if n, e := countXML(filepath.Join(dir, "org.graphml")); n != len(orgs) || e != ties {
		t.Errorf("org.graphml: %d nodes, %d edges; want %d organisations, %d ties", n, e, len(orgs), ties)
	}
	if n, _ := countXML(filepath.Join(dir, "org.gexf")); n != len(orgs) {
		t.Errorf("org.gexf: %d nodes, want %d", n, len(orgs))
	}
	if _, err := os.Stat(filepath.Join(dir, "full-edges.csv")); err != nil {
		t.Errorf("the CSV edge list is missing: %v", err)
	}
}

// --measures chooses the columns: measures not asked for are absent, and
// export says which it computed.
func TestAnalyzeMeasures(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()
	out, err := run(t, dir, "analyze", "--level", "country", "--measures", "degree,pagerank", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if header, _, _ := strings.Cut(out, "\n"); header != "id,name,country,degree,pagerank" {
		t.Errorf("header %q, want id,name,country,degree,pagerank", header)
	}
	out, err = run(t, dir, "analyze", "--level", "org", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if header, _, _ := strings.Cut(out, "\n"); header != "id,name,country,degree,strength,betweenness,closeness,harmonic,pagerank,eigenvector,clustering,clustering_unweighted,community" {
		t.Errorf("default header %q: want every measure", header)
	}
	if _, err := run(t, dir, "analyze", "--measures", "katz"); err == nil || !strings.Contains(err.Error(), "katz") {
		t.Errorf("--measures katz: err = %v", err)
	}
	out, err = run(t, dir, "export", "--level", "org", "--out", filepath.Join(dir, "org.graphml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "org network: computed degree, strength, pagerank, eigenvector, community exactly; not computed: betweenness, closeness, harmonic, clustering") {
		t.Errorf("export did not say what it computed:\n%s", out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "org.graphml"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `attr.name="betweenness"`) || !strings.Contains(string(b), `attr.name="pagerank"`) {
		t.Errorf("org.graphml: want pagerank and no betweenness attribute")
	}
}

// newRoot is the root command, for tests that run command lines.
func newRoot() *cobra.Command {
	root, _ := newRootApp()
	return root
}

// `-i .` in the directory that holds collabnet.yaml reads the data files
// there, not the configuration as agreements (it used to fail with
// "format: unknown section"); the file --config names is skipped the same
// way, and a YAML file that is neither is read as data.
func TestInputDirectorySkipsConfiguration(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "xdg"))
	files := map[string]string{
		"collabnet.yaml": "format: csv\n",
		"settings.yaml":  "format: json\n",
		"mine.csv":       "party_a,country_a,party_b,country_b,type\nAlpha Labs,DE,Beta Works,FR,mou\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Rename(filepath.Join(dir, "settings.yaml"), filepath.Join(dir, "settings.yml.off")); err != nil {
		t.Fatal(err)
	}
	out, err := run(t, dir, "list", "countries", "-i", ".")
	if err != nil || !strings.HasPrefix(out, "code,name_en,name_zh,organizations\n") || !strings.Contains(out, "DE,") {
		t.Fatalf("-i . beside collabnet.yaml: want the CSV of mine.csv's countries, got %v\n%s", err, out)
	}
	if err := os.Rename(filepath.Join(dir, "settings.yml.off"), filepath.Join(dir, "settings.yaml")); err != nil {
		t.Fatal(err)
	}
	out, err = run(t, dir, "--config", "settings.yaml", "list", "countries", "-i", ".")
	if err != nil || !strings.HasPrefix(out, "[") || !strings.Contains(out, `"DE"`) {
		t.Fatalf("-i . beside --config settings.yaml: want the JSON of mine.csv's countries, got %v\n%s", err, out)
	}
	if _, err = run(t, dir, "list", "countries", "-i", "."); err == nil || !strings.Contains(err.Error(), "settings.yaml") {
		t.Errorf("settings.yaml, not the configuration this time, is data: want its problems, got %v", err)
	}
}
