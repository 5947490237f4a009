package neo4jstore_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/collabnet/collabnet/export"
	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/internal/curated"
)

// The full property graph exported as GraphML comes back into an empty Neo4j
// through apoc.import.graphml with the same labels, relationship types and
// properties: reading it with the store gives the dataset it came from.
func TestAPOCImportOfFullExport(t *testing.T) {
	s, drv := testNeo4j(t, 0)
	ctx := context.Background()
	ds := curated.Load(t)
	var buf bytes.Buffer
	if err := export.WriteGraphML(ctx, &buf, graph.NewView(ds), export.GraphMLOptions{APOCListHint: true, KeepNames: true}); err != nil {
		t.Fatal(err)
	}
	res, err := neo4j.ExecuteQuery(ctx, drv, "CALL apoc.import.graphml($data, {readLabels: true, compression: 'NONE'}) YIELD nodes, relationships RETURN nodes, relationships",
		map[string]any{"data": buf.Bytes()}, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	var nodes, edges int64
	graph.NewView(ds).Nodes(func(graph.PropNode) bool { nodes++; return true })
	graph.NewView(ds).Edges(func(graph.PropEdge) bool { edges++; return true })
	if got := res.Records[0].Values; got[0] != nodes || got[1] != edges {
		t.Errorf("imported %v nodes and %v relationships, exported %d and %d", got[0], got[1], nodes, edges)
	}
	c := counts(t, drv)
	if c["Organization:SciencePark"] == 0 || c["PARTY_TO"] == 0 || c["SOURCED_FROM"] == 0 {
		t.Errorf("labels or relationship types lost: %v", c)
	}
	back, err := s.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sameDataset(t, back, ds)
}
