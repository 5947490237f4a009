package export

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/collabnet/collabnet/graph"
)

func writeGraphML(t *testing.T, g graph.PropGraph, opts GraphMLOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteGraphML(context.Background(), &buf, g, opts); err != nil {
		t.Fatalf("WriteGraphML: %v", err)
	}
	return buf.Bytes()
}

// xmlElem is a generic parsed element.
type xmlElem struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Text     string     `xml:",chardata"`
	Children []xmlElem  `xml:",any"`
}

func (e *xmlElem) attr(local string) (string, bool) {
	for _, a := range e.Attrs {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

func parseXML(t *testing.T, b []byte) xmlElem {
	t.Helper()
	var root xmlElem
	if err := xml.Unmarshal(b, &root); err != nil {
		t.Fatalf("output is not well-formed XML: %v", err)
	}
	return root
}

func TestGraphMLStructure(t *testing.T) {
	g := fixtureDirected()
	out := writeGraphML(t, g, GraphMLOptions{})

	if !bytes.HasPrefix(out, []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n<graphml ")) {
		t.Errorf("no XML declaration + graphml root at start: %q", out[:min(80, len(out))])
	}
	if bytes.HasPrefix(out, []byte("\xEF\xBB\xBF")) {
		t.Error("BOM written")
	}
	for _, bad := range []string{"\x01", "\xff"} {
		if bytes.Contains(out, []byte(bad)) {
			t.Errorf("output contains %q", bad)
		}
	}
	root := parseXML(t, out)
	if root.XMLName.Space != GraphMLNamespace || root.XMLName.Local != "graphml" {
		t.Fatalf("root = %v", root.XMLName)
	}
	if v, _ := root.attr("schemaLocation"); v != GraphMLSchemaLocation {
		t.Errorf("schemaLocation = %q", v)
	}

	// Keys: all before the graph, explicit for/attr.name/attr.type, unique ids,
	// one per name per domain.
	type keyInfo struct{ domain, name, typ string }
	keyByID := map[string]keyInfo{}
	nameSeen := map[string]bool{}
	var graphEl *xmlElem
	for i := range root.Children {
		c := &root.Children[i]
		switch c.XMLName.Local {
		case "key":
			if graphEl != nil {
				t.Error("key after graph")
			}
			id, _ := c.attr("id")
			dom, _ := c.attr("for")
			n, okN := c.attr("attr.name")
			ty, okT := c.attr("attr.type")
			if dom != "node" && dom != "edge" {
				t.Errorf("key %q for=%q", id, dom)
			}
			if !okN || !okT {
				t.Errorf("key %q without attr.name/attr.type", id)
			}
			if _, dup := keyByID[id]; dup {
				t.Errorf("duplicate key id %q", id)
			}
			if nameSeen[dom+"/"+n] {
				t.Errorf("two %s keys named %q", dom, n)
			}
			nameSeen[dom+"/"+n] = true
			keyByID[id] = keyInfo{dom, n, ty}
		case "graph":
			if graphEl != nil {
				t.Error("two graphs")
			}
			graphEl = c
		default:
			t.Errorf("unexpected root child %s", c.XMLName.Local)
		}
	}
	wantKeys := map[string]keyInfo{
		"labels":                {"node", "labels", "string"},
		"n_name":                {"node", "name", "string"},
		"n_founded":             {"node", "founded", "string"}, // int64 + float64
		"n_employees":           {"node", "employees", "long"},
		"n_score":               {"node", "score", "double"},
		"n_active":              {"node", "active", "boolean"},
		"n_tags":                {"node", "tags", "string"},
		"n_community":           {"node", "community", "long"},
		"n_annual_x0020_budget": {"node", "annual_x0020_budget", "double"},
		"label":                 {"edge", "label", "string"},
		"node_label":            {"node", "label", "string"},
		"e_agreements":          {"edge", "agreements", "long"},
		"e_weight":              {"edge", "weight", "string"}, // float64 + int64
		"e_since":               {"edge", "since", "string"},
		"e_date":                {"edge", "date", "string"},
		"e_note":                {"edge", "note", "string"},
		"e_paragraphs":          {"edge", "paragraphs", "string"},
	}
	for id, w := range wantKeys {
		if got, ok := keyByID[id]; !ok || got != w {
			t.Errorf("key %q = %+v (present %v), want %+v", id, got, ok, w)
		}
	}
	if len(keyByID) != len(wantKeys) {
		t.Errorf("%d keys, want %d: %v", len(keyByID), len(wantKeys), keyByID)
	}
	if graphEl == nil {
		t.Fatal("no graph")
	}
	if v, _ := graphEl.attr("edgedefault"); v != "directed" {
		t.Errorf("edgedefault = %q", v)
	}

	// Nodes before edges, in input order; desc first; data keys known and of
	// the right domain; edge type first.
	var nodes, edges []*xmlElem
	for i := range graphEl.Children {
		c := &graphEl.Children[i]
		switch c.XMLName.Local {
		case "node":
			if len(edges) > 0 {
				t.Error("node after edge")
			}
			nodes = append(nodes, c)
		case "edge":
			edges = append(edges, c)
		default:
			t.Errorf("unexpected graph child %s", c.XMLName.Local)
		}
	}
	if len(nodes) != len(g.nodes) || len(edges) != len(g.edges) {
		t.Fatalf("%d nodes / %d edges, want %d / %d", len(nodes), len(edges), len(g.nodes), len(g.edges))
	}
	dataOf := func(e *xmlElem, domain string) map[string]string {
		m := map[string]string{}
		for _, c := range e.Children {
			if c.XMLName.Local != "data" {
				continue
			}
			k, _ := c.attr("key")
			if ki, ok := keyByID[k]; !ok || ki.domain != domain {
				t.Errorf("data key %q unknown for %s", k, domain)
			}
			if _, dup := m[k]; dup {
				t.Errorf("repeated data key %q", k)
			}
			m[k] = c.Text
		}
		return m
	}
	for i, n := range nodes {
		in := g.nodes[i]
		if id, _ := n.attr("id"); id != graphMLIDs(in.ID) {
			t.Errorf("node %d id = %q, want %q", i, id, graphMLIDs(in.ID))
		}
		if len(n.Children) == 0 || n.Children[0].XMLName.Local != "desc" {
			t.Errorf("node %s: first child is not desc", in.ID)
			continue
		}
		wantDesc := wantDisplay(in)
		if n.Children[0].Text != wantDesc {
			t.Errorf("node %s desc = %q, want %q", in.ID, n.Children[0].Text, wantDesc)
		}
		for _, c := range n.Children[1:] {
			if c.XMLName.Local == "desc" {
				t.Errorf("node %s: second desc", in.ID)
			}
		}
		d := dataOf(n, "node")
		if len(in.Labels) > 0 {
			if want := ":" + strings.Join(in.Labels, ":"); d["labels"] != want {
				t.Errorf("node %s labels = %q, want %q", in.ID, d["labels"], want)
			}
		} else if _, ok := d["labels"]; ok {
			t.Errorf("node %s without labels has a labels element", in.ID)
		}
		if s, ok := graph.Get(in.Props, "name").(string); ok && d["n_name"] != wantClean(s) {
			t.Errorf("node %s name = %q, want %q", in.ID, d["n_name"], wantClean(s))
		}
	}
	// Float spellings and the string fallback, exact text.
	zgc, amp, ctl := dataOf(nodes[0], "node"), dataOf(nodes[1], "node"), dataOf(nodes[2], "node")
	for _, c := range []struct{ got, want string }{
		{zgc["n_score"], "NaN"}, {amp["n_score"], "Infinity"}, {ctl["n_score"], "-Infinity"},
		{dataOf(nodes[3], "node")["n_score"], "1e-07"},
		{zgc["n_founded"], "1988"}, {amp["n_founded"], "1999.5"},
		{zgc["n_annual_x0020_budget"], "1250000000"},
		{amp["n_employees"], "1099511627776"},
		{zgc["n_tags"], `["园区","a&b","<x> \"q\"","ctlx"]`}, {amp["n_tags"], `[]`},
		{zgc["n_name"], zgcName}, // the duplicate "name" prop is ignored
		{ctl["n_name"], "BadName\x7f\uFFFDEnd"},
	} {
		if c.got != c.want {
			t.Errorf("value %q, want %q", c.got, c.want)
		}
	}
	for i, e := range edges {
		in := g.edges[i]
		if id, _ := e.attr("id"); id != in.ID {
			t.Errorf("edge id %q, want %q", id, in.ID)
		}
		if s, _ := e.attr("source"); s != graphMLIDs(in.From) {
			t.Errorf("edge %s source %q", in.ID, s)
		}
		if len(e.Children) == 0 || e.Children[0].XMLName.Local != "data" {
			t.Fatalf("edge %s: first child %v", in.ID, e.Children)
		}
		if k, _ := e.Children[0].attr("key"); k != "label" || e.Children[0].Text != in.Type {
			t.Errorf("edge %s first data = %s %q, want label %q", in.ID, k, e.Children[0].Text, in.Type)
		}
		d := dataOf(e, "edge")
		if in.ID == "e6" && (d["e_weight"] != "3" || d["e_paragraphs"] != `["§1","§2"]`) {
			t.Errorf("edge e6 data %v", d)
		}
		if in.ID == "e4" && d["e_note"] != "xy & <z>" {
			t.Errorf("edge e4 note %q", d["e_note"])
		}
	}
	// Parallel edges stay separate.
	if s2, _ := edges[1].attr("source"); s2 != "org:amp" {
		t.Error("parallel edge e2 lost")
	}
}

func TestGraphMLUndirectedAndListHint(t *testing.T) {
	out := writeGraphML(t, fixtureUndirected(), GraphMLOptions{Direction: Undirected})
	if !bytes.Contains(out, []byte(`<graph edgedefault="undirected">`)) {
		t.Error("edgedefault not undirected")
	}
	if bytes.Contains(out, []byte("attr.list")) {
		t.Error("attr.list written without APOCListHint")
	}
	out = writeGraphML(t, fixtureDirected(), GraphMLOptions{APOCListHint: true})
	for _, want := range []string{
		`<key id="n_tags" for="node" attr.name="tags" attr.type="string" attr.list="string">`,
		`<key id="e_paragraphs" for="edge" attr.name="paragraphs" attr.type="string" attr.list="string">`,
		`<key id="n_name" for="node" attr.name="name" attr.type="string">`,
	} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("missing %s", want)
		}
	}
}

func TestGraphMLValidatesAgainstXSD(t *testing.T) {
	for _, c := range []struct {
		name string
		g    *sliceGraph
		opts GraphMLOptions
	}{
		{"directed", fixtureDirected(), GraphMLOptions{}},
		{"undirected", fixtureUndirected(), GraphMLOptions{Direction: Undirected}},
		{"empty", &sliceGraph{}, GraphMLOptions{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			file := writeTemp(t, c.name+".graphml", writeGraphML(t, c.g, c.opts))
			xmllintValidate(t, "testdata/schema/graphml/graphml.xsd", file)
		})
	}
}

// TestXSDRejectsBrokenGraphML makes sure the validation step can fail: a
// <desc> after <data> and a non-NMTOKEN id must be rejected.
func TestXSDRejectsBrokenGraphML(t *testing.T) {
	out := string(writeGraphML(t, fixtureUndirected(), GraphMLOptions{}))
	for name, broken := range map[string]string{
		"desc-after-data": strings.Replace(out, "</node>", "<desc>late</desc></node>", 1),
		"bad-id":          strings.Replace(out, `id="org:a"`, `id="org a"`, 1),
	} {
		if broken == out {
			t.Fatalf("%s: replacement did not apply", name)
		}
		file := writeTemp(t, name+".graphml", []byte(broken))
		xmllint := needTool(t, "xmllint", "libxml2-utils")
		if err := runQuiet(xmllint, "--nonet", "--noout", "--schema", "testdata/schema/graphml/graphml.xsd", file); err == nil {
			t.Errorf("%s: xmllint accepted an invalid document", name)
		}
	}
}

func TestGraphMLThirdPartyReaders(t *testing.T) {
	if testing.Short() {
		t.Skip("third-party readers (Python): the full lane, scripts/test; -short keeps the schema checks")
	}
	for _, c := range []struct {
		name     string
		g        *sliceGraph
		dir      Direction
		directed bool
	}{
		{"directed", fixtureDirected(), Directed, true},
		{"undirected", fixtureUndirected(), Undirected, false},
	} {
		file := writeTemp(t, c.name+".graphml", writeGraphML(t, c.g, GraphMLOptions{Direction: c.dir}))
		nodes, edges := expected(c.g, graphMLIDs, graphMLIDs, true, "labels", "label")
		for _, n := range c.g.nodes {
			nodes[graphMLIDs(n.ID)].attrs["label"] = expVal{kind: "str", s: wantDisplay(n)}
		}
		t.Run(c.name+"/networkx", func(t *testing.T) {
			d := readWithPython(t, "nx-graphml", file, "networkx (apt-get install python3-networkx, or pip install networkx)")
			compareDump(t, d, nodes, edges, c.directed, true, false, false)
			if c.name == "directed" {
				if got := d.Nodes["org:zgc"]["name"].text(); got != zgcName {
					t.Errorf("Chinese name = %q", got)
				}
			}
		})
		t.Run(c.name+"/igraph", func(t *testing.T) {
			d := readWithPython(t, "igraph-graphml", file, "python-igraph (apt-get install python3-igraph, or pip install igraph)")
			compareDump(t, d, nodes, edges, c.directed, false, true, true)
		})
	}
}

func TestGraphMLErrors(t *testing.T) {
	ctx := context.Background()
	cases := map[string]*sliceGraph{
		"empty node id":     {nodes: []graph.PropNode{{ID: ""}}},
		"unsupported type":  {nodes: []graph.PropNode{{ID: "a", Props: []graph.Prop{p("x", 3)}}}},
		"edge without type": {nodes: []graph.PropNode{{ID: "a"}}, edges: []graph.PropEdge{{From: "a", To: "a"}}},
		"empty prop name":   {nodes: []graph.PropNode{{ID: "a", Props: []graph.Prop{p("", "x")}}}},
	}
	for name, g := range cases {
		var buf bytes.Buffer
		if err := WriteGraphML(ctx, &buf, g, GraphMLOptions{}); err == nil {
			t.Errorf("%s: no error", name)
		} else if buf.Len() != 0 {
			t.Errorf("%s: %d bytes written before the error", name, buf.Len())
		}
	}
	// With KeepNames, the names of the format's own keys are refused; without
	// it they are renamed.
	for name, g := range map[string]*sliceGraph{
		"labels": {nodes: []graph.PropNode{{ID: "a", Props: []graph.Prop{p("labels", "x")}}}},
		"label":  {nodes: []graph.PropNode{{ID: "a"}}, edges: []graph.PropEdge{{From: "a", To: "a", Type: "T", Props: []graph.Prop{p("label", "x")}}}},
	} {
		var buf bytes.Buffer
		if err := WriteGraphML(ctx, &buf, g, GraphMLOptions{KeepNames: true}); err == nil || buf.Len() != 0 {
			t.Errorf("KeepNames, reserved %s: err %v, %d bytes", name, err, buf.Len())
		}
		out := string(writeGraphML(t, g, GraphMLOptions{}))
		if !strings.Contains(out, `attr.name="`+name+`_prop"`) {
			t.Errorf("reserved %s not renamed:\n%s", name, out)
		}
	}
	// A "label" node property and a "labels" edge property are fine with KeepNames.
	ok := &sliceGraph{nodes: []graph.PropNode{{ID: "a", Props: []graph.Prop{p("label", "x")}}},
		edges: []graph.PropEdge{{From: "a", To: "a", Type: "T", Props: []graph.Prop{p("labels", "y")}}}}
	writeGraphML(t, ok, GraphMLOptions{KeepNames: true})

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := WriteGraphML(cctx, io.Discard, fixtureDirected(), GraphMLOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
	wantErr := errors.New("disk full")
	if err := WriteGraphML(ctx, failingWriter{wantErr}, fixtureDirected(), GraphMLOptions{}); !errors.Is(err, wantErr) {
		t.Errorf("failing writer: %v", err)
	}
}

// TestGraphMLStopsOnCancelDuringWrite cancels from inside the second pass.
func TestGraphMLStopsOnCancelDuringWrite(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	g := &cancelAfter{n: 5000, cancel: cancel}
	err := WriteGraphML(ctx, io.Discard, g, GraphMLOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if g.passes != 2 || g.seen >= 2*g.n {
		t.Errorf("passes %d, nodes seen %d: did not stop early", g.passes, g.seen)
	}
}

type cancelAfter struct {
	n, seen, passes int
	cancel          func()
}

func (g *cancelAfter) Nodes(yield func(graph.PropNode) bool) {
	g.passes++
	for i := 0; i < g.n; i++ {
		g.seen++
		if g.passes == 2 && i == 2000 {
			g.cancel()
		}
		if !yield(graph.PropNode{ID: "n" + string(rune('a'+i%26)), Props: []graph.Prop{p("x", float64(i))}}) {
			return
		}
	}
}

func (g *cancelAfter) Edges(func(graph.PropEdge) bool) {}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

func TestFloatText(t *testing.T) {
	for f, want := range map[float64]string{
		0: "0", 1: "1", -2.5: "-2.5", 0.1: "0.1", 1e-7: "1e-07", 1e21: "1e+21", 123456789012: "123456789012",
		math.NaN(): "NaN", math.Inf(1): "Infinity", math.Inf(-1): "-Infinity", math.MaxFloat64: "1.7976931348623157e+308",
	} {
		if got := string(appendFloat(nil, f)); got != want {
			t.Errorf("appendFloat(%v) = %q, want %q", f, got, want)
		}
	}
}
