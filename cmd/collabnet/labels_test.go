package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/collabnet/collabnet/internal/h2020test"
)

// nodeLabels reads every node's label from a GraphML file (the "label"
// data key that Gephi shows, and desc), a GEXF file (the label attribute),
// a CSV nodes file (the label column) or a GeoJSON file (every feature's
// label property, the ties' too).
func nodeLabels(t *testing.T, path string) (ids, labels []string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case strings.HasSuffix(path, ".csv"): // the nodes file's label column
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil || len(rows) == 0 {
			t.Fatalf("%s: %v", path, err)
		}
		col := slices.Index(rows[0], "label")
		if col < 0 {
			t.Fatalf("%s: no label column in %v", path, rows[0])
		}
		for _, r := range rows[1:] {
			ids, labels = append(ids, r[0]), append(labels, r[col])
		}
		return ids, labels
	case strings.HasSuffix(path, ".geojson"): // countries and ties
		var fc struct {
			Features []struct {
				Properties map[string]any `json:"properties"`
			} `json:"features"`
		}
		if err := json.Unmarshal(b, &fc); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for i, f := range fc.Features {
			l, _ := f.Properties["label"].(string)
			id, _ := f.Properties["id"].(string)
			if id == "" {
				id = fmt.Sprintf("feature %d", i)
			}
			ids, labels = append(ids, id), append(labels, l)
		}
		return ids, labels
	}
	var doc struct {
		Keys []struct {
			ID   string `xml:"id,attr"`
			For  string `xml:"for,attr"`
			Name string `xml:"attr.name,attr"`
		} `xml:"key"`
		GraphML []struct {
			ID   string `xml:"id,attr"`
			Desc string `xml:"desc"`
			Data []struct {
				Key  string `xml:"key,attr"`
				Text string `xml:",chardata"`
			} `xml:"data"`
		} `xml:"graph>node"`
		GEXF []struct {
			ID    string `xml:"id,attr"`
			Label string `xml:"label,attr"`
		} `xml:"graph>nodes>node"`
	}
	if err := xml.NewDecoder(bytes.NewReader(b)).Decode(&doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if strings.HasSuffix(path, ".gexf") {
		for _, n := range doc.GEXF {
			ids, labels = append(ids, n.ID), append(labels, n.Label)
		}
		return ids, labels
	}
	labelKey := ""
	for _, k := range doc.Keys {
		if k.For == "node" && k.Name == "label" {
			labelKey = k.ID
		}
	}
	if labelKey == "" {
		t.Fatalf("%s: no node key with attr.name label (Gephi's Label column)", path)
	}
	for _, n := range doc.GraphML {
		l := ""
		for _, d := range n.Data {
			if d.Key == labelKey {
				l = d.Text
			}
		}
		if l != n.Desc {
			t.Errorf("%s: node %s: label %q, desc %q", path, n.ID, l, n.Desc)
		}
		ids, labels = append(ids, n.ID), append(labels, l)
	}
	return ids, labels
}

// Every node of every export (GraphML, GEXF, CSV, and GeoJSON's countries and
// ties) has a label, in both languages, on the curated
// data, the H2020 projects with an Indian participant (organisations known
// by PIC only) and the twin-town list: Gephi shows no unlabelled node.
func TestExportLabelsNeverEmpty(t *testing.T) {
	if testing.Short() {
		t.Skip("exports three datasets at three levels (slow)")
	}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()
	shared := filepath.Join("..", "..", "..", "shared", "datasets")
	h2020test.Path = filepath.Join(shared, "h2020", "participations.csv.gz")
	wd, _ := os.Getwd()
	india := h2020test.ProjectsWith(t, dir, "IN")
	twins, _ := filepath.Abs(filepath.Join(shared, "twincities", "twin_cities.csv"))
	twinsConfig := filepath.Join(wd, "..", "..", "examples", "twin-cities.yaml")
	if _, err := os.Stat(twins); err != nil {
		t.Skipf("%s is absent: %v", twins, err)
	}
	sets := []struct {
		name string
		args []string
	}{
		{"curated", nil},
		{"h2020-india", []string{"-i", india}},
		{"twins", []string{"--config", twinsConfig, "-i", twins}},
	}
	for _, s := range sets {
		for _, level := range []string{"full", "org", "country"} {
			for _, lang := range []string{"en", "zh"} {
				formats := []string{"graphml", "gexf", "csv"}
				if level == "country" {
					formats = append(formats, "geojson")
				}
				for _, format := range formats {
					p := filepath.Join(dir, s.name+"-"+level+"-"+lang+"."+format)
					args := append(slices.Clone(s.args), "export", "--level", level, "--lang", lang, "--out", p)
					if out, err := run(t, dir, args...); err != nil {
						t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
					}
					ids, labels := nodeLabels(t, p)
					empty := 0
					for i, l := range labels {
						if strings.TrimSpace(l) == "" {
							if empty < 3 {
								t.Errorf("%s: node %s has an empty label", filepath.Base(p), ids[i])
							}
							empty++
						}
					}
					if empty > 0 || len(labels) == 0 {
						t.Errorf("%s: %d of %d nodes without a label", filepath.Base(p), empty, len(labels))
					}
				}
			}
		}
	}
	// Organisations known by their PIC only are labelled "PIC <number>".
	_, labels := nodeLabels(t, filepath.Join(dir, "h2020-india-org-en.gexf"))
	pics := 0
	for _, l := range labels {
		if strings.HasPrefix(l, "PIC ") && len(l) == len("PIC 999640007") {
			pics++
		}
	}
	if pics != len(labels) {
		t.Errorf("h2020-india org labels: %d of %d are PIC numbers, want all (no names in the file)", pics, len(labels))
	}
	// Chinese or English by --lang: a Chinese park in zh, its English name in en.
	for lang, want := range map[string]string{"zh": "中关村", "en": "Zhongguancun"} {
		_, labels := nodeLabels(t, filepath.Join(dir, "curated-org-"+lang+".graphml"))
		if !strings.Contains(strings.Join(labels, "\n"), want) {
			t.Errorf("curated org labels in %s have no %q", lang, want)
		}
	}
}

// Countries are labelled in the language asked for at every level: the
// country network's (whose nodes carry the Chinese name as name) as the
// full graph's (English name as name), in GraphML and GEXF.
func TestExportCountryLabelsFollowLang(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()
	want := map[string]string{"en": "China", "zh": "中国"}
	for _, level := range []string{"country", "full"} {
		for lang, name := range want {
			for _, format := range []string{"graphml", "gexf"} {
				p := filepath.Join(dir, level+"-"+lang+"."+format)
				if out, err := run(t, dir, "export", "--level", level, "--lang", lang, "--out", p); err != nil {
					t.Fatalf("%v\n%s", err, out)
				}
				ids, labels := nodeLabels(t, p)
				got := ""
				for i, id := range ids {
					if id == "CN" || id == "Country:CN" {
						got = labels[i]
					}
				}
				if got != name {
					t.Errorf("export --level %s --lang %s --format %s: China is labelled %q, want %q", level, lang, format, got, name)
				}
			}
		}
	}
}
