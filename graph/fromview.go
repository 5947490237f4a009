package graph

import (
	"fmt"
	"reflect"
)

// FromView rebuilds a dataset from its property-graph view: the inverse of
// NewView (both derive from the model's pg and edge tags, mapping.go),
// used to read the graph back from Neo4j. Edges name their ends by
// FromNode and ToNode. Derived elements (PARTNER_OF ties, the agreements'
// party counts) are ignored. Errors name the node or edge: an unknown
// label or relationship type, a property of the wrong type, an edge to a
// node that is not there.
func FromView(g PropGraph) (*Dataset, error) {
	d := NewDataset()
	var err error
	g.Nodes(func(n PropNode) bool {
		if len(n.Labels) == 0 {
			err = fmt.Errorf("node %s has no label", n.ID)
			return false
		}
		k := kindByLabel(n.Labels[0])
		if k == nil {
			err = fmt.Errorf("node %s: unknown label %s", n.ID, n.Labels[0])
			return false
		}
		x := reflect.New(k.typ)
		if e := setProps(x.Elem(), k.fields, n.Props); e != nil {
			err = fmt.Errorf("node %s: %w", n.ID, e)
			return false
		}
		k.put(d, k.key(x.Elem()), x.Interface())
		return true
	})
	if err != nil {
		return nil, err
	}
	g.Edges(func(e PropEdge) bool {
		err = d.addEdge(e)
		return err == nil
	})
	if err != nil {
		return nil, err
	}
	d.Canonicalize()
	return d, nil
}

// addEdge records one edge: a relation (it has a "relation" property), the
// field the mapping declares for its type and ends, or nothing for the
// derived PARTNER_OF ties.
func (d *Dataset) addEdge(e PropEdge) error {
	if e.Type == RelPartnerOf {
		return nil
	}
	if _, ok := Get(e.Props, "relation").(string); ok {
		r, err := relationFrom(e)
		if err != nil {
			return err
		}
		d.Relations[r.Key()] = r
		return nil
	}
	ok, err := setEdge(d, e)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("edge %s %s-[:%s]->%s: unknown relationship type between %s and %s", e.ID, e.From, e.Type, e.To, e.FromNode.Label, e.ToNode.Label)
	}
	return nil
}
