package graph

// The property-graph view: what Neo4j stores and what exporters write.
// Stores and exporters speak this view so that neither needs to know the
// typed model (Organization, Agreement, ...) field by field.

// Prop is one property. Value is one of: string, int64, float64, bool, []string.
// A nil Value means "absent" and is skipped by writers.
type Prop struct {
	Key   string
	Value any
}

// PropNode is a node of the property graph. ID is unique across the whole graph.
// Labels are our own constants (see labels.go); the first is the primary label.
type PropNode struct {
	ID     string
	Labels []string
	Props  []Prop
}

// PropEdge is a relationship. Type is one of our own relationship constants.
// Undirected relationships (PARTNER_OF) are stored From < To.
type PropEdge struct {
	ID   string
	From string // the PropNode.ID of its start
	To   string // and of its end
	// FromNode and ToNode are the ends by label and key, set by the
	// collaboration graph's View (and the Neo4j read-back), so that stores
	// need not parse IDs; zero in other graphs (analysed networks).
	FromNode, ToNode NodeRef
	Type             string
	Props            []Prop
}

// NodeRef names a node of the collaboration graph by its primary label and
// key.
type NodeRef struct{ Label, Key string }

// ID is the node's property-graph ID (NodeID).
func (r NodeRef) ID() string { return NodeID(r.Label, r.Key) }

// PropGraph is a read-only, re-iterable view. Each iterator may be called
// more than once (exporters make two passes: keys first, then elements) and
// must yield elements in a stable order. Yield returns false to stop early.
type PropGraph interface {
	Nodes(yield func(PropNode) bool)
	Edges(yield func(PropEdge) bool)
}

// Get returns the value of key in props, or nil.
func Get(props []Prop, key string) any {
	for _, p := range props {
		if p.Key == key {
			return p.Value
		}
	}
	return nil
}
