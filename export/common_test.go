package export

import (
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/collabnet/collabnet/graph"
)

func TestGraphMLID(t *testing.T) {
	for in, want := range map[string]string{
		"org:zgc":        "org:zgc",
		"中关村科技园区":        "中关村科技园区",
		"founded_year":   "founded_year",
		"x_y":            "x_y",
		"a b":            "a_x0020_b",
		weirdID:          weirdEnc,
		"_x0041":         "_x005F_x0041",
		"_x004":          "_x004",
		"a\x01":          "a_x0001_",
		"😀":              "_x0001F600_",
		"Ĳ":              "_x0132_", // a letter in XML 5th edition, not in 4th
		"\u9FA6":         "_x9FA6_",
		"\U000F0000":     "_x000F0000_",
		"bad\xffutf8":    "bad_xFFFD_utf8",
		"":               "",
		"tab\there":      "tab_x0009_here",
		"&<>\"'":         "_x0026__x003C__x003E__x0022__x0027_",
		"annual budget":  "annual_x0020_budget",
		"-.·:0":          "-.·:0",
		"\u00d7 (times)": "_x00D7__x0020__x0028_times_x0029_",
	} {
		if got := GraphMLID(in); got != want {
			t.Errorf("GraphMLID(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzGraphMLID(f *testing.F) {
	for _, s := range []string{"a", "a b", "_x0041_", "_x00", "__x1234", "中 关", "\x00", "😀_x", "_xD800_", "Ĳ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" || !utf8.ValidString(s) {
			return
		}
		enc := GraphMLID(s)
		for _, r := range enc {
			if !isNameChar(r) {
				t.Fatalf("GraphMLID(%q) = %q contains %q", s, enc, r)
			}
		}
		dec, err := DecodeGraphMLID(enc)
		if err != nil || dec != s {
			t.Fatalf("DecodeGraphMLID(GraphMLID(%q)) = %q, %v", s, dec, err)
		}
	})
}

// randomString mixes the troublesome cases: controls, spaces, markup, CJK,
// astral, escape look-alikes, invalid UTF-8.
func randomString(r *rand.Rand) string {
	pieces := []string{"a", "Z", "0", "_", "_x", "_x00", "_x0041_", " ", "\t", "\x01", "\x7f", "&", "<", ">", "\"", "'",
		"中", "关", "村", "😀", "\U000F0001", "é", "\u0300", "/", "#", "%", ":", "-", ".", "\xff", "\uFFFE", "\u2028"}
	var b strings.Builder
	for n := 1 + r.Intn(8); n > 0; n-- {
		b.WriteString(pieces[r.Intn(len(pieces))])
	}
	return b.String()
}

// TestRandomNamesValidate writes random IDs, property names and values and
// lets xmllint judge the result against the GraphML schema (NMTOKEN ids and
// attr.names, legal characters), and the GEXF schema.
func TestRandomNamesValidate(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	g := &sliceGraph{}
	seen := map[string]bool{}
	for len(g.nodes) < 300 {
		id := randomString(r)
		if seen[GraphMLID(id)] { // invalid UTF-8 variants may collide
			continue
		}
		seen[GraphMLID(id)] = true
		g.nodes = append(g.nodes, graph.PropNode{ID: id, Labels: []string{randomString(r)}, Props: []graph.Prop{
			p(randomString(r), randomString(r)), p("name", randomString(r)), p(randomString(r), []string{randomString(r)}),
		}})
	}
	for i := 0; i < 300; i++ {
		a, b := g.nodes[r.Intn(len(g.nodes))], g.nodes[r.Intn(len(g.nodes))]
		g.edges = append(g.edges, graph.PropEdge{ID: fmt.Sprint("e", i, randomString(r)), From: a.ID, To: b.ID, Type: randomString(r),
			Props: []graph.Prop{p(randomString(r), randomString(r))}})
	}
	// Property names "labels"/"label" would be rejected; the generator cannot
	// produce them, but make sure.
	for _, n := range g.nodes {
		for _, pr := range n.Props {
			if pr.Key == "labels" {
				t.Skip("generator produced a reserved name")
			}
		}
	}
	xmllintValidate(t, "testdata/schema/graphml/graphml.xsd", writeTemp(t, "random.graphml", writeGraphML(t, g, GraphMLOptions{})))
	xmllintValidate(t, "testdata/schema/gexf13/gexf.xsd", writeTemp(t, "random.gexf", gexfForXSD(writeGEXF(t, g, GEXFOptions{}))))
}

// RenameReserved: "id" becomes "key", other reserved names (any case) get
// "_prop", a taken replacement gets a number, and the result does not depend
// on the order of the names.
func TestRenameReserved(t *testing.T) {
	names := []string{"label_prop", "Label", "name", "id", "key"}
	want := map[string]string{"label_prop": "label_prop", "Label": "Label_prop_2", "name": "name", "id": "key_2", "key": "key"}
	for _, order := range [][]string{names, {"key", "id", "name", "Label", "label_prop"}} {
		got := RenameReserved(order, ReservedNodeNames)
		for i, n := range order {
			if got[i] != want[n] {
				t.Errorf("order %v: %s -> %s, want %s", order, n, got[i], want[n])
			}
		}
	}
	if got := RenameReserved([]string{"SUID", "shared name", "weight"}, ReservedEdgeNames); got[0] != "SUID_prop" || got[1] != "shared name_prop" || got[2] != "weight" {
		t.Errorf("edge names: %v", got)
	}
}

// DecodeGraphMLID (the tests' check that GraphMLID is injective) inverts
// [GraphMLID]: every _xHHHH_ and _xHHHHHHHH_ sequence
// becomes its code point; anything else is copied.
func DecodeGraphMLID(s string) (string, error) {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		if r, n, ok := escapeAt(s, i); ok {
			if !utf8.ValidRune(r) {
				return "", fmt.Errorf("export: %q: escape at byte %d is no valid code point", s, i)
			}
			b = utf8.AppendRune(b, r)
			i += n
			continue
		}
		b = append(b, s[i])
		i++
	}
	return string(b), nil
}

// escapeAt parses an _xHHHH_ or _xHHHHHHHH_ escape at s[i:].
func escapeAt(s string, i int) (rune, int, bool) {
	if i+2 > len(s) || s[i] != '_' || s[i+1] != 'x' {
		return 0, 0, false
	}
	for _, n := range [...]int{4, 8} {
		end := i + 2 + n
		if end >= len(s) || s[end] != '_' {
			continue
		}
		ok := true
		for j := i + 2; j < end; j++ {
			ok = ok && isHex(s[j])
		}
		if !ok {
			continue
		}
		v, err := strconv.ParseUint(s[i+2:end], 16, 32)
		if err != nil {
			continue
		}
		return rune(v), end + 1 - i, true
	}
	return 0, 0, false
}
