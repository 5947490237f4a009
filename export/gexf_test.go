package export

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/collabnet/collabnet/graph"
)

func writeGEXF(t *testing.T, g graph.PropGraph, opts GEXFOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteGEXF(context.Background(), &buf, g, opts); err != nil {
		t.Fatalf("WriteGEXF: %v", err)
	}
	return buf.Bytes()
}

// kelly is the documented palette (Kelly 1965 without white and black, the
// ISCC–NBS centroids' sRGB values), typed in independently of the code;
// communities past it are grey DDDDDD ("other").
var kelly = []string{"F3C300", "875692", "F38400", "A1CAF1", "BE0032", "C2B280", "848482", "008856", "E68FAC", "0067A5",
	"F99379", "604E97", "F6A600", "B3446C", "DCD300", "882D17", "8DB600", "654522", "E25822", "2B3D26"}

func wantColor(community int64) [3]int {
	h := "DDDDDD"
	if community >= 0 && community < int64(len(kelly)) {
		h = kelly[community]
	}
	var c [3]int
	for k := 0; k < 3; k++ {
		v, _ := strconv.ParseUint(h[2*k:2*k+2], 16, 8)
		c[k] = int(v)
	}
	return c
}

func TestPaletteColor(t *testing.T) {
	for _, v := range []int64{0, 1, 3, 9, 10, 13, 19, 20, 21, -1, -10, -11, 1 << 40} {
		r, g, b := PaletteColor(v)
		if w := wantColor(v); [3]int{int(r), int(g), int(b)} != w {
			t.Errorf("PaletteColor(%d) = %d,%d,%d, want %v", v, r, g, b, w)
		}
	}
}

var (
	gexfDirectedOpts   = GEXFOptions{ColorBy: "community", SizeBy: "score", MinSize: 1, MaxSize: 5, WeightBy: "weight"}
	gexfUndirectedOpts = GEXFOptions{Direction: Undirected, ColorBy: "community", SizeBy: "degree", WeightBy: "weight"}
)

func TestGEXFStructure(t *testing.T) {
	g := fixtureDirected()
	out := writeGEXF(t, g, gexfDirectedOpts)
	if !bytes.HasPrefix(out, []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n<gexf ")) {
		t.Errorf("bad start %q", out[:60])
	}
	for _, bad := range []string{"\x01", "\xff"} {
		if bytes.Contains(out, []byte(bad)) {
			t.Errorf("output contains %q", bad)
		}
	}
	root := parseXML(t, out)
	if root.XMLName.Space != GEXFNamespace || root.XMLName.Local != "gexf" {
		t.Fatalf("root %v", root.XMLName)
	}
	if v, _ := root.attr("version"); v != "1.3" {
		t.Errorf("version %q", v)
	}
	var graphEl *xmlElem
	for i := range root.Children {
		if root.Children[i].XMLName.Local == "graph" {
			graphEl = &root.Children[i]
		}
	}
	if graphEl == nil {
		t.Fatal("no graph")
	}
	if v, _ := graphEl.attr("defaultedgetype"); v != "directed" {
		t.Errorf("defaultedgetype %q", v)
	}
	decl := map[string]string{} // class/title → type
	var nodesEl, edgesEl *xmlElem
	for i := range graphEl.Children {
		c := &graphEl.Children[i]
		switch c.XMLName.Local {
		case "attributes":
			class, _ := c.attr("class")
			for _, a := range c.Children {
				title, _ := a.attr("title")
				typ, _ := a.attr("type")
				decl[class+"/"+title] = typ
			}
		case "nodes":
			nodesEl = c
		case "edges":
			edgesEl = c
		}
	}
	for k, want := range map[string]string{
		"node/labels": "string", "node/name": "string", "node/founded": "string", "node/employees": "long",
		"node/score": "double", "node/active": "boolean", "node/tags": "liststring", "node/community": "long",
		"node/annual budget": "double",
		"edge/agreements":    "long", "edge/since": "string", "edge/note": "string", "edge/paragraphs": "liststring",
	} {
		if decl[k] != want {
			t.Errorf("attribute %s declared %q, want %q", k, decl[k], want)
		}
	}
	if _, ok := decl["edge/weight"]; ok {
		t.Error("weight declared as an attribute although written as the edge weight")
	}
	if n, _ := nodesEl.attr("count"); n != strconv.Itoa(len(g.nodes)) {
		t.Errorf("nodes count %q", n)
	}
	if n, _ := edgesEl.attr("count"); n != strconv.Itoa(len(g.edges)) {
		t.Errorf("edges count %q", n)
	}
	for i, n := range nodesEl.Children {
		in := g.nodes[i]
		if id, _ := n.attr("id"); id != graphMLIDs(in.ID) {
			t.Errorf("node id %q", id)
		}
		wantLabel := wantDisplay(in)
		if l, _ := n.attr("label"); l != wantLabel {
			t.Errorf("node %s label %q, want %q", in.ID, l, wantLabel)
		}
		var color, size *xmlElem
		for j := range n.Children {
			c := &n.Children[j]
			switch c.XMLName.Local {
			case "color":
				color = c
			case "size":
				size = c
			}
			if (c.XMLName.Local == "color" || c.XMLName.Local == "size") && c.XMLName.Space != GEXFVizNamespace {
				t.Errorf("node %s: %s in namespace %q", in.ID, c.XMLName.Local, c.XMLName.Space)
			}
		}
		if comm, ok := graph.Get(in.Props, "community").(int64); ok {
			w := wantColor(comm)
			if color == nil {
				t.Errorf("node %s: no colour", in.ID)
			} else {
				for k, ch := range []string{"r", "g", "b"} {
					if v, _ := color.attr(ch); v != strconv.Itoa(w[k]) {
						t.Errorf("node %s colour %s = %q, want %d", in.ID, ch, v, w[k])
					}
				}
			}
		} else if color != nil {
			t.Errorf("node %s without community has a colour", in.ID)
		}
		wantSize := map[string]string{"org:small": "1", "country:CN": "5"}[in.ID]
		switch {
		case wantSize == "" && size != nil:
			t.Errorf("node %s has a size", in.ID)
		case wantSize != "" && size == nil:
			t.Errorf("node %s has no size", in.ID)
		case size != nil:
			if v, _ := size.attr("value"); v != wantSize {
				t.Errorf("node %s size %q, want %q", in.ID, v, wantSize)
			}
		}
	}
	for i, e := range edgesEl.Children {
		in := g.edges[i]
		if l, _ := e.attr("label"); l != in.Type {
			t.Errorf("edge %s label %q", in.ID, l)
		}
		if k, _ := e.attr("kind"); k != in.Type {
			t.Errorf("edge %s kind %q", in.ID, k)
		}
		w, has := e.attr("weight")
		switch in.ID {
		case "e2":
			if w != "1.5" {
				t.Errorf("e2 weight %q", w)
			}
		case "e6":
			if w != "3" {
				t.Errorf("e6 weight %q", w)
			}
		case "e1", "e4", "e5":
			if has {
				t.Errorf("%s has weight %q", in.ID, w)
			}
		}
	}
}

// gexfForXSD moves the viz elements into the gexf namespace, the one place
// where the published GEXF 1.3 XSD disagrees with the GEXF 1.3 RelaxNG and
// primer (see testdata/schema/gexf13/README.md).
func gexfForXSD(b []byte) []byte {
	s := strings.ReplaceAll(string(b), "<viz:", "<")
	return []byte(strings.ReplaceAll(s, "</viz:", "</"))
}

func TestGEXFValidatesAgainstXSD(t *testing.T) {
	for _, c := range []struct {
		name string
		g    *sliceGraph
		opts GEXFOptions
	}{
		{"directed", fixtureDirected(), gexfDirectedOpts},
		{"undirected", fixtureUndirected(), gexfUndirectedOpts},
		{"plain", fixtureDirected(), GEXFOptions{}},
		{"empty", &sliceGraph{}, GEXFOptions{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := writeGEXF(t, c.g, c.opts)
			xmllintValidate(t, "testdata/schema/gexf13/gexf.xsd", writeTemp(t, c.name+".gexf", gexfForXSD(out)))
			if bytes.Contains(out, []byte("<viz:")) {
				raw := writeTemp(t, c.name+"-raw.gexf", out)
				if err := runQuiet("xmllint", "--nonet", "--noout", "--schema", "testdata/schema/gexf13/gexf.xsd", raw); err == nil {
					t.Log("the GEXF XSD now accepts viz-namespace elements: gexfForXSD is no longer needed")
				}
			}
		})
	}
}

func TestGEXFNetworkX(t *testing.T) {
	if testing.Short() {
		t.Skip("third-party readers (Python): the full lane, scripts/test; -short keeps the schema checks")
	}
	for _, c := range []struct {
		name     string
		g        *sliceGraph
		opts     GEXFOptions
		directed bool
		sizes    map[string]float64
	}{
		{"directed", fixtureDirected(), gexfDirectedOpts, true, map[string]float64{"org:small": 1, "country:CN": 5}},
		// degree 1, 2, 3 → default range 10..50
		{"undirected", fixtureUndirected(), gexfUndirectedOpts, false, map[string]float64{"org:a": 30, "org:b": 50, "org:c": 10}},
	} {
		t.Run(c.name, func(t *testing.T) {
			file := writeTemp(t, c.name+".gexf", writeGEXF(t, c.g, c.opts))
			d := readWithPython(t, "nx-gexf", file, "networkx >= 3.6 (pip install 'networkx>=3.6'; Debian 12's python3-networkx 2.8.8 predates GEXF 1.3)")
			nodes, edges := expected(c.g, graphMLIDs, func(s string) string { return s }, true, "labels", "label")
			// GEXF specifics: node label = display name; the weight property is
			// the edge weight, which NetworkX reads as a float.
			for _, n := range c.g.nodes {
				want := nodes[graphMLIDs(n.ID)]
				want.attrs["label"] = expVal{kind: "str", s: wantDisplay(n)}
			}
			for i, e := range c.g.edges {
				switch w := graph.Get(e.Props, "weight").(type) {
				case float64:
					edges[i].attrs["weight"] = expVal{kind: "float", f: w}
				case int64:
					edges[i].attrs["weight"] = expVal{kind: "float", f: float64(w)}
				}
			}
			// viz is checked separately.
			for id, attrs := range d.Nodes {
				viz, ok := attrs["viz"]
				delete(attrs, "viz")
				var in graph.PropNode
				for _, n := range c.g.nodes {
					if graphMLIDs(n.ID) == id {
						in = n
					}
				}
				comm, hasComm := graph.Get(in.Props, "community").(int64)
				wantSize, hasSize := c.sizes[in.ID]
				if !ok {
					if hasComm || hasSize {
						t.Errorf("node %s: no viz", id)
					}
					continue
				}
				vizText := string(viz[1])
				if hasComm {
					w := wantColor(comm)
					for k, ch := range []string{"r", "g", "b"} {
						want := `"` + ch + `":["int","` + strconv.Itoa(w[k]) + `"]`
						if !strings.Contains(strings.Join(strings.Fields(vizText), ""), want) {
							t.Errorf("node %s viz %s lacks %s", id, vizText, want)
						}
					}
				} else if strings.Contains(vizText, `"color"`) {
					t.Errorf("node %s has colour %s", id, vizText)
				}
				if hasSize {
					want := `"size":["float","` + strconv.FormatFloat(wantSize, 'f', 1, 64) + `"]`
					if !strings.Contains(strings.Join(strings.Fields(vizText), ""), want) {
						t.Errorf("node %s viz %s lacks %s", id, vizText, want)
					}
				} else if strings.Contains(vizText, `"size"`) {
					t.Errorf("node %s has size %s", id, vizText)
				}
			}
			compareDump(t, d, nodes, edges, c.directed, true, false, false)
			if c.name == "directed" {
				if got := d.Nodes["org:zgc"]["label"].text(); got != zgcName {
					t.Errorf("Chinese label = %q", got)
				}
			}
		})
	}
}

func TestGEXFWeightFallback(t *testing.T) {
	// A non-finite weight keeps "weight" an ordinary attribute.
	g := fixtureUndirected()
	g.edges[0].Props = []graph.Prop{p("weight", 1.0)}
	g.edges[1].Props = []graph.Prop{p("weight", posInf())}
	out := string(writeGEXF(t, g, GEXFOptions{WeightBy: "weight"}))
	if strings.Contains(out, ` weight="`) {
		t.Error("edge weight written although a value is infinite")
	}
	if !strings.Contains(out, `<attribute id="weight" title="weight" type="double">`) ||
		!strings.Contains(out, `<attvalue for="weight" value="Infinity">`) {
		t.Errorf("weight not kept as an attribute:\n%s", out)
	}
}

func posInf() float64 { f, _ := strconv.ParseFloat("+Inf", 64); return f }

func TestGEXFErrors(t *testing.T) {
	ctx := context.Background()
	for _, o := range []GEXFOptions{{MinSize: 5, MaxSize: 1}, {MinSize: -1, MaxSize: 1}, {MinSize: 1, MaxSize: posInf()}} {
		var buf bytes.Buffer
		if err := WriteGEXF(ctx, &buf, fixtureUndirected(), o); err == nil || buf.Len() > 0 {
			t.Errorf("options %+v: err %v, %d bytes", o, err, buf.Len())
		}
	}
	// A property named like the labels attribute is renamed, not lost.
	var lb bytes.Buffer
	if err := WriteGEXF(ctx, &lb, &sliceGraph{nodes: []graph.PropNode{{ID: "a", Props: []graph.Prop{p("labels", "x")}}}}, GEXFOptions{}); err != nil ||
		!strings.Contains(lb.String(), `<attribute id="labels_prop" title="labels_prop" type="string">`) ||
		!strings.Contains(lb.String(), `<attvalue for="labels_prop" value="x">`) {
		t.Errorf("property labels: err %v\n%s", err, lb.String())
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := WriteGEXF(cctx, io.Discard, fixtureDirected(), GEXFOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	wantErr := errors.New("boom")
	if err := WriteGEXF(ctx, failingWriter{wantErr}, fixtureDirected(), GEXFOptions{}); !errors.Is(err, wantErr) {
		t.Errorf("failing writer: %v", err)
	}
}
