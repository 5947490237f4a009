package main

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/collabnet/collabnet/analysis"
)

// mapSettings are settings without viper: what the flags, environment and
// configuration file would have merged into.
type mapSettings map[string]any

func (m mapSettings) GetString(k string) string          { s, _ := m[k].(string); return s }
func (m mapSettings) GetBool(k string) bool              { b, _ := m[k].(bool); return b }
func (m mapSettings) GetInt(k string) int                { i, _ := m[k].(int); return i }
func (m mapSettings) GetUint64(k string) uint64          { u, _ := m[k].(uint64); return u }
func (m mapSettings) GetFloat64(k string) float64        { f, _ := m[k].(float64); return f }
func (m mapSettings) GetDuration(k string) time.Duration { d, _ := m[k].(time.Duration); return d }
func (m mapSettings) GetStringSlice(k string) []string   { s, _ := m[k].([]string); return s }
func (m mapSettings) GetStringMapString(k string) map[string]string {
	s, _ := m[k].(map[string]string)
	return s
}
func (m mapSettings) IsSet(k string) bool { _, ok := m[k]; return ok }

func TestAnalyzeOptions(t *testing.T) {
	o, err := newAnalyzeOptions(mapSettings{"format": "csv", "level": "country", "source": "embedded",
		"analytics.measures": []string{"pagerank,degree"}, "analytics.countries": []string{"Germany", "FR"},
		"analytics.seed": uint64(3)})
	if err != nil {
		t.Fatal(err)
	}
	want := analysis.Options{Levels: []string{"country"}, Measures: []analysis.Measure{analysis.Degree, analysis.PageRank},
		Countries: []string{"DE", "FR"}, Resolution: 1, Seed: 3}
	if !reflect.DeepEqual(o.Analysis, want) || o.Format != "csv" || o.Source != "embedded" {
		t.Errorf("got %+v\nwant analysis %+v", o, want)
	}
	// Without --measures, analyze computes every measure.
	o, err = newAnalyzeOptions(mapSettings{"format": "table", "level": "org"})
	if err != nil || !reflect.DeepEqual(o.Analysis.Measures, analysis.AllMeasures()) {
		t.Errorf("default measures %v, %v; want all", o.Analysis.Measures, err)
	}
	for _, bad := range []struct {
		s    mapSettings
		want string
	}{
		{mapSettings{"format": "xml", "level": "org"}, `format "xml"`},
		{mapSettings{"format": "table", "level": "city"}, `level "city"`},
		{mapSettings{"format": "table", "level": "org", "write": true}, "--source neo4j"},
		{mapSettings{"format": "table", "level": "org", "source": "neo4j", "input": []string{"x.csv"}}, "exclude each other"},
		{mapSettings{"format": "table", "level": "org", "analytics.measures": []string{"katz"}}, "katz"},
	} {
		if _, err := newAnalyzeOptions(bad.s); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%v: err = %v, want %q", bad.s, err, bad.want)
		}
	}
}

func TestExportOptions(t *testing.T) {
	o, err := newExportOptions(mapSettings{"level": "org", "export.out": "net.gexf"})
	if err != nil {
		t.Fatal(err)
	}
	if o.Format != "gexf" || !reflect.DeepEqual(o.Analysis.Measures, analysis.CheapMeasures()) {
		t.Errorf("org export: format %q, measures %v; want gexf from the extension and the cheap measures", o.Format, o.Analysis.Measures)
	}
	o, err = newExportOptions(mapSettings{"level": "country", "export.out": "c.xml", "export.format": "graphml"})
	if err != nil || o.Format != "graphml" || !reflect.DeepEqual(o.Analysis.Measures, analysis.AllMeasures()) {
		t.Errorf("country export: %+v, %v; want graphml and every measure", o, err)
	}
	if _, err := newExportOptions(mapSettings{"level": "full"}); err == nil || !strings.Contains(err.Error(), "--out") {
		t.Errorf("no --out: err = %v", err)
	}
	if _, err := newExportOptions(mapSettings{"level": "full", "export.out": "g.txt"}); err == nil || !strings.Contains(err.Error(), `format "txt"`) {
		t.Errorf("unknown extension: err = %v", err)
	}
}

func TestReportOptions(t *testing.T) {
	dir := t.TempDir()
	o, err := newReportOptions(mapSettings{"out": dir, "schedule.once": true, "schedule.grace": time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if o.Lang != "en" || o.Dir != filepath.Clean(dir) || !o.Once || o.Grace != time.Second || o.Analysis.Levels != nil ||
		!reflect.DeepEqual(o.Analysis.Measures, analysis.AllMeasures()) {
		t.Errorf("got %+v", o)
	}
	if _, err := newReportOptions(mapSettings{"out": dir, "lang": "fr"}); err == nil || !strings.Contains(err.Error(), `"fr"`) {
		t.Errorf("--lang fr: err = %v", err)
	}
}

func TestListAndLoadOptions(t *testing.T) {
	o, err := newListOptions(mapSettings{"format": "json", "input": []string{"a.csv"}}, "orgs")
	if err != nil || o.Kind != "organizations" || o.Source != "embedded" || !reflect.DeepEqual(o.Inputs, []string{"a.csv"}) {
		t.Errorf("list orgs: %+v, %v", o, err)
	}
	if _, err := newListOptions(mapSettings{"format": "json"}, "cities"); err == nil {
		t.Error("list cities accepted")
	}
	l := newLoadOptions(mapSettings{"dry_run": true, "neo4j.uri": "bolt://h:7687", "neo4j.batch_size": 50,
		"load.skip_invalid": true, "input": []string{"p.csv"}})
	if !l.DryRun || l.Neo4j.URI != "bolt://h:7687" || l.Neo4j.BatchSize != 50 || !l.Loader.SkipInvalid || l.Inputs[0] != "p.csv" {
		t.Errorf("load: %+v", l)
	}
}

func TestQueryRunOptions(t *testing.T) {
	o, err := newQueryRunOptions(mapSettings{"format": "json", "neo4j.uri": "bolt://h:7687"}, []string{"partners"}, "",
		[]string{"org=中关村国际孵化器"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if o.What != "query partners" || o.Params["org"] != "中关村国际孵化器" || o.Write || o.Neo4j.URI != "bolt://h:7687" {
		t.Errorf("got %+v", o)
	}
	for _, bad := range []struct {
		args  []string
		file  string
		given []string
		want  string
	}{
		{[]string{"partners"}, "q.cypher", nil, "not both"},
		{nil, "", nil, "which query?"},
		{[]string{"no-such-query"}, "", nil, `no query "no-such-query"`},
		{[]string{"partners"}, "", []string{"nonsense=1"}, `no parameter "nonsense"`},
	} {
		if _, err := newQueryRunOptions(mapSettings{"format": "table"}, bad.args, bad.file, bad.given, false); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%v %q %v: err = %v, want %q", bad.args, bad.file, bad.given, err, bad.want)
		}
	}
}

// --countries takes regions, built in or from the configuration, beside
// codes and names; members already listed are not repeated.
func TestCountriesRegions(t *testing.T) {
	o, err := newAnalyzeOptions(mapSettings{"format": "table", "level": "country", "source": "embedded",
		"analytics.countries": []string{"ASEAN", "SG", "Nordic"}, "regions": map[string]string{"nordic": "DK,SE"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"BN", "ID", "KH", "LA", "MM", "MY", "PH", "SG", "TH", "TL", "VN", "DK", "SE"}
	if !reflect.DeepEqual(o.Analysis.Countries, want) {
		t.Errorf("countries %v, want %v", o.Analysis.Countries, want)
	}
}
