// Package export writes a [graph.PropGraph] as GraphML, GEXF 1.3 or CSV.
//
// # Streaming
//
// Every writer makes two passes over the graph's re-iterable iterators. The
// first pass looks at every node and edge and builds the key table: one entry
// per property name and domain (node or edge) with the set of value types seen,
// plus a few scalars (counts, the min/max of the GEXF size property). The
// second pass writes. Nothing is kept per element, so the memory used is
// O(number of distinct property names) whatever the number of nodes and edges,
// and nothing is written before the first pass has validated the whole graph
// (so a graph that cannot be exported leaves the writer untouched).
//
// Consequences of not keeping per-element state: node ID uniqueness and the
// existence of edge endpoints are part of the PropGraph contract and are not
// checked here.
//
// # Values
//
// Property values are string, int64, float64, bool, []string or nil (absent,
// skipped). Any other type is an error. Within one domain a property name gets
// one declared type: int64 → long (GEXF long), float64 → double, bool →
// boolean, string → string, []string → string holding a JSON array (GEXF
// liststring holding the same JSON array, which is also the GEXF list syntax
// "[a, b]" with double quotes). When the values of one name have different
// types on different elements (an int64 on one node and a float64 on another,
// for example) the name falls back to string for every element and each value
// is written in its usual text form.
//
// Text forms: int64 in decimal; float64 in the shortest form that reads back
// exactly, in plain notation for 1e-6 <= |x| < 1e21 and exponent notation
// otherwise, with NaN, +Inf and -Inf spelled NaN, Infinity and -Infinity (what
// Java's Double.parseDouble, Python's float() and strtod accept); bool as true
// or false; a list as a compact JSON array of strings (no HTML escaping).
// Duplicate keys within one element's props keep the first value, like
// [graph.Get].
//
// In the XML formats every text string (values, display names, labels, types,
// GEXF titles) is made XML-safe: invalid UTF-8 is replaced by U+FFFD and
// characters that XML 1.0 does not allow (C0 controls other than tab, LF and
// CR, U+FFFE, U+FFFF) are removed. IDs and GraphML key names are escaped
// instead (see [GraphMLID]), so that distinct IDs stay distinct. Escaping of markup characters is done by encoding/xml. Output is
// UTF-8 without a byte-order mark and starts with an XML declaration.
//
// # GraphML
//
// [WriteGraphML] follows the GraphML 1.0 schema (graphml.graphdrawing.org):
// the standard namespace and xsi:schemaLocation header, all <key> elements
// before the single <graph>, each key with explicit for="node" or for="edge",
// attr.name and attr.type; nodes before edges; parallel edges kept.
//
// Key ids are deterministic and readable: "labels" (node labels), "label"
// (edge type), then "n_<name>" for node properties and "e_<name>" for edge
// properties, in sorted name order. GraphML types node and edge ids, key ids
// and attr.name as xs:NMTOKEN, so these are passed through [GraphMLID], which
// leaves ordinary names unchanged ("org:zgc", "中关村科技园区", "founded_year")
// and escapes anything else injectively as _xHHHH_ ("a b" → "a_x0020_b").
// Readers then see the escaped form, e.g. a property "annual budget" arrives
// in NetworkX or Neo4j as "annual_x0020_budget"; replacing each _xHHHH_ by its code point reverses
// it. Name characters are those allowed by both the fourth and the fifth
// edition of XML 1.0, because libxml2 (xmllint) still checks NMTOKEN against
// the fourth edition's tables. An edge with an empty ID gets no id attribute.
//
// Neo4j/APOC compatibility (apoc.import.graphml with {readLabels: true}): APOC
// takes the property name from a key's attr.name, recognises node labels in the
// data element whose key id is "labels" (value ":Organization:SciencePark")
// and the relationship type in the data element whose key id is "label" when
// it is the edge's first child. The writer therefore writes the label data
// element first in every edge and never gives edges a <desc>. A node property
// named "labels" or an edge property named "label" is rejected (it would
// collide with these keys). Nodes without labels get no labels element (APOC
// would otherwise store an empty "labels" property). Edges must have a Type.
//
// Each node gets a <desc> with its display name (the "name" property if
// present, else the ID); the schema requires <desc> before the <data>
// children, and "name" is still written as an ordinary data element.
//
// # GEXF
//
// [WriteGEXF] writes GEXF 1.3 (namespace http://gexf.net/1.3, viz module
// http://gexf.net/1.3/viz): typed <attributes> for nodes and edges (the node
// labels as the string attribute "labels"; attribute ids are [GraphMLID] of
// the property name, titles the name itself), node label = display name, edge
// label and kind = relationship type, nodes/edges count attributes, optional
// edge weight, and viz:color / viz:size driven by chosen properties, see
// [GEXFOptions] and [PaletteColor]. Node and edge ids are written as
// [GraphMLID](ID), the same ids as in GraphML. NetworkX reads GEXF 1.3 from
// version 3.6 on.
//
// Note on validation: the published GEXF 1.3 XSD (gephi/gexf specs/1.3, a
// conversion of the normative RelaxNG) places color, size, position, shape and
// thickness in the gexf namespace, whereas the RelaxNG grammar, the primer,
// Gephi and NetworkX put them in the viz namespace. The writer follows the
// primer (viz:color, viz:size); the tests validate against the XSD after
// moving those elements into the gexf namespace.
//
// # CSV
//
// [WriteCSV] writes a node list (id, labels, then one column per node property
// in sorted name order) and an edge list (id, source, target, type, then one
// column per edge property) with encoding/csv. Absent values are empty cells;
// labels use the same ":A:B" form. Strings need no XML cleaning, but a cell
// that starts with = + - @, a tab or a CR (and is not a plain number) gets a
// leading single quote ([NeutralizeCell], OWASP's rule against CSV
// injection), and [CSVOptions].Excel starts the files with a UTF-8 BOM.
package export
