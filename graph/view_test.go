package graph_test

import (
	"reflect"
	"testing"

	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/internal/curated"
)

// The property-graph view holds every fact: rebuilding a dataset from it
// gives the same dataset. The Neo4j store relies on this.
func TestViewRoundTrip(t *testing.T) {
	ds := curated.Load(t)
	back, err := graph.FromView(graph.NewView(ds))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"Organizations", "Countries", "Events", "Programmes", "Agreements", "Sources", "Figures", "Relations"} {
		a := reflect.ValueOf(ds).Elem().FieldByName(k).Interface()
		b := reflect.ValueOf(back).Elem().FieldByName(k).Interface()
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s differ after the round trip", k)
		}
	}
}

// Merging the same data twice changes nothing, like Cypher's MERGE.
func TestMergeIdempotent(t *testing.T) {
	ds := curated.Load(t)
	got := graph.NewDataset()
	first := got.Merge(ds, false)
	second := got.Merge(ds, false)
	for kind, c := range second {
		if c.New != 0 || c.Updated != 0 {
			t.Errorf("%s: second write changed %+v", kind, *c)
		}
		if c.Unchanged != first[kind].New {
			t.Errorf("%s: %d unchanged, first write added %d", kind, c.Unchanged, first[kind].New)
		}
	}
	if got.Counts() != ds.Counts() {
		t.Errorf("counts %+v, want %+v", got.Counts(), ds.Counts())
	}
}

// PARTNER_OF ties count the agreements two organisations share.
func TestPartnerships(t *testing.T) {
	ds := graph.NewDataset()
	for _, id := range []string{"a", "b", "c"} {
		ds.Organizations[id] = &graph.Organization{ID: id, Name: id, Kind: graph.KindCompany}
	}
	ds.Agreements["x"] = &graph.Agreement{ID: "x", Type: "mou", Parties: []graph.Party{{Org: "b"}, {Org: "a"}}}
	ds.Agreements["y"] = &graph.Agreement{ID: "y", Type: "project", Parties: []graph.Party{{Org: "a"}, {Org: "b"}, {Org: "c"}}}
	want := []graph.Partnership{{"a", "b", 2}, {"a", "c", 1}, {"b", "c", 1}}
	if got := ds.Partnerships(); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
