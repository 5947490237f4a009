package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/collabnet/collabnet/graph"
)

func TestCSV(t *testing.T) {
	g := fixtureDirected()
	var nb, eb bytes.Buffer
	if err := WriteCSV(context.Background(), &nb, &eb, g, CSVOptions{}); err != nil {
		t.Fatal(err)
	}
	nodes, err := csv.NewReader(&nb).ReadAll()
	if err != nil {
		t.Fatalf("node CSV: %v", err)
	}
	edges, err := csv.NewReader(&eb).ReadAll()
	if err != nil {
		t.Fatalf("edge CSV: %v", err)
	}
	wantNodeHeader := "id,labels,label,active,annual budget,community,employees,founded,name,score,tags"
	if got := strings.Join(nodes[0], ","); got != wantNodeHeader {
		t.Errorf("node header %s, want %s", got, wantNodeHeader)
	}
	wantEdgeHeader := "id,source,target,type,agreements,date,note,paragraphs,since,weight"
	if got := strings.Join(edges[0], ","); got != wantEdgeHeader {
		t.Errorf("edge header %s, want %s", got, wantEdgeHeader)
	}
	if len(nodes)-1 != len(g.nodes) || len(edges)-1 != len(g.edges) {
		t.Fatalf("%d node rows, %d edge rows", len(nodes)-1, len(edges)-1)
	}
	// The label column (Gephi's Label) is never empty: the name, else the
	// ID with its kind.
	for _, row := range nodes[1:] {
		want := map[string]string{"org:zgc": "中关村科技园区", "org:small": "Tiny", "country:CN": "中国", "org:empty": "Organization org:empty"}[row[0]]
		if row[2] == "" || want != "" && row[2] != want {
			t.Errorf("node %s: label %q, want %q", row[0], row[2], want)
		}
	}
	// Every cell, checked against the input: parse it back by the column's
	// input type.
	check := func(header, row []string, props []graph.Prop, what string) {
		for c := range header {
			if c < 3 && what == "node" || c < 4 && what == "edge" {
				continue
			}
			v := graph.Get(props, header[c])
			cell := row[c]
			if v == nil {
				if cell != "" {
					t.Errorf("%s %s: %s = %q, want empty", what, row[0], header[c], cell)
				}
				continue
			}
			ok := false
			switch x := v.(type) {
			case string:
				ok = cell == x // CSV keeps strings unmodified
			case int64:
				ok = cell == strconv.FormatInt(x, 10)
			case bool:
				ok = cell == strconv.FormatBool(x)
			case float64:
				f, err := strconv.ParseFloat(strings.Replace(cell, "Infinity", "Inf", 1), 64)
				ok = err == nil && (f == x || math.IsNaN(f) && math.IsNaN(x))
			case []string:
				var l []string
				ok = json.Unmarshal([]byte(cell), &l) == nil && strings.Join(l, "\x00") == strings.Join(x, "\x00")
			}
			if !ok {
				t.Errorf("%s %s: %s = %q, input %#v", what, row[0], header[c], cell, v)
			}
		}
	}
	for i, n := range g.nodes {
		row := nodes[i+1]
		wantLabels := ""
		if len(n.Labels) > 0 {
			wantLabels = ":" + strings.Join(n.Labels, ":")
		}
		if row[0] != n.ID || row[1] != wantLabels {
			t.Errorf("node row %v", row[:2])
		}
		check(nodes[0], row, n.Props, "node")
	}
	for i, e := range g.edges {
		row := edges[i+1]
		if row[0] != e.ID || row[1] != e.From || row[2] != e.To || row[3] != e.Type {
			t.Errorf("edge row %v", row[:4])
		}
		check(edges[0], row, e.Props, "edge")
	}
}

// Names that collide with the fixed columns are renamed as in the XML
// formats: the node's own "id" becomes "key", an edge's "source" and "type"
// get "_prop".
func TestCSVRenamesReserved(t *testing.T) {
	g := &sliceGraph{nodes: []graph.PropNode{{ID: "org:a", Labels: []string{"Organization"}, Props: []graph.Prop{p("id", "a"), p("labels", "x")}}},
		edges: []graph.PropEdge{{ID: "e1", From: "org:a", To: "org:a", Type: "T", Props: []graph.Prop{p("source", "s"), p("type", "t")}}}}
	var nb, eb bytes.Buffer
	if err := WriteCSV(context.Background(), &nb, &eb, g, CSVOptions{}); err != nil {
		t.Fatal(err)
	}
	if want := "id,labels,label,key,labels_prop\norg:a,:Organization,Organization a,a,x\n"; nb.String() != want {
		t.Errorf("nodes:\n%s\nwant\n%s", nb.String(), want)
	}
	if want := "id,source,target,type,source_prop,type_prop\ne1,org:a,org:a,T,s,t\n"; eb.String() != want {
		t.Errorf("edges:\n%s\nwant\n%s", eb.String(), want)
	}
}

// OWASP's rule against CSV injection (CWE-1236): a cell that starts with
// = + - @, a tab or a CR gets a leading quote; plain numbers stay numbers.
func TestNeutralizeCell(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"http://x\")": "'=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0": "'+cmd|' /C calc'!A0",
		"-2+3": "'-2+3", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "\rx": "'\rx",
		"-1.5": "-1.5", "+3": "+3", "1e-9": "1e-9", "-2.5E+3": "-2.5E+3", "-": "'-", "-.": "'-.",
		"Org A": "Org A", "": "", "中关村": "中关村", "a=b": "a=b",
	} {
		if got := NeutralizeCell(in); got != want {
			t.Errorf("NeutralizeCell(%q) = %q, want %q", in, got, want)
		}
	}
}
