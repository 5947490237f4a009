package export

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/collabnet/collabnet/graph"
)

// GEXF 1.3 namespaces and schema location.
const (
	GEXFNamespace      = "http://gexf.net/1.3"
	GEXFVizNamespace   = "http://gexf.net/1.3/viz"
	GEXFSchemaLocation = "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"
)

// GEXF 1.2draft namespaces and schema location (GEXFOptions.Version "1.2"),
// for readers that do not take 1.3, such as NetworkX before 3.6.
const (
	GEXF12Namespace      = "http://www.gexf.net/1.2draft"
	GEXF12VizNamespace   = "http://www.gexf.net/1.2draft/viz"
	GEXF12SchemaLocation = "http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd"
)

// Default viz:size range used when GEXFOptions.MinSize and MaxSize are both 0.
const (
	DefaultMinSize = 10.0
	DefaultMaxSize = 50.0
)

// GEXFOptions configures WriteGEXF. The zero value writes a directed graph
// without viz data or edge weights.
type GEXFOptions struct {
	// Direction is written as <graph defaultedgetype=...>.
	Direction Direction

	// Version is "1.3" (the default when empty) or "1.2" (GEXF 1.2draft: its
	// namespaces and version="1.2"; the elements and attribute types this
	// writer uses are the same in both).
	Version string

	// ColorBy names a node property that sets <viz:color>. Integer values
	// (a community) pick PaletteColor(v): Kelly's 20 colours, grey "other"
	// past them; floating-point values (an average year: VOSviewer's
	// overlay) a colour on the viridis scale from the smallest to the
	// largest value; strings (a kind, a country) a palette colour per
	// distinct value in sorted order (grey beyond the palette). Nodes
	// without the property get no colour. Empty: no colours.
	ColorBy string

	// Lang is the language of the node labels (graph.DisplayName's rule):
	// graph.LangZH (the default when empty) or graph.LangEN.
	Lang string

	// SizeBy names a numeric node property (e.g. "degree"). Its int64 and
	// finite float64 values are scaled linearly from [min, max] over all nodes
	// to [MinSize, MaxSize] (MinSize when min == max) and written as
	// <viz:size>; nodes without such a value get no size. Empty: no sizes.
	SizeBy string
	// MinSize and MaxSize bound viz:size; both 0 means DefaultMinSize (10) and
	// DefaultMaxSize (50). They must satisfy 0 <= MinSize <= MaxSize.
	MinSize, MaxSize float64

	// WeightBy names a numeric edge property (e.g. "weight"). When every value
	// of it is an int64 or a finite float64, it is written as the edge's GEXF
	// weight (edges without it get none, which GEXF reads as 1.0) instead of as
	// an attribute value; otherwise it stays an ordinary attribute. Empty: no
	// weights.
	WeightBy string

	// SpellsBy names a list node and edge property whose values are
	// "from/until" date intervals (YYYY-MM-DD, inclusive): with it the
	// graph is dynamic (mode="dynamic", timeformat="date") and each
	// element gets <spells>, so that Gephi's timeline plays it (GEXF 1.3
	// primer, "Dynamics"; 1.2draft has the same elements). The property
	// is not written as an attribute. Empty: a static graph.
	SpellsBy string
}

var (
	tokAttvalues    = xml.Token(xml.StartElement{Name: name("attvalues")})
	tokAttvaluesEnd = xml.Token(xml.EndElement{Name: name("attvalues")})
	tokAttvalueEnd  = xml.Token(xml.EndElement{Name: name("attvalue")})
)

func gexfType(k valueKind) string {
	switch k.single() {
	case kindInt:
		return "long"
	case kindFloat:
		return "double"
	case kindBool:
		return "boolean"
	case kindList:
		return "liststring"
	}
	return "string"
}

// WriteGEXF writes g to w as GEXF 1.3 (or 1.2draft, see GEXFOptions.Version) in two streaming passes (see the package
// documentation). Node and edge ids are written as GraphMLID(ID), as in
// GraphML. It writes nothing when the first pass fails or the options are
// invalid; it returns ctx.Err() if ctx is cancelled, and the first write error.
func WriteGEXF(ctx context.Context, w io.Writer, g graph.PropGraph, opts GEXFOptions) error {
	minSize, maxSize := opts.MinSize, opts.MaxSize
	if minSize == 0 && maxSize == 0 {
		minSize, maxSize = DefaultMinSize, DefaultMaxSize
	}
	if !(minSize >= 0 && minSize <= maxSize) || math.IsInf(maxSize, 0) {
		return fmt.Errorf("export: invalid viz:size range [%v, %v]", minSize, maxSize)
	}
	ns, vizNS, schema, version := GEXFNamespace, GEXFVizNamespace, GEXFSchemaLocation, "1.3"
	switch opts.Version {
	case "", "1.3":
	case "1.2", "1.2draft":
		ns, vizNS, schema, version = GEXF12Namespace, GEXF12VizNamespace, GEXF12SchemaLocation, "1.2"
	default:
		return fmt.Errorf("export: GEXF version %q: want 1.3 or 1.2", opts.Version)
	}
	sc, err := scanGraph(ctx, g)
	if err != nil {
		return err
	}
	for _, t := range []*keyTable{sc.nodeKeys, sc.edgeKeys} {
		for _, e := range t.sorted {
			e.id = GraphMLID(e.out)
			e.gexfTyp = gexfType(e.kinds)
		}
	}
	colour, err := nodeColours(g, opts.ColorBy, sc.nodeKeys.byName[opts.ColorBy])
	if err != nil {
		return err
	}
	var sizeKey *keyEntry
	if opts.SizeBy != "" {
		sizeKey = sc.nodeKeys.byName[opts.SizeBy]
	}
	if opts.SpellsBy != "" {
		for _, t := range []*keyTable{sc.nodeKeys, sc.edgeKeys} {
			if e := t.byName[opts.SpellsBy]; e != nil {
				e.skip = true
			}
		}
	}
	weightKey := sc.edgeKeys.byName[opts.WeightBy]
	if opts.WeightBy == "" || weightKey == nil || weightKey.kinds&^(kindInt|kindFloat) != 0 || weightKey.nonFinite {
		weightKey = nil
	} else {
		weightKey.skip = true
	}

	x := newXMLWriter(w)
	x.declaration()
	x.tok(xml.StartElement{Name: name("gexf"), Attr: []xml.Attr{
		attr("xmlns", ns),
		attr("xmlns:viz", vizNS),
		attr("xmlns:xsi", xsiNamespace),
		attr("xsi:schemaLocation", schema),
		attr("version", version),
	}})
	x.tok(xml.StartElement{Name: name("meta")})
	x.buf = append(x.buf[:0], "collabnet"...)
	x.textElement(xml.StartElement{Name: name("creator")}, xml.EndElement{Name: name("creator")})
	x.tok(xml.EndElement{Name: name("meta")})
	graphAttrs := []xml.Attr{attr("mode", "static"), attr("defaultedgetype", opts.Direction.String())}
	if opts.SpellsBy != "" {
		graphAttrs = []xml.Attr{attr("mode", "dynamic"), attr("defaultedgetype", opts.Direction.String()), attr("timeformat", "date")}
		if version == "1.3" {
			graphAttrs = append(graphAttrs, attr("timerepresentation", "interval"))
		}
	}
	x.tok(xml.StartElement{Name: name("graph"), Attr: graphAttrs})
	// spells writes an element's <spells> from its SpellsBy property.
	spells := func(props []graph.Prop) {
		if opts.SpellsBy == "" {
			return
		}
		ss, _ := graph.Get(props, opts.SpellsBy).([]string)
		if len(ss) == 0 {
			return
		}
		x.tok(xml.StartElement{Name: name("spells")})
		for _, s := range ss {
			from, until, _ := strings.Cut(s, "/")
			x.tok(xml.StartElement{Name: name("spell"), Attr: []xml.Attr{attr("start", xmlClean(from)), attr("end", xmlClean(until))}})
			x.tok(xml.EndElement{Name: name("spell")})
		}
		x.tok(xml.EndElement{Name: name("spells")})
	}

	declare := func(class string, t *keyTable, extra bool) {
		x.tok(xml.StartElement{Name: name("attributes"), Attr: []xml.Attr{attr("class", class)}})
		one := func(id, title, typ string) {
			x.tok(xml.StartElement{Name: name("attribute"), Attr: []xml.Attr{attr("id", id), attr("title", title), attr("type", typ)}})
			x.tok(xml.EndElement{Name: name("attribute")})
		}
		if extra {
			one(GraphMLLabelsKey, GraphMLLabelsKey, "string")
		}
		for _, e := range t.sorted {
			if !e.skip {
				one(e.id, xmlClean(e.out), e.gexfTyp)
			}
		}
		x.tok(xml.EndElement{Name: name("attributes")})
	}
	declare("node", sc.nodeKeys, true)
	declare("edge", sc.edgeKeys, false)

	attvalue := func(id string) {
		x.tok(xml.StartElement{Name: name("attvalue"), Attr: []xml.Attr{attr("for", id), attr("value", string(x.buf))}})
		x.tok(tokAttvalueEnd)
	}
	// writeAttvalues writes the <attvalues> block; labels may be nil.
	writeAttvalues := func(t *keyTable, labels []string, props []graph.Prop, seq int64) {
		open := false
		opener := func() {
			if !open {
				x.tok(tokAttvalues)
				open = true
			}
		}
		if len(labels) > 0 {
			opener()
			x.buf = appendLabels(x.buf[:0], labels, true)
			attvalue(GraphMLLabelsKey)
		}
		for _, p := range props {
			if p.Value == nil {
				continue
			}
			e := t.byName[p.Key]
			if e.lastSeq == seq || e.skip {
				continue
			}
			e.lastSeq = seq
			opener()
			x.buf = appendValue(x.buf[:0], p.Value, true)
			attvalue(e.id)
		}
		if open {
			x.tok(tokAttvaluesEnd)
		}
	}
	countAttr := func(n int64) []xml.Attr { return []xml.Attr{attr("count", strconv.FormatInt(n, 10))} }

	x.tok(xml.StartElement{Name: name("nodes"), Attr: countAttr(sc.nodes)})
	var seq int64
	g.Nodes(func(n graph.PropNode) bool {
		if seq%ctxEvery == 0 {
			if err = ctx.Err(); err != nil {
				return false
			}
		}
		x.buf = appendXMLSafe(x.buf[:0], displayName(&n, opts.Lang))
		x.attrs = append(x.attrs[:0], attr("id", GraphMLID(n.ID)), attr("label", string(x.buf)))
		x.tok(xml.StartElement{Name: name("node"), Attr: x.attrs})
		writeAttvalues(sc.nodeKeys, n.Labels, n.Props, seq)
		spells(n.Props)
		if opts.ColorBy != "" {
			if r, g, b, ok := colour(graph.Get(n.Props, opts.ColorBy)); ok {
				x.tok(xml.StartElement{Name: name("viz:color"), Attr: []xml.Attr{
					attr("r", strconv.Itoa(int(r))), attr("g", strconv.Itoa(int(g))), attr("b", strconv.Itoa(int(b)))}})
				x.tok(xml.EndElement{Name: name("viz:color")})
			}
		}
		if sizeKey != nil && sizeKey.hasNum {
			var v float64
			ok := true
			switch s := graph.Get(n.Props, opts.SizeBy).(type) {
			case int64:
				v = float64(s)
			case float64:
				v = s
				ok = !math.IsNaN(s) && !math.IsInf(s, 0)
			default:
				ok = false
			}
			if ok {
				size := minSize
				if sizeKey.max > sizeKey.min {
					size = minSize + (v-sizeKey.min)/(sizeKey.max-sizeKey.min)*(maxSize-minSize)
				}
				x.buf = appendFloat(x.buf[:0], size)
				x.tok(xml.StartElement{Name: name("viz:size"), Attr: []xml.Attr{attr("value", string(x.buf))}})
				x.tok(xml.EndElement{Name: name("viz:size")})
			}
		}
		x.tok(tokNodeEnd)
		seq++
		return x.err == nil
	})
	if err != nil {
		return err
	}
	x.tok(xml.EndElement{Name: name("nodes")})

	x.tok(xml.StartElement{Name: name("edges"), Attr: countAttr(sc.edges)})
	seq = 0
	g.Edges(func(e graph.PropEdge) bool {
		if seq%ctxEvery == 0 {
			if err = ctx.Err(); err != nil {
				return false
			}
		}
		x.attrs = x.attrs[:0]
		if e.ID != "" {
			x.attrs = append(x.attrs, attr("id", GraphMLID(e.ID)))
		}
		typ := xmlClean(e.Type)
		x.attrs = append(x.attrs,
			attr("source", GraphMLID(e.From)),
			attr("target", GraphMLID(e.To)),
			attr("label", typ),
			attr("kind", typ))
		if weightKey != nil {
			if v := graph.Get(e.Props, opts.WeightBy); v != nil {
				x.buf = appendValue(x.buf[:0], v, true)
				x.attrs = append(x.attrs, attr("weight", string(x.buf)))
			}
		}
		x.tok(xml.StartElement{Name: name("edge"), Attr: x.attrs})
		writeAttvalues(sc.edgeKeys, nil, e.Props, seq)
		spells(e.Props)
		x.tok(tokEdgeEnd)
		seq++
		return x.err == nil
	})
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	x.tok(xml.EndElement{Name: name("edges")})
	x.tok(xml.EndElement{Name: name("graph")})
	x.tok(xml.EndElement{Name: name("gexf")})
	return x.close()
}

// viridis are five stops of the viridis colour map (matplotlib's default
// sequential map, also VOSviewer's overlay), interpolated linearly.
var viridis = [...][3]float64{{0x44, 0x01, 0x54}, {0x3b, 0x52, 0x8b}, {0x21, 0x91, 0x8c}, {0x5e, 0xc9, 0x62}, {0xfd, 0xe7, 0x25}}

// Viridis returns the colour of t in [0, 1] on the viridis scale.
func Viridis(t float64) (r, g, b uint8) {
	t = math.Max(0, math.Min(1, t))
	x := t * float64(len(viridis)-1)
	i := min(int(x), len(viridis)-2)
	f := x - float64(i)
	c := func(k int) uint8 { return uint8(math.Round(viridis[i][k] + f*(viridis[i+1][k]-viridis[i][k]))) }
	return c(0), c(1), c(2)
}

// nodeColours returns the colour of a value of the ColorBy property (see
// GEXFOptions.ColorBy); string categories take one more pass over the nodes.
func nodeColours(g graph.PropGraph, by string, key *keyEntry) (func(any) (r, gr, b uint8, ok bool), error) {
	cats := map[string]int{}
	if by != "" && key != nil && key.kinds&kindString != 0 {
		var vals []string
		g.Nodes(func(n graph.PropNode) bool {
			if v, ok := graph.Get(n.Props, by).(string); ok {
				if _, seen := cats[v]; !seen {
					cats[v] = 0
					vals = append(vals, v)
				}
			}
			return true
		})
		slices.Sort(vals)
		for i, v := range vals {
			cats[v] = i
		}
	}
	return func(v any) (uint8, uint8, uint8, bool) {
		switch x := v.(type) {
		case int64:
			r, g, b := PaletteColor(x)
			return r, g, b, true
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) || key == nil {
				return 0, 0, 0, false
			}
			t := 0.0
			if key.max > key.min {
				t = (x - key.min) / (key.max - key.min)
			}
			r, g, b := Viridis(t)
			return r, g, b, true
		case string:
			i, ok := cats[x]
			if !ok {
				return 0, 0, 0, false
			}
			r, g, b := PaletteColor(int64(i)) // grey "other" past the palette
			return r, g, b, true
		}
		return 0, 0, 0, false
	}, nil
}
