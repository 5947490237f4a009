package export

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/internal/palette"
)

// Direction is the default edge direction written to GraphML (edgedefault) and
// GEXF (defaultedgetype). The zero value is Directed: the full property graph
// is directed; the organisation and country networks are undirected.
type Direction int

const (
	Directed Direction = iota
	Undirected
)

func (d Direction) String() string {
	if d == Undirected {
		return "undirected"
	}
	return "directed"
}

// valueKind is a bit set of the Go types seen for one property name.
type valueKind uint8

const (
	kindString valueKind = 1 << iota
	kindInt
	kindFloat
	kindBool
	kindList
)

func kindOf(v any) (valueKind, bool) {
	switch v.(type) {
	case string:
		return kindString, true
	case int64:
		return kindInt, true
	case float64:
		return kindFloat, true
	case bool:
		return kindBool, true
	case []string:
		return kindList, true
	}
	return 0, false
}

// single reports the only kind in k, or 0 when k is empty or mixed.
func (k valueKind) single() valueKind {
	if k != 0 && k&(k-1) == 0 {
		return k
	}
	return 0
}

// keyEntry is what the first pass learns about one property name in one
// domain. It is the only state the writers keep, O(distinct names).
type keyEntry struct {
	name  string
	kinds valueKind
	// Numeric statistics over int64 and finite float64 values.
	hasNum   bool
	min, max float64
	// nonFinite is set when some float64 value is NaN or ±Inf.
	nonFinite bool

	// out is the name written to the file: name, or its replacement when a
	// reader reserves name (see [RenameReserved]).
	out string

	// Filled in by each writer after the first pass.
	id      string // key / attribute id
	attr    string // GraphML attr.name
	start   any    // pre-boxed xml.StartElement for <data key=id>
	lastSeq int64  // element sequence number of the last use (duplicate detection)
	col     int    // CSV column
	gexfTyp string // GEXF attribute type
	skip    bool   // not written as a regular attribute (GEXF weight)
}

type keyTable struct {
	byName   map[string]*keyEntry
	sorted   []*keyEntry
	reserved []string // ReservedNodeNames or ReservedEdgeNames
}

func newKeyTable(reserved []string) *keyTable {
	return &keyTable{byName: make(map[string]*keyEntry), reserved: reserved}
}

// observe records one property value; seq identifies the element so that a
// repeated key within one element is seen once (the first value wins).
func (t *keyTable) observe(name string, v any, seq int64) (bool, error) {
	k, ok := kindOf(v)
	if !ok {
		return false, fmt.Errorf("unsupported value type %T", v)
	}
	e := t.byName[name]
	if e == nil {
		e = &keyEntry{name: name, lastSeq: -1}
		t.byName[name] = e
	}
	if e.lastSeq == seq {
		return false, nil
	}
	e.lastSeq = seq
	e.kinds |= k
	var f float64
	switch x := v.(type) {
	case int64:
		f = float64(x)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			e.nonFinite = true
			return true, nil
		}
		f = x
	default:
		return true, nil
	}
	if !e.hasNum {
		e.hasNum, e.min, e.max = true, f, f
	} else {
		e.min, e.max = math.Min(e.min, f), math.Max(e.max, f)
	}
	return true, nil
}

func (t *keyTable) finish() {
	t.sorted = t.sorted[:0]
	names := make([]string, 0, len(t.byName))
	for n, e := range t.byName {
		e.lastSeq = -1
		t.sorted = append(t.sorted, e)
		names = append(names, n)
	}
	out := RenameReserved(names, t.reserved)
	for i, n := range names {
		t.byName[n].out = out[i]
	}
	sort.Slice(t.sorted, func(i, j int) bool { return t.sorted[i].out < t.sorted[j].out })
}

// keepNames undoes RenameReserved (GraphMLOptions.KeepNames); the names in
// fixed are still refused.
func (t *keyTable) keepNames(domain string, fixed ...string) error {
	for _, n := range fixed {
		if t.byName[n] != nil {
			return fmt.Errorf("export: %s property name %q is reserved by this format", domain, n)
		}
	}
	for _, e := range t.sorted {
		e.out = e.name
	}
	sort.Slice(t.sorted, func(i, j int) bool { return t.sorted[i].name < t.sorted[j].name })
	return nil
}

// Property names that a reader of the exports, or the export formats
// themselves, reserve. Matching ignores case (Gephi's columns are "Id" and
// "Label"; Cytoscape's "SUID"). Nodes:
//
//   - id: igraph's GraphML reader stores the node id in the vertex attribute
//     "id" and drops it when a data key is named so (RuntimeWarning "Could not
//     add vertex ids"); apoc.import.graphml with storeNodeIds stores it in the
//     property id; Gephi's Id column; the CSV id column.
//   - label: NetworkX's GEXF reader overwrites it with the node's label
//     (display name); Gephi's Label column.
//   - labels: the node labels (GraphML key and GEXF attribute "labels", the
//     CSV labels column, read by apoc.import.graphml with readLabels).
//   - viz: NetworkX's GEXF reader puts colour and size there.
//   - SUID, shared name, selected: Cytoscape's own node columns.
//
// Edges:
//
//   - id: NetworkX (GraphML and GEXF) and igraph store the edge id there;
//     Gephi's Id column; the CSV id column.
//   - label: the relationship type (GraphML key read by apoc.import.graphml,
//     GEXF label); NetworkX's GEXF reader and Gephi's Label column.
//   - source, target, type: the CSV columns; Gephi's Source, Target, Type.
//   - networkx_key: NetworkX's GEXF reader takes it as the multigraph key.
//   - SUID, shared name, shared interaction, interaction, selected:
//     Cytoscape's own edge columns.
//
// yEd reserves no attribute names (it keeps its own graphics under
// yfiles.type keys). "name" (Cytoscape's and igraph's display name) and
// "weight" (Gephi's, igraph's and NetworkX's edge weight) are not renamed:
// they mean there what they mean here.
var (
	ReservedNodeNames = []string{"id", "label", "labels", "viz", "SUID", "shared name", "selected"}
	ReservedEdgeNames = []string{"id", "label", "source", "target", "type", "networkx_key",
		"SUID", "shared name", "shared interaction", "interaction", "selected"}
)

// RenameReserved returns the names to write for the property names of one
// domain: "id" becomes "key" (an element's own key within its kind, beside
// the graph-wide id), and any other name in reserved (compared without case)
// becomes name + "_prop". A replacement that is already taken by another
// name gets "_2", "_3", ... appended, so the result has no duplicates and is
// the same for the same set of names, whatever their order. Names that are
// not reserved are returned unchanged. Every writer of this package applies
// it (GraphMLOptions.KeepNames turns it off for GraphML).
func RenameReserved(names, reserved []string) []string {
	out := make([]string, len(names))
	taken := make(map[string]bool, len(names))
	isReserved := func(n string) bool {
		for _, r := range reserved {
			if strings.EqualFold(n, r) {
				return true
			}
		}
		return false
	}
	for _, n := range names {
		if !isReserved(n) {
			taken[strings.ToLower(n)] = true
		}
	}
	// Sorted, so that collisions resolve the same way in every run.
	order := make([]int, len(names))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return names[order[a]] < names[order[b]] })
	for _, i := range order {
		n := names[i]
		if !isReserved(n) {
			out[i] = n
			continue
		}
		base := n + "_prop"
		if strings.EqualFold(n, "id") {
			base = "key"
		}
		cand := base
		for k := 2; taken[strings.ToLower(cand)] || isReserved(cand); k++ {
			cand = base + "_" + strconv.Itoa(k)
		}
		taken[strings.ToLower(cand)] = true
		out[i] = cand
	}
	return out
}

// scanResult is the outcome of the first pass.
type scanResult struct {
	nodeKeys, edgeKeys *keyTable
	nodes, edges       int64
}

// ctxEvery is how many elements are processed between context checks.
const ctxEvery = 1024

// scanGraph is the first pass: it validates every element and builds the key
// tables. It keeps nothing per element.
func scanGraph(ctx context.Context, g graph.PropGraph) (*scanResult, error) {
	if g == nil {
		return nil, errors.New("export: nil graph")
	}
	r := &scanResult{nodeKeys: newKeyTable(ReservedNodeNames), edgeKeys: newKeyTable(ReservedEdgeNames)}
	var err error
	g.Nodes(func(n graph.PropNode) bool {
		if r.nodes%ctxEvery == 0 {
			if err = ctx.Err(); err != nil {
				return false
			}
		}
		seq := r.nodes
		r.nodes++
		if n.ID == "" {
			err = fmt.Errorf("export: node #%d has an empty ID", seq)
			return false
		}
		for _, p := range n.Props {
			if p.Value == nil {
				continue
			}
			if p.Key == "" {
				err = fmt.Errorf("export: node %q has a property with an empty name", n.ID)
				return false
			}
			if _, e := r.nodeKeys.observe(p.Key, p.Value, seq); e != nil {
				err = fmt.Errorf("export: node %q property %q: %w", n.ID, p.Key, e)
				return false
			}
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	g.Edges(func(e graph.PropEdge) bool {
		if r.edges%ctxEvery == 0 {
			if err = ctx.Err(); err != nil {
				return false
			}
		}
		seq := r.edges
		r.edges++
		switch {
		case e.From == "" || e.To == "":
			err = fmt.Errorf("export: edge #%d (%q) has an empty endpoint", seq, e.ID)
		case e.Type == "":
			err = fmt.Errorf("export: edge #%d (%q) has no type", seq, e.ID)
		}
		if err != nil {
			return false
		}
		for _, p := range e.Props {
			if p.Value == nil {
				continue
			}
			if p.Key == "" {
				err = fmt.Errorf("export: edge %q has a property with an empty name", e.ID)
				return false
			}
			if _, e2 := r.edgeKeys.observe(p.Key, p.Value, seq); e2 != nil {
				err = fmt.Errorf("export: edge %q property %q: %w", e.ID, p.Key, e2)
				return false
			}
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.nodeKeys.finish()
	r.edgeKeys.finish()
	return r, nil
}

// ---- text forms ----

// appendFloat writes f in the form documented in the package comment.
func appendFloat(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "NaN"...)
	case math.IsInf(f, 1):
		return append(b, "Infinity"...)
	case math.IsInf(f, -1):
		return append(b, "-Infinity"...)
	}
	a := math.Abs(f)
	if a != 0 && (a < 1e-6 || a >= 1e21) {
		return strconv.AppendFloat(b, f, 'e', -1, 64)
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64)
}

// appendValue appends the text form of v. With xmlSafe, strings are cleaned
// for XML (see appendXMLSafe); otherwise only invalid UTF-8 inside JSON lists
// is replaced (JSON must be valid UTF-8).
func appendValue(b []byte, v any, xmlSafe bool) []byte {
	switch x := v.(type) {
	case string:
		if xmlSafe {
			return appendXMLSafe(b, x)
		}
		return append(b, x...)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case float64:
		return appendFloat(b, x)
	case bool:
		return strconv.AppendBool(b, x)
	case []string:
		return appendJSONList(b, x, xmlSafe)
	}
	return b
}

// appendJSONList writes items as a compact JSON array of strings without HTML
// escaping. With xmlSafe, XML-illegal characters are dropped from the items
// first (so the XML and the decoded JSON agree); invalid UTF-8 is always
// replaced by U+FFFD.
func appendJSONList(b []byte, items []string, xmlSafe bool) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '[')
	for i, s := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		for j := 0; j < len(s); {
			r, size := utf8.DecodeRuneInString(s[j:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, "\uFFFD"...)
				j++
				continue
			}
			j += size
			if xmlSafe && !isXMLChar(r) {
				continue
			}
			switch {
			case r == '"':
				b = append(b, '\\', '"')
			case r == '\\':
				b = append(b, '\\', '\\')
			case r == '\n':
				b = append(b, '\\', 'n')
			case r == '\r':
				b = append(b, '\\', 'r')
			case r == '\t':
				b = append(b, '\\', 't')
			case r < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[r>>4], hex[r&0xF])
			default:
				b = utf8.AppendRune(b, r)
			}
		}
		b = append(b, '"')
	}
	return append(b, ']')
}

// appendLabels writes ":A:B" (empty when there are no labels).
func appendLabels(b []byte, labels []string, xmlSafe bool) []byte {
	for _, l := range labels {
		b = append(b, ':')
		if xmlSafe {
			b = appendXMLSafe(b, l)
		} else {
			b = append(b, l...)
		}
	}
	return b
}

// displayName is the node's label in lang by graph's one display-name rule:
// its "caption" (LangZH) or "caption_en" property when the graph carries
// them (graph.View does), else graph.Caption over its first label, its own
// key (the "id" or "code" property, else the node ID) and its properties.
// It is never empty.
func displayName(n *graph.PropNode, lang string) string {
	k := "caption"
	if lang == graph.LangEN {
		k = "caption_en"
	}
	if s, ok := graph.Get(n.Props, k).(string); ok && s != "" {
		return s
	}
	label := ""
	if len(n.Labels) > 0 {
		label = n.Labels[0]
	}
	key := n.ID
	for _, p := range []string{"id", "code"} {
		if s, ok := graph.Get(n.Props, p).(string); ok && s != "" {
			key = s
			break
		}
	}
	return graph.Caption(lang, label, key, n.Props)
}

// ---- XML character cleaning ----

// isXMLChar reports whether r is allowed in XML 1.0 documents (production Char).
func isXMLChar(r rune) bool {
	switch {
	case r == 0x9 || r == 0xA || r == 0xD:
		return true
	case r >= 0x20 && r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return true
	case r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}

// xmlClean returns s with invalid UTF-8 replaced by U+FFFD and XML-illegal
// characters removed. It does not allocate when s is already clean.
func xmlClean(s string) string {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || !isXMLChar(r) {
			return string(appendXMLSafe(make([]byte, 0, len(s)+2), s))
		}
		i += size
	}
	return s
}

// appendXMLSafe appends s cleaned as by xmlClean.
func appendXMLSafe(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\uFFFD"...)
			i++
			start = i
			continue
		}
		if !isXMLChar(r) {
			b = append(b, s[start:i]...)
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(b, s[start:]...)
}

// ---- NMTOKEN encoding ----

// isNameChar reports whether r may appear in an xs:NMTOKEN under both XML 1.0
// fourth edition (Appendix B, what libxml2 checks) and fifth edition rules.
func isNameChar(r rune) bool {
	if r < utf8.RuneSelf {
		return isNameChar5(r)
	}
	return isNameChar5(r) && isNameChar4(r)
}

// isNameChar5 reports whether r is an XML 1.0 (fifth edition) NameChar.
func isNameChar5(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	case r == ':' || r == '_' || r == '-' || r == '.' || r == 0xB7:
		return true
	case r < 0xC0:
		return false
	case r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x37D:
		return true // includes the combining marks 0x300-0x36F
	case r >= 0x37F && r <= 0x1FFF, r == 0x200C, r == 0x200D, r == 0x203F, r == 0x2040:
		return true
	case r >= 0x2070 && r <= 0x218F, r >= 0x2C00 && r <= 0x2FEF, r >= 0x3001 && r <= 0xD7FF:
		return true
	case r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFFD, r >= 0x10000 && r <= 0xEFFFF:
		return true
	}
	return false
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// escapesAt reports whether s[i:] starts with "_x" and four hex digits, the
// prefix of an escape sequence; a literal '_' there must itself be escaped.
func escapesAt(s string, i int) bool {
	if i+6 > len(s) || s[i] != '_' || s[i+1] != 'x' {
		return false
	}
	return isHex(s[i+2]) && isHex(s[i+3]) && isHex(s[i+4]) && isHex(s[i+5])
}

// GraphMLID returns s as an xs:NMTOKEN, the type GraphML gives to node, edge
// and key ids and to attr.name. Strings made only of XML name characters (ASCII
// letters and digits, '_', '-', '.', ':', and the non-ASCII letters, digits and
// marks that both the fourth and the fifth edition of XML 1.0 allow, which
// include accented Latin, Greek, Cyrillic, CJK ideographs U+4E00-U+9FA5, kana
// and Hangul) are returned unchanged, except that an '_' followed by "x" and four hex digits
// is escaped as _x005F_. Every other character becomes _xHHHH_ (or _xHHHHHHHH_
// beyond the BMP) with its code point in upper-case hex, in the manner of
// .NET's XmlConvert.EncodeNmToken, so "org/a b" becomes "org_x002F_a_x0020_b".
// Invalid UTF-8 becomes _xFFFD_. For valid UTF-8 the encoding is injective and replacing each _xHHHH_ by its code point inverts it. The empty
// string, which is no NMTOKEN, is returned unchanged (the writers reject empty
// IDs and names).
func GraphMLID(s string) string {
	clean := true
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || !isNameChar(r) || (r == '_' && escapesAt(s, i)) {
			clean = false
			break
		}
		i += size
	}
	if clean {
		return s
	}
	b := make([]byte, 0, len(s)+16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, "_xFFFD_"...)
		case r == '_' && escapesAt(s, i):
			b = append(b, "_x005F_"...)
		case isNameChar(r):
			b = append(b, s[i:i+size]...)
		case r > 0xFFFF:
			b = fmt.Appendf(b, "_x%08X_", r)
		default:
			b = fmt.Appendf(b, "_x%04X_", r)
		}
		i += size
	}
	return string(b)
}

// ---- colour palette (internal/palette) ----

// PaletteSize is the number of community colours (palette.Kelly).
const PaletteSize = palette.Size

// PaletteColor returns the colour of integer class v (a community number;
// communities are numbered from 0 by decreasing size): Kelly's colours of
// maximum contrast (internal/palette, Kelly 1965) for 0 <= v < PaletteSize,
// the pale grey palette.Other for every class past them (and negative
// ones), which legends call "other". The report uses the same colours.
func PaletteColor(v int64) (r, g, b uint8) {
	c := palette.Community(v)
	return c.R, c.G, c.B
}
