package analysis

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// The streaming writer formats numbers and strings as encoding/json does,
// so the output of analyze --format json keeps its bytes.
func TestJSONScalarsMatchEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	floats := []float64{0, -0.0, 1, -1, 0.1, 1e-6, 9.99e-7, 1e-7, 1e-300, 5e-324, 1e20, 1e21, 123456789012345678901234.0, math.MaxFloat64, 0.0012383220277207279}
	for range 2000 {
		floats = append(floats, math.Float64frombits(r.Uint64()), r.Float64()*math.Pow(10, float64(r.IntN(60)-30)))
	}
	for _, f := range floats {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		want, _ := json.Marshal(f)
		if got := appendJSONFloat(nil, f); string(got) != string(want) {
			t.Errorf("%v: got %s, encoding/json %s", f, got, want)
		}
	}
	for _, s := range []string{"", "plain", `a "quoted" \ back`, "tab\tnew\nline\rcr\bbs\fff\x00\x01\x1f\x7f", "<html> & 'q'",
		"中关村 Zhōngguāncūn", "\u2028\u2029", "bad \xff\xfe utf8 \xe4\xb8", "emoji 🙂"} {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.Encode(s)
		if got, want := string(appendJSONString(nil, s)), strings.TrimSuffix(b.String(), "\n"); got != want {
			t.Errorf("%q: got %s, encoding/json %s", s, got, want)
		}
	}
}

// --pretty is encoding/json's indentation of the compact output, and both
// read back as the same document.
func TestWriteJSONPrettyIsIndentedCompact(t *testing.T) {
	one := 3
	f := 0.25
	l := &Level{Level: "country", Measures: []Measure{Degree, Closeness, Betweenness, Community},
		Graph:   GraphFigures{GraphShape: GraphShape{Nodes: 2, Edges: 1, TotalWeight: 2.5}, Modularity: 0.1, Communities: 2},
		Sampled: map[Measure]int{Closeness: 1},
		Nodes: []NodeScore{{ID: "DE", Name: "德国", NameEN: "Germany", Country: "DE",
			Values:   map[Measure]float64{Degree: 1, Closeness: math.NaN(), Betweenness: 1e-9, Community: 1},
			Partners: &one, LinkStrength: &f, Domestic: &f, InternationalShare: &f},
			{ID: "FR", Name: "法国 \"x\"", Country: "FR", Values: map[Measure]float64{Degree: 1, Closeness: 0.5, Betweenness: 0, Community: 0}}},
		Edges:    TiesOf(Tie{Source: "DE", Target: "FR", Weight: 2.5, Normalized: &f, Agreements: 2}, Tie{Source: "DE", Target: "IT", Weight: 1}),
		Warnings: []string{"w <1>"}, Unlocated: 4}
	var compact, pretty, indented bytes.Buffer
	if err := l.WriteJSON(&compact, false); err != nil {
		t.Fatal(err)
	}
	if err := l.WriteJSON(&pretty, true); err != nil {
		t.Fatal(err)
	}
	if err := json.Indent(&indented, compact.Bytes(), "", "  "); err != nil {
		t.Fatalf("compact output is not JSON: %v\n%s", err, compact.String())
	}
	if indented.String() != pretty.String() {
		t.Errorf("pretty output differs from the indented compact one:\n%s\nwant\n%s", pretty.String(), indented.String())
	}
	var doc map[string]any
	if err := json.Unmarshal(compact.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	n0 := doc["nodes"].([]any)[0].(map[string]any)
	if n0["closeness"] != nil || n0["betweenness"] != 1e-9 || n0["partners"] != 3.0 || n0["name_en"] != "Germany" {
		t.Errorf("first node read back as %v", n0)
	}
	if _, ok := doc["nodes"].([]any)[1].(map[string]any)["name_en"]; ok {
		t.Error("an empty English name is written")
	}
	e0 := doc["edges"].([]any)[0].(map[string]any)
	if e0["normalized"] != 0.25 || e0["agreements"] != 2.0 {
		t.Errorf("first tie read back as %v", e0)
	}
	if _, ok := doc["edges"].([]any)[1].(map[string]any)["normalized"]; ok {
		t.Error("a tie without a normalised weight has one")
	}
	if doc["unlocated"] != 4.0 || doc["sampled"].(map[string]any)["closeness"] != 1.0 || doc["graph"].(map[string]any)["modularity"] != 0.1 {
		t.Errorf("level figures read back as %v", doc)
	}
}
