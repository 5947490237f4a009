package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/collabnet/collabnet/graph"
)

// sliceGraph is a materialised PropGraph for small test graphs.
type sliceGraph struct {
	nodes []graph.PropNode
	edges []graph.PropEdge
}

func (g *sliceGraph) Nodes(yield func(graph.PropNode) bool) {
	for _, n := range g.nodes {
		if !yield(n) {
			return
		}
	}
}

func (g *sliceGraph) Edges(yield func(graph.PropEdge) bool) {
	for _, e := range g.edges {
		if !yield(e) {
			return
		}
	}
}

func p(k string, v any) graph.Prop { return graph.Prop{Key: k, Value: v} }

const (
	zgcName  = "中关村科技园区"
	ampName  = `Smith & Sons <Ltd> "quoted" 'single'`
	ctlName  = "Bad\x01Name\x7f\xffEnd" // \x01 illegal in XML, \x7f legal, \xff invalid UTF-8
	weirdID  = "src/weird id"           // not an NMTOKEN
	weirdEnc = "src_x002F_weird_x0020_id"
)

// fixtureDirected is the full-property-graph flavour: several labels,
// parallel edges, every value type, mixed types, NaN/±Inf, a node without
// props or labels.
func fixtureDirected() *sliceGraph {
	return &sliceGraph{
		nodes: []graph.PropNode{
			{ID: "org:zgc", Labels: []string{graph.LabelOrganization, "SciencePark"}, Props: []graph.Prop{
				p("name", zgcName),
				p("founded", int64(1988)), // int here, float on org:amp: falls back to string
				p("employees", int64(-12)),
				p("score", math.NaN()),
				p("active", true),
				p("tags", []string{"园区", "a&b", `<x> "q"`, "ctl\x01x"}),
				p("community", int64(3)),
				p("annual budget", 1.25e9), // name with a space: attr.name escaped
				p("missing", nil),
				p("name", "duplicate key, ignored"),
			}},
			{ID: "org:amp", Labels: []string{graph.LabelOrganization}, Props: []graph.Prop{
				p("name", ampName),
				p("founded", 1999.5),
				p("employees", int64(1)<<40),
				p("score", math.Inf(1)),
				p("active", false),
				p("tags", []string{}),
				p("community", int64(-1)),
			}},
			{ID: "org:ctl", Labels: []string{graph.LabelOrganization}, Props: []graph.Prop{
				p("name", ctlName),
				p("score", math.Inf(-1)),
				p("community", int64(13)),
			}},
			{ID: "org:small", Labels: []string{graph.LabelOrganization}, Props: []graph.Prop{
				p("name", "Tiny"),
				p("score", 1e-7),
				p("community", int64(0)),
			}},
			{ID: "country:CN", Labels: []string{graph.LabelCountry}, Props: []graph.Prop{
				p("name", "中国"),
				p("score", 0.1),
			}},
			{ID: "org:empty", Labels: []string{graph.LabelOrganization}},
			{ID: weirdID},
		},
		edges: []graph.PropEdge{
			{ID: "e1", From: "org:zgc", To: "country:CN", Type: graph.RelLocatedIn},
			{ID: "e2", From: "org:amp", To: "org:zgc", Type: graph.RelPartnerOf, Props: []graph.Prop{
				p("agreements", int64(2)), p("weight", 1.5), p("since", "2019-03-01"),
			}},
			{ID: "e3", From: "org:amp", To: "org:zgc", Type: graph.RelPartnerOf, Props: []graph.Prop{
				p("agreements", int64(1)), p("weight", 0.5),
			}},
			{ID: "e4", From: "org:ctl", To: "org:amp", Type: graph.RelVisited, Props: []graph.Prop{
				p("date", "2023-05-01"), p("note", "x\x01y & <z>"),
			}},
			{ID: "e5", From: weirdID, To: "org:zgc", Type: graph.RelMemberOf},
			{ID: "e6", From: "org:zgc", To: "org:ctl", Type: graph.RelTenantOf, Props: []graph.Prop{
				p("weight", int64(3)), // int here, float elsewhere: string in GraphML
				p("paragraphs", []string{"§1", "§2"}),
			}},
		},
	}
}

// fixtureUndirected is an organisation network: PARTNER_OF only, From < To,
// one parallel pair.
func fixtureUndirected() *sliceGraph {
	return &sliceGraph{
		nodes: []graph.PropNode{
			{ID: "org:a", Labels: []string{graph.LabelOrganization}, Props: []graph.Prop{p("name", zgcName), p("community", int64(1)), p("degree", int64(2))}},
			{ID: "org:b", Labels: []string{graph.LabelOrganization}, Props: []graph.Prop{p("name", ampName), p("community", int64(2)), p("degree", int64(3))}},
			{ID: "org:c", Labels: []string{graph.LabelOrganization}, Props: []graph.Prop{p("name", "东京大学"), p("community", int64(1)), p("degree", int64(1))}},
		},
		edges: []graph.PropEdge{
			{ID: "p1", From: "org:a", To: "org:b", Type: graph.RelPartnerOf, Props: []graph.Prop{p("agreements", int64(1)), p("weight", 1.0)}},
			{ID: "p2", From: "org:a", To: "org:b", Type: graph.RelPartnerOf, Props: []graph.Prop{p("agreements", int64(4)), p("weight", 2.5)}},
			{ID: "p3", From: "org:b", To: "org:c", Type: graph.RelPartnerOf, Props: []graph.Prop{p("agreements", int64(2)), p("weight", 0.25)}},
		},
	}
}

// ---- expectations, derived from the input graph by the rules of the spec ----

// expVal is what a reader should see for one property.
type expVal struct {
	kind string // "int", "float", "bool", "str", "list"
	i    int64
	f    float64
	b    bool
	s    string
	list []string
}

// wantClean is the spec's XML text rule, written independently of the writer:
// invalid UTF-8 → U+FFFD, then drop characters outside the XML Char production.
func wantClean(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if r == utf8.RuneError && n == 1 {
			b.WriteRune(utf8.RuneError)
			continue
		}
		if r == 0x9 || r == 0xA || r == 0xD || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || r >= 0x10000 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// typeSets maps property name → set of Go types seen (by %T) in one domain.
func typeSets(props [][]graph.Prop) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, ps := range props {
		seen := map[string]bool{}
		for _, pr := range ps {
			if pr.Value == nil || seen[pr.Key] {
				continue
			}
			seen[pr.Key] = true
			if out[pr.Key] == nil {
				out[pr.Key] = map[string]bool{}
			}
			out[pr.Key][fmt.Sprintf("%T", pr.Value)] = true
		}
	}
	return out
}

// expect converts one input value given the set of types its name has.
func expect(v any, types map[string]bool, clean bool) expVal {
	cl := func(s string) string {
		if clean {
			return wantClean(s)
		}
		return s
	}
	if len(types) > 1 { // mixed: string fallback
		switch x := v.(type) {
		case int64:
			return expVal{kind: "str", s: strconv.FormatInt(x, 10)}
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) || x != math.Trunc(x*1e6)/1e6 {
				panic("fixture: keep mixed floats simple")
			}
			return expVal{kind: "str", s: strconv.FormatFloat(x, 'f', -1, 64)}
		case string:
			return expVal{kind: "str", s: cl(x)}
		case bool:
			return expVal{kind: "str", s: strconv.FormatBool(x)}
		}
		panic("fixture: unexpected mixed type")
	}
	switch x := v.(type) {
	case int64:
		return expVal{kind: "int", i: x}
	case float64:
		return expVal{kind: "float", f: x}
	case bool:
		return expVal{kind: "bool", b: x}
	case string:
		return expVal{kind: "str", s: cl(x)}
	case []string:
		l := make([]string, len(x))
		for i, s := range x {
			l[i] = cl(s)
		}
		return expVal{kind: "list", list: l}
	}
	panic(fmt.Sprintf("fixture: type %T", v))
}

type expElem struct {
	id, source, target string
	attrs              map[string]expVal
}

// expected builds the reader-side view of g: node id → attrs, edges in order.
// idOf and nameOf map input IDs / property names to what the format writes;
// reserved adds the labels/type attributes under the given names.
func expected(g *sliceGraph, idOf, nameOf func(string) string, clean bool, labelsAttr, typeAttr string) (map[string]expElem, []expElem) {
	var np, ep [][]graph.Prop
	for _, n := range g.nodes {
		np = append(np, n.Props)
	}
	for _, e := range g.edges {
		ep = append(ep, e.Props)
	}
	nt, et := typeSets(np), typeSets(ep)
	conv := func(ps []graph.Prop, ts map[string]map[string]bool) map[string]expVal {
		m := map[string]expVal{}
		for _, pr := range ps {
			if pr.Value == nil {
				continue
			}
			k := nameOf(pr.Key)
			if _, dup := m[k]; dup {
				continue
			}
			m[k] = expect(pr.Value, ts[pr.Key], clean)
		}
		return m
	}
	nodes := map[string]expElem{}
	for _, n := range g.nodes {
		a := conv(n.Props, nt)
		if len(n.Labels) > 0 && labelsAttr != "" {
			a[labelsAttr] = expVal{kind: "str", s: ":" + strings.Join(n.Labels, ":")}
		}
		nodes[idOf(n.ID)] = expElem{id: idOf(n.ID), attrs: a}
	}
	var edges []expElem
	for _, e := range g.edges {
		a := conv(e.Props, et)
		if typeAttr != "" {
			a[typeAttr] = expVal{kind: "str", s: e.Type}
		}
		edges = append(edges, expElem{id: idOf(e.ID), source: idOf(e.From), target: idOf(e.To), attrs: a})
	}
	return nodes, edges
}

// wantDisplay is a node's label by the display-name rule, typed in from the
// rule (name, else name_en, else the first label and the ID, else the ID).
func wantDisplay(n graph.PropNode) string {
	for _, k := range []string{"name", "name_en"} {
		if s, ok := graph.Get(n.Props, k).(string); ok && strings.TrimSpace(s) != "" {
			return wantClean(s)
		}
	}
	if len(n.Labels) == 0 {
		return n.ID
	}
	return n.Labels[0] + " " + n.ID
}

// graphMLIDs is the NMTOKEN form of the fixture IDs and names, written out by
// hand (not computed by the code under test).
func graphMLIDs(s string) string {
	switch s {
	case weirdID:
		return weirdEnc
	case "annual budget":
		return "annual_x0020_budget"
	}
	return s
}

// ---- third-party tools ----

// needTool returns the path of an external program. Missing: the test fails
// when CI=true, else it is skipped naming the package to install.
func needTool(t testing.TB, prog, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(prog)
	if err != nil {
		missing(t, fmt.Sprintf("%s not found; install %s", prog, pkg))
	}
	return path
}

func missing(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s (required when CI=true)", msg)
	}
	t.Skip(msg)
}

// xmllintValidate validates file against the schema with xmllint --nonet.
func xmllintValidate(t *testing.T, schema, file string) {
	t.Helper()
	xmllint := needTool(t, "xmllint", "libxml2-utils (apt-get install -y libxml2-utils)")
	out, err := exec.Command(xmllint, "--nonet", "--noout", "--schema", schema, file).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint --schema %s %s: %v\n%s", filepath.Base(schema), file, err, out)
	}
	if !bytes.Contains(out, []byte("validates")) {
		t.Fatalf("xmllint output: %s", out)
	}
}

// readerValue is one [tag, text] pair of testdata/readgraph.py.
type readerValue [2]json.RawMessage

func (v readerValue) tag() string {
	var s string
	_ = json.Unmarshal(v[0], &s)
	return s
}

func (v readerValue) text() string {
	var s string
	_ = json.Unmarshal(v[1], &s)
	return s
}

type readerDump struct {
	Reader     string                            `json:"reader"`
	Version    string                            `json:"version"`
	Directed   bool                              `json:"directed"`
	Multigraph bool                              `json:"multigraph"`
	Nodes      map[string]map[string]readerValue `json:"nodes"`
	Edges      []struct {
		ID     *string                `json:"id"`
		Source string                 `json:"source"`
		Target string                 `json:"target"`
		Attrs  map[string]readerValue `json:"attrs"`
	} `json:"edges"`
}

// readWithPython runs testdata/readgraph.py mode file.
func readWithPython(t *testing.T, mode, file, pkg string) readerDump {
	t.Helper()
	py := needTool(t, "python3", "python3")
	cmd := exec.Command(py, "testdata/readgraph.py", mode, file)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 3 {
		missing(t, fmt.Sprintf("%s: %s; install %s", mode, strings.TrimSpace(stderr.String()), pkg))
	}
	if err != nil {
		t.Fatalf("readgraph.py %s: %v\n%s", mode, err, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Logf("readgraph.py %s stderr: %s", mode, stderr.String())
	}
	var d readerDump
	if err := json.Unmarshal(stdout.Bytes(), &d); err != nil {
		t.Fatalf("readgraph.py output: %v\n%s", err, stdout.String())
	}
	t.Logf("%s %s", d.Reader, d.Version)
	return d
}

// matchValue compares a reader value with the expectation. numericOnly: the
// reader stores every number as a float (igraph).
func matchValue(got readerValue, want expVal, numericOnly bool) error {
	tag, text := got.tag(), got.text()
	switch want.kind {
	case "int":
		if numericOnly && tag == "float" {
			f, err := strconv.ParseFloat(text, 64)
			if err != nil || f != float64(want.i) {
				return fmt.Errorf("got float %s, want %d", text, want.i)
			}
			return nil
		}
		if tag != "int" || text != strconv.FormatInt(want.i, 10) {
			return fmt.Errorf("got %s %q, want int %d", tag, text, want.i)
		}
	case "float":
		f, err := strconv.ParseFloat(text, 64)
		if tag != "float" || err != nil {
			return fmt.Errorf("got %s %q, want float %v", tag, text, want.f)
		}
		if !(f == want.f || math.IsNaN(f) && math.IsNaN(want.f)) {
			return fmt.Errorf("got float %v, want %v", f, want.f)
		}
	case "bool":
		if tag != "bool" || text != strconv.FormatBool(want.b) {
			return fmt.Errorf("got %s %q, want bool %v", tag, text, want.b)
		}
	case "str":
		if tag != "str" || text != want.s {
			return fmt.Errorf("got %s %q, want string %q", tag, text, want.s)
		}
	case "list":
		var l []string
		if tag != "str" {
			return fmt.Errorf("got %s, want a JSON list string", tag)
		}
		if err := json.Unmarshal([]byte(text), &l); err != nil {
			return fmt.Errorf("list value %q is not JSON: %v", text, err)
		}
		if fmt.Sprintf("%q", l) != fmt.Sprintf("%q", want.list) {
			return fmt.Errorf("got list %q, want %q", l, want.list)
		}
	default:
		return fmt.Errorf("bad expectation %v", want)
	}
	return nil
}

// isEmptyValue: how igraph fills an attribute an element does not have.
func isEmptyValue(v readerValue) bool {
	switch v.tag() {
	case "none":
		return true
	case "str":
		return v.text() == ""
	case "float":
		return v.text() == "nan"
	case "bool":
		return v.text() == "false"
	}
	return false
}

// compareAttrs checks got against want. exact: no extra attributes allowed;
// otherwise extra attributes must be empty (igraph gives every element every
// attribute).
func compareAttrs(t *testing.T, what string, got map[string]readerValue, want map[string]expVal, exact, numericOnly bool) {
	t.Helper()
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: attribute %q missing (want %+v)", what, k, w)
			continue
		}
		if err := matchValue(g, w, numericOnly); err != nil {
			t.Errorf("%s: attribute %q: %v", what, k, err)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; ok {
			continue
		}
		if exact || !isEmptyValue(g) {
			t.Errorf("%s: unexpected attribute %q = %s %q", what, k, g.tag(), g.text())
		}
	}
}

// compareDump checks a reader's view against the expectation built from the
// input graph. Edges are matched by id, or by position when byPosition (igraph
// 1.0.0's GraphML reader fills the edge "id" attribute with vertex ids; igraph
// 0.10 gets it right).
func compareDump(t *testing.T, d readerDump, nodes map[string]expElem, edges []expElem, directed, exact, numericOnly, byPosition bool) {
	t.Helper()
	if d.Directed != directed {
		t.Errorf("%s: directed = %v, want %v", d.Reader, d.Directed, directed)
	}
	if !d.Multigraph {
		t.Errorf("%s: parallel edges were merged (not a multigraph)", d.Reader)
	}
	if len(d.Nodes) != len(nodes) {
		t.Errorf("%s: %d nodes, want %d", d.Reader, len(d.Nodes), len(nodes))
	}
	for id, want := range nodes {
		got, ok := d.Nodes[id]
		if !ok {
			t.Errorf("%s: node %q missing; have %v", d.Reader, id, keys(d.Nodes))
			continue
		}
		compareAttrs(t, d.Reader+" node "+id, got, want.attrs, exact, numericOnly)
	}
	if len(d.Edges) != len(edges) {
		t.Fatalf("%s: %d edges, want %d", d.Reader, len(d.Edges), len(edges))
	}
	byID := map[string]expElem{}
	for _, e := range edges {
		byID[e.id] = e
	}
	seen := map[string]bool{}
	for i, got := range d.Edges {
		var want expElem
		if byPosition {
			// Readers keep the file order; the writer keeps the input order.
			want = edges[i]
			if got.ID == nil || *got.ID != want.id {
				t.Logf("%s %s: edge #%d has id %v, want %q (ids are checked through the other readers)", d.Reader, d.Version, i, deref(got.ID), want.id)
			}
		} else {
			if got.ID == nil {
				t.Errorf("%s: edge %s→%s without id", d.Reader, got.Source, got.Target)
				continue
			}
			var ok bool
			want, ok = byID[*got.ID]
			if !ok || seen[*got.ID] {
				t.Errorf("%s: unexpected or repeated edge id %q", d.Reader, *got.ID)
				continue
			}
			seen[*got.ID] = true
		}
		same := got.Source == want.source && got.Target == want.target
		if !directed && !same {
			same = got.Source == want.target && got.Target == want.source
		}
		if !same {
			t.Errorf("%s: edge %s is %s→%s, want %s→%s", d.Reader, want.id, got.Source, got.Target, want.source, want.target)
		}
		compareAttrs(t, d.Reader+" edge "+want.id, got.Attrs, want.attrs, exact, numericOnly)
	}
}

func deref(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// writeTemp writes b to a file in t.TempDir().
func writeTemp(t *testing.T, name string, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runQuiet runs a program and returns its error only.
func runQuiet(prog string, args ...string) error { return exec.Command(prog, args...).Run() }
