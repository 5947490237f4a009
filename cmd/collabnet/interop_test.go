package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/collabnet/collabnet/internal/neo4jtest"
)

// fileNode is a node as the export file declares it: its id and, per
// attribute name, the declared type and the text of the value.
type fileNode struct {
	id    string
	attrs map[string][2]string // name -> {type, text}
}

// readGraphMLFile reads the nodes of a GraphML file with encoding/xml.
func readGraphMLFile(t *testing.T, path string) []fileNode {
	t.Helper()
	var doc struct {
		Keys []struct {
			ID   string `xml:"id,attr"`
			Name string `xml:"attr.name,attr"`
			Type string `xml:"attr.type,attr"`
		} `xml:"key"`
		Nodes []struct {
			ID   string `xml:"id,attr"`
			Data []struct {
				Key  string `xml:"key,attr"`
				Text string `xml:",chardata"`
			} `xml:"data"`
		} `xml:"graph>node"`
	}
	parseXMLFile(t, path, &doc)
	keys := map[string][2]string{}
	for _, k := range doc.Keys {
		keys[k.ID] = [2]string{k.Name, k.Type}
	}
	var out []fileNode
	for _, n := range doc.Nodes {
		fn := fileNode{n.ID, map[string][2]string{}}
		for _, d := range n.Data {
			k := keys[d.Key]
			fn.attrs[k[0]] = [2]string{k[1], d.Text}
		}
		out = append(out, fn)
	}
	return out
}

// readGEXFFile reads the nodes of a GEXF file (1.2draft or 1.3).
func readGEXFFile(t *testing.T, path string) []fileNode {
	t.Helper()
	var doc struct {
		Attributes []struct {
			Class string `xml:"class,attr"`
			Attr  []struct {
				ID    string `xml:"id,attr"`
				Title string `xml:"title,attr"`
				Type  string `xml:"type,attr"`
			} `xml:"attribute"`
		} `xml:"graph>attributes"`
		Nodes []struct {
			ID     string `xml:"id,attr"`
			Values []struct {
				For   string `xml:"for,attr"`
				Value string `xml:"value,attr"`
			} `xml:"attvalues>attvalue"`
		} `xml:"graph>nodes>node"`
	}
	parseXMLFile(t, path, &doc)
	keys := map[string][2]string{}
	for _, a := range doc.Attributes {
		if a.Class == "node" {
			for _, k := range a.Attr {
				keys[k.ID] = [2]string{k.Title, k.Type}
			}
		}
	}
	var out []fileNode
	for _, n := range doc.Nodes {
		fn := fileNode{n.ID, map[string][2]string{}}
		for _, v := range n.Values {
			k := keys[v.For]
			fn.attrs[k[0]] = [2]string{k[1], v.Value}
		}
		out = append(out, fn)
	}
	return out
}

func parseXMLFile(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// readerView is what testdata/readback.py prints: per node id, per
// attribute, the Python type and the value.
type readerView struct {
	Version  string                               `json:"version"`
	Warnings []string                             `json:"warnings"`
	Nodes    map[string]map[string][2]json.Number `json:"-"`
	raw      map[string]map[string][2]any
}

// readBack runs testdata/readback.py with reader on file; pythonPath is
// prepended to PYTHONPATH when not empty (NetworkX 2.8).
func readBack(t *testing.T, reader, file, pythonPath string) readerView {
	t.Helper()
	cmd := exec.Command("python3", filepath.Join("testdata", "readback.py"), reader, file)
	cmd.Env = os.Environ()
	if pythonPath != "" {
		cmd.Env = append(cmd.Env, "PYTHONPATH="+pythonPath)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", reader, file, err, stderr.String())
	}
	var v struct {
		Version  string                       `json:"version"`
		Warnings []string                     `json:"warnings"`
		Nodes    map[string]map[string][2]any `json:"nodes"`
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: %v\n%s", reader, err, out)
	}
	return readerView{Version: v.Version, Warnings: v.Warnings, raw: v.Nodes}
}

// wantType is the Python type a reader must give an attribute declared as
// typ. igraph keeps every number as a double ("numeric"): an integer
// arrives as a float with an integral value, which is checked instead.
func wantType(typ string, igraph bool) string {
	switch typ {
	case "long", "integer", "int", "short":
		if igraph {
			return "float"
		}
		return "int"
	case "double", "float":
		return "float"
	case "boolean":
		return "bool"
	}
	return "str"
}

// sameValue compares the file's text with the reader's value of type typ.
func sameValue(text string, got any, gotType string) bool {
	switch gotType {
	case "int", "float":
		g, err1 := strconv.ParseFloat(fmt.Sprint(got), 64)
		if fmt.Sprint(got) == "NaN" {
			g, err1 = math.NaN(), nil
		}
		w, err2 := strconv.ParseFloat(text, 64)
		if err1 != nil || err2 != nil {
			return false
		}
		return g == w || math.IsNaN(g) && math.IsNaN(w)
	case "bool":
		return fmt.Sprint(got) == text
	}
	return fmt.Sprint(got) == text
}

// checkReader asserts that a reader saw every node of the file under its
// id, every attribute under its name with its type and value, and printed
// no warning.
func checkReader(t *testing.T, what string, file []fileNode, v readerView, igraph bool) {
	t.Helper()
	for _, w := range v.Warnings {
		t.Errorf("%s: warning: %s", what, w)
	}
	if len(v.raw) != len(file) {
		t.Errorf("%s: %d nodes, the file has %d", what, len(v.raw), len(file))
	}
	bad := 0
	for _, n := range file {
		got, ok := v.raw[n.id]
		if !ok {
			t.Errorf("%s: node %q lost its id", what, n.id)
			continue
		}
		for name, tv := range n.attrs {
			g, ok := got[name]
			want := wantType(tv[0], igraph)
			switch {
			case !ok:
				t.Errorf("%s: node %s: attribute %q missing", what, n.id, name)
			case g[0] != want:
				t.Errorf("%s: node %s: %s is %v %v, declared %s: want a Python %s", what, n.id, name, g[0], g[1], tv[0], want)
			case !sameValue(tv[1], g[1], want):
				t.Errorf("%s: node %s: %s = %v, the file has %q", what, n.id, name, g[1], tv[1])
			default:
				continue
			}
			if bad++; bad > 20 {
				t.Fatalf("%s: too many differences", what)
			}
		}
	}
}

// needPython returns whether python3 can import module (with pythonPath);
// when it cannot, the test skips, or fails under CI=true.
func needPython(t *testing.T, module, pythonPath, hint string) {
	t.Helper()
	cmd := exec.Command("python3", "-c", "import "+module)
	cmd.Env = os.Environ()
	if pythonPath != "" {
		cmd.Env = append(cmd.Env, "PYTHONPATH="+pythonPath)
	}
	if cmd.Run() == nil {
		return
	}
	msg := fmt.Sprintf("python3 cannot import %s (%s)", module, hint)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + " (required when CI=true)")
	}
	t.Skip(msg)
}

// Every export level (full, org, country) in every format (GraphML, GEXF
// 1.3, GEXF 1.2draft) loads unchanged in each reader that takes it:
// NetworkX 3.x (GraphML, GEXF 1.3 and 1.2), NetworkX 2.8 (GraphML, GEXF
// 1.2: it does not read 1.3), igraph (GraphML) and APOC's
// apoc.import.graphml (GraphML, with storeNodeIds). No reader prints a
// warning, every node keeps its id, every attribute its type and value.
func TestExportInterop(t *testing.T) {
	if testing.Short() {
		t.Skip("third-party readers (Python): the full lane, scripts/test; -short keeps the schema checks")
	}
	nx28 := os.Getenv("COLLABNET_TEST_NETWORKX28")
	dir := t.TempDir()
	type export struct{ level, format, version, file string }
	var exports []export
	for _, level := range []string{"full", "org", "country"} {
		for _, f := range [][2]string{{"graphml", ""}, {"gexf", "1.3"}, {"gexf", "1.2"}} {
			file := filepath.Join(dir, level+"-"+f[0]+f[1]+"."+f[0])
			args := []string{"export", "--level", level, "--out", file}
			if f[1] != "" {
				args = append(args, "--gexf-version", f[1])
			}
			if out, err := run(t, "", args...); err != nil {
				t.Fatalf("%v: %v\n%s", args, err, out)
			}
			exports = append(exports, export{level, f[0], f[1], file})
		}
	}
	readers := []struct {
		name, script, pythonPath, module string
		formats                          []string // format+version it reads
		igraph                           bool
	}{
		{"NetworkX 3", "networkx", "", "networkx", []string{"graphml", "gexf1.3", "gexf1.2"}, false},
		{"NetworkX 2.8", "networkx", nx28, "networkx", []string{"graphml", "gexf1.2"}, false},
		{"igraph", "igraph", "", "igraph", []string{"graphml"}, true},
	}
	for _, r := range readers {
		t.Run(r.name, func(t *testing.T) {
			if r.name == "NetworkX 2.8" && nx28 == "" {
				needPython(t, "networkx_2_8_is_not_set_up", "", "set COLLABNET_TEST_NETWORKX28 to a pip --target dir with networkx==2.8.8 and numpy<2; scripts/test does")
			}
			needPython(t, r.module, r.pythonPath, "pip install "+r.module)
			for _, e := range exports {
				if !slices.Contains(r.formats, e.format+e.version) {
					continue
				}
				var file []fileNode
				reader := r.script + "-" + e.format
				if e.format == "graphml" {
					file = readGraphMLFile(t, e.file)
				} else {
					file = readGEXFFile(t, e.file)
					reader = "networkx-gexf"
				}
				v := readBack(t, reader, e.file, r.pythonPath)
				if r.name == "NetworkX 2.8" && !strings.HasPrefix(v.Version, "2.8") {
					t.Fatalf("COLLABNET_TEST_NETWORKX28 gives NetworkX %s", v.Version)
				}
				checkReader(t, fmt.Sprintf("%s %s: %s %s%s", r.name, v.Version, e.level, e.format, e.version), file, v, r.igraph)
			}
		})
	}
	t.Run("APOC", func(t *testing.T) {
		srv := neo4jtest.Require(t)
		drv := srv.Driver(t)
		ctx := context.Background()
		for _, e := range exports {
			if e.format != "graphml" {
				continue
			}
			neo4jtest.Empty(t, drv)
			data, err := os.ReadFile(e.file)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := neo4j.ExecuteQuery(ctx, drv, "CALL apoc.import.graphml($data, {readLabels: true, storeNodeIds: true, compression: 'NONE'})",
				map[string]any{"data": data}, neo4j.EagerResultTransformer); err != nil {
				t.Fatalf("%s: apoc.import.graphml: %v", e.level, err)
			}
			res, err := neo4j.ExecuteQuery(ctx, drv, "MATCH (n) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props", nil, neo4j.EagerResultTransformer)
			if err != nil {
				t.Fatal(err)
			}
			v := readerView{raw: map[string]map[string][2]any{}}
			for _, rec := range res.Records {
				id, _ := rec.Values[0].(string)
				props := map[string][2]any{}
				var labels []string
				for _, l := range rec.Values[1].([]any) {
					labels = append(labels, l.(string))
				}
				for k, val := range rec.Values[2].(map[string]any) {
					if k == "id" {
						continue
					}
					typ := fmt.Sprintf("%T", val)
					switch val.(type) {
					case int64:
						typ = "int"
					case float64:
						typ = "float"
					case bool:
						typ = "bool"
					case string:
						typ = "str"
					}
					props[k] = [2]any{typ, val}
				}
				// readLabels turns the labels attribute into labels.
				slices.Sort(labels)
				props["labels"] = [2]any{"str", labels}
				v.raw[id] = props
			}
			file := readGraphMLFile(t, e.file)
			for i, n := range file {
				if l, ok := n.attrs["labels"]; ok {
					ls := strings.Split(strings.TrimPrefix(l[1], ":"), ":")
					slices.Sort(ls)
					file[i].attrs["labels"] = [2]string{"string", fmt.Sprint(ls)}
				}
			}
			checkReader(t, "APOC "+e.level+" graphml", file, v, false)
		}
		neo4jtest.Empty(t, drv)
	})
}

// The interop case: a full export of a participations table read with
// python-igraph's Graph.Read_GraphML. igraph must read it without a warning
// and every vertex, the Country nodes included, keeps its GraphML node id.
func TestInteropCaseIgraphFullExport(t *testing.T) {
	if testing.Short() {
		t.Skip("third-party readers (Python): the full lane, scripts/test; -short keeps the schema checks")
	}
	needPython(t, "igraph", "", "pip install igraph")
	out := filepath.Join(t.TempDir(), "full.graphml")
	if msg, err := run(t, "", "export", "--level", "full", "-i", filepath.Join("testdata", "cases", "igraph_full_export_id_attr.csv"), "--out", out); err != nil {
		t.Fatalf("%v\n%s", err, msg)
	}
	v := readBack(t, "igraph-graphml", out, "")
	checkReader(t, "igraph", readGraphMLFile(t, out), v, true)
	for _, c := range []string{"DE", "FR", "IT", "ES", "PL"} {
		if _, ok := v.raw["Country:"+c]; !ok {
			t.Errorf("igraph: no vertex with id Country:%s; ids: %v", c, keysOf(v.raw))
		}
	}
}

func keysOf[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
