package graph_test

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/internal/curated"
)

// The property-graph view holds every fact: rebuilding a dataset from it
// gives the same dataset. The Neo4j store relies on this.
func TestViewRoundTrip(t *testing.T) {
	ds := curated.Load(t)
	back, err := graph.FromView(graph.NewView(ds))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"Organizations", "Countries", "Events", "Programmes", "Agreements", "Sources", "Figures", "Relations"} {
		a := reflect.ValueOf(ds).Elem().FieldByName(k).Interface()
		b := reflect.ValueOf(back).Elem().FieldByName(k).Interface()
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s differ after the round trip", k)
		}
	}
}

// Merging the same data twice changes nothing, like Cypher's MERGE.
func TestMergeIdempotent(t *testing.T) {
	ds := curated.Load(t)
	got := graph.NewDataset()
	first := got.Merge(ds, false)
	second := got.Merge(ds, false)
	for kind, c := range second {
		if c.New != 0 || c.Updated != 0 {
			t.Errorf("%s: second write changed %+v", kind, *c)
		}
		if c.Unchanged != first[kind].New {
			t.Errorf("%s: %d unchanged, first write added %d", kind, c.Unchanged, first[kind].New)
		}
	}
	if got.Counts() != ds.Counts() {
		t.Errorf("counts %+v, want %+v", got.Counts(), ds.Counts())
	}
}

// PARTNER_OF ties count the agreements two organisations share.
func TestPartnerships(t *testing.T) {
	ds := graph.NewDataset()
	for _, id := range []string{"a", "b", "c"} {
		ds.Organizations[id] = &graph.Organization{ID: id, Name: id, Kind: graph.KindCompany}
	}
	ds.Agreements["x"] = &graph.Agreement{ID: "x", Type: "mou", Parties: []graph.Party{{Org: "b"}, {Org: "a"}}}
	ds.Agreements["y"] = &graph.Agreement{ID: "y", Type: "project", Parties: []graph.Party{{Org: "a"}, {Org: "b"}, {Org: "c"}}}
	want := []graph.Partnership{{"a", "b", 2}, {"a", "c", 1}, {"b", "c", 1}}
	if got := ds.Partnerships(); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// Neo4j Browser's captions of Chinese names: breaks only add spaces (no
// character is lost or moved), no piece is wider than a line holds, a park
// breaks before its generic head, and text without CJK stays as it is.
func TestBrowserCaption(t *testing.T) {
	cases := map[string]string{
		"中关村工业互联网产业园":      "中关村工业互联网 产业园",
		"中关村(大兴)细胞基因治疗产业园": "中关村 (大兴) 细胞基因治疗 产业园",
		"OPC基金会":             "OPC 基金会",
		"中关村软件园":             "中关村软件园",
		"Ruta N":             "Ruta N",
		"谅解备忘录 2019-06-12":   "谅解备忘录 2019-06-12",
		"IASP 2025年世界大会签约仪式": "IASP 2025年世界大会 签约仪式",
	}
	for in, want := range cases {
		if got := graph.BrowserCaption(in); got != want {
			t.Errorf("BrowserCaption(%q) = %q, want %q", in, got, want)
		}
	}
	for _, in := range []string{"国家高新区与世界产业科技创新资源互融互促的倡议", "科技园区在城市发展中的作用和影响平行论坛", "北京市科学技术委员会、中关村科技园区管理委员会"} {
		got := graph.BrowserCaption(in)
		if strings.ReplaceAll(got, " ", "") != in {
			t.Errorf("BrowserCaption(%q) = %q: not the name with spaces", in, got)
		}
		for _, w := range strings.Fields(got) {
			if n := utf8.RuneCountInString(w); 2*n > graph.WrapWidth {
				t.Errorf("BrowserCaption(%q): piece %q of %d characters, wider than a line", in, w, n)
			}
		}
	}
}
