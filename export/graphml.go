package export

import (
	"context"
	"encoding/xml"
	"io"

	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/internal/palette"
)

// GraphML namespaces and the standard schema location.
const (
	GraphMLNamespace      = "http://graphml.graphdrawing.org/xmlns"
	GraphMLSchemaLocation = "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
	xsiNamespace          = "http://www.w3.org/2001/XMLSchema-instance"
)

// Reserved GraphML key ids (and attr.names) read by apoc.import.graphml with
// readLabels:true.
const (
	GraphMLLabelsKey = "labels" // node labels, ":A:B"
	GraphMLTypeKey   = "label"  // relationship type, first data element of an edge
)

// GraphMLOptions configures WriteGraphML. The zero value writes a directed
// graph that validates against the GraphML 1.0 schema.
type GraphMLOptions struct {
	// Direction is written as <graph edgedefault=...>.
	Direction Direction
	// APOCListHint adds attr.list="string" to keys whose values are all lists,
	// so that apoc.import.graphml stores them as string arrays rather than as
	// JSON text. attr.list is an APOC extension that the GraphML schema does not
	// allow: with this option the output no longer validates.
	APOCListHint bool
	// KeepNames writes property names as they are, without [RenameReserved]:
	// for apoc.import.graphml back into collabnet's own Neo4j model (without
	// storeNodeIds), whose nodes keep their "id". A node property named
	// "labels" or an edge property named "label" is then an error.
	KeepNames bool
	// Lang is the language of the node labels: graph.LangZH (the default
	// when empty) or graph.LangEN; see the "label" key below.
	Lang string
	// ColorBy names an integer node property (e.g. "community"): a node
	// whose value is an int64 v gets a "color" data value, PaletteColor(v)
	// as "#rrggbb", the colour GEXF and the report give it (Cytoscape: a
	// passthrough mapping of the column to Fill Color; yEd: Edit > Properties
	// Mapper). Empty: no colours.
	ColorBy string
}

// Node keys that every GraphML file has besides the properties (not with
// KeepNames or APOCListHint, whose files go back into Neo4j): the display name, by
// graph.DisplayName's rule in GraphMLOptions.Lang, under attr.name "label",
// which Gephi shows as the node's Label (the same text is the node's desc);
// and with ColorBy the node's colour.
const (
	GraphMLNodeLabelKey = "node_label"
	GraphMLNodeColorKey = "node_color"
)

var (
	tokDataEnd = xml.Token(xml.EndElement{Name: name("data")})
	tokDesc    = xml.Token(xml.StartElement{Name: name("desc")})
	tokDescEnd = xml.Token(xml.EndElement{Name: name("desc")})
	tokNodeEnd = xml.Token(xml.EndElement{Name: name("node")})
	tokEdgeEnd = xml.Token(xml.EndElement{Name: name("edge")})
	tokLabels  = xml.Token(xml.StartElement{Name: name("data"), Attr: []xml.Attr{attr("key", GraphMLLabelsKey)}})
	tokType    = xml.Token(xml.StartElement{Name: name("data"), Attr: []xml.Attr{attr("key", GraphMLTypeKey)}})
)

func graphMLType(k valueKind) string {
	switch k.single() {
	case kindInt:
		return "long"
	case kindFloat:
		return "double"
	case kindBool:
		return "boolean"
	}
	return "string"
}

// WriteGraphML writes g to w as GraphML in two streaming passes (see the
// package documentation for the exact format). It writes nothing when the
// first pass fails; it returns ctx.Err() if ctx is cancelled, and the first
// write error of w.
func WriteGraphML(ctx context.Context, w io.Writer, g graph.PropGraph, opts GraphMLOptions) error {
	sc, err := scanGraph(ctx, g)
	if err != nil {
		return err
	}
	if opts.KeepNames {
		if err := sc.nodeKeys.keepNames("node", GraphMLLabelsKey); err != nil {
			return err
		}
		if err := sc.edgeKeys.keepNames("edge", GraphMLTypeKey); err != nil {
			return err
		}
	}
	for _, t := range []struct {
		tab    *keyTable
		prefix string
	}{{sc.nodeKeys, "n_"}, {sc.edgeKeys, "e_"}} {
		for _, e := range t.tab.sorted {
			e.attr = GraphMLID(e.out)
			e.id = t.prefix + e.attr
			e.start = xml.StartElement{Name: name("data"), Attr: []xml.Attr{attr("key", e.id)}}
		}
	}

	x := newXMLWriter(w)
	x.declaration()
	root := xml.StartElement{Name: name("graphml"), Attr: []xml.Attr{
		attr("xmlns", GraphMLNamespace),
		attr("xmlns:xsi", xsiNamespace),
		attr("xsi:schemaLocation", GraphMLSchemaLocation),
	}}
	x.tok(root)

	key := func(id, domain, attrName, typ string, list bool) {
		a := []xml.Attr{attr("id", id), attr("for", domain), attr("attr.name", attrName), attr("attr.type", typ)}
		if list {
			a = append(a, attr("attr.list", "string"))
		}
		x.tok(xml.StartElement{Name: name("key"), Attr: a})
		x.tok(xml.EndElement{Name: name("key")})
	}
	key(GraphMLLabelsKey, "node", GraphMLLabelsKey, "string", false)
	extra := !opts.KeepNames && !opts.APOCListHint
	colorBy := ""
	if extra {
		key(GraphMLNodeLabelKey, "node", "label", "string", false)
		if colorBy = opts.ColorBy; colorBy != "" {
			key(GraphMLNodeColorKey, "node", "color", "string", false)
		}
	}
	tokNodeLabel := xml.Token(xml.StartElement{Name: name("data"), Attr: []xml.Attr{attr("key", GraphMLNodeLabelKey)}})
	tokNodeColor := xml.Token(xml.StartElement{Name: name("data"), Attr: []xml.Attr{attr("key", GraphMLNodeColorKey)}})
	for _, e := range sc.nodeKeys.sorted {
		key(e.id, "node", e.attr, graphMLType(e.kinds), opts.APOCListHint && e.kinds.single() == kindList)
	}
	key(GraphMLTypeKey, "edge", GraphMLTypeKey, "string", false)
	for _, e := range sc.edgeKeys.sorted {
		key(e.id, "edge", e.attr, graphMLType(e.kinds), opts.APOCListHint && e.kinds.single() == kindList)
	}

	x.tok(xml.StartElement{Name: name("graph"), Attr: []xml.Attr{attr("edgedefault", opts.Direction.String())}})

	writeProps := func(t *keyTable, props []graph.Prop, seq int64) {
		for _, p := range props {
			if p.Value == nil {
				continue
			}
			e := t.byName[p.Key]
			if e.lastSeq == seq {
				continue // repeated key in one element: first value wins
			}
			e.lastSeq = seq
			x.buf = appendValue(x.buf[:0], p.Value, true)
			x.textElement(e.start, tokDataEnd)
		}
	}

	var seq int64
	g.Nodes(func(n graph.PropNode) bool {
		if seq%ctxEvery == 0 {
			if err = ctx.Err(); err != nil {
				return false
			}
		}
		x.attrs = append(x.attrs[:0], attr("id", GraphMLID(n.ID)))
		x.tok(xml.StartElement{Name: name("node"), Attr: x.attrs})
		label := displayName(&n, opts.Lang)
		x.buf = appendXMLSafe(x.buf[:0], label)
		x.textElement(tokDesc, tokDescEnd)
		if len(n.Labels) > 0 {
			x.buf = appendLabels(x.buf[:0], n.Labels, true)
			x.textElement(tokLabels, tokDataEnd)
		}
		if extra {
			x.buf = appendXMLSafe(x.buf[:0], label)
			x.textElement(tokNodeLabel, tokDataEnd)
			if v, ok := graph.Get(n.Props, colorBy).(int64); ok && colorBy != "" {
				x.buf = append(x.buf[:0], palette.CommunityHex(v)...)
				x.textElement(tokNodeColor, tokDataEnd)
			}
		}
		writeProps(sc.nodeKeys, n.Props, seq)
		x.tok(tokNodeEnd)
		seq++
		return x.err == nil
	})
	if err != nil {
		return err
	}
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
		x.attrs = append(x.attrs,
			attr("source", GraphMLID(e.From)),
			attr("target", GraphMLID(e.To)))
		x.tok(xml.StartElement{Name: name("edge"), Attr: x.attrs})
		// The type must be the first child for APOC (see package doc).
		x.buf = appendXMLSafe(x.buf[:0], e.Type)
		x.textElement(tokType, tokDataEnd)
		writeProps(sc.edgeKeys, e.Props, seq)
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
	x.tok(xml.EndElement{Name: name("graph")})
	x.tok(xml.EndElement{Name: name("graphml")})
	return x.close()
}
