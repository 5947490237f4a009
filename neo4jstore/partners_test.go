package neo4jstore_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/internal/curated"
	"github.com/collabnet/collabnet/internal/h2020test"
	"github.com/collabnet/collabnet/loader"
	"github.com/collabnet/collabnet/neo4jstore"
)

// orgNetworkTies are the ties of the organisation network the analysis
// builds from ds (full counting, no filters), in ties' form.
func orgNetworkTies(t *testing.T, ds *graph.Dataset) []string {
	t.Helper()
	an, err := analysis.Analyze(context.Background(), ds, analysis.Options{
		Levels:   []string{analysis.LevelOrg},
		Measures: []analysis.Measure{analysis.Degree},
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range an.Org.Edges.All() {
		u, v := e.Source, e.Target
		if v < u {
			u, v = v, u
		}
		out = append(out, fmt.Sprintf("%s %s %g", u, v, e.Weight))
	}
	slices.Sort(out)
	return out
}

// The PARTNER_OF ties are derived once, in Go, for the dataset and the
// analysis, and counted by the load's Cypher on the server: the dataset's
// partnerships, the analytics organisation network and Neo4j's PARTNER_OF
// after a load are the same ties with the same weights.
func TestPartnershipsAgree(t *testing.T) {
	for _, tc := range []struct {
		name string
		ds   func(t *testing.T) *graph.Dataset
	}{
		{"curated", func(t *testing.T) *graph.Dataset { return curated.Load(t) }},
		{"h2020 sample", func(t *testing.T) *graph.Dataset {
			return loadInputs(t, loader.FileInput(h2020test.FirstRows(t, t.TempDir(), 3000)))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, drv := testNeo4j(t, 0)
			ds := tc.ds(t)
			dataset := wantTies(ds)
			if len(dataset) == 0 {
				t.Fatal("no ties: the test would prove nothing")
			}
			if network := orgNetworkTies(t, ds); !slices.Equal(network, dataset) {
				t.Errorf("organisation network ties differ from the dataset's partnerships:\n%.500v\nwant:\n%.500v", network, dataset)
			}
			if _, err := s.Write(context.Background(), ds, neo4jstore.WriteOptions{}); err != nil {
				t.Fatal(err)
			}
			if stored := ties(t, drv); !slices.Equal(stored, dataset) {
				t.Errorf("PARTNER_OF in Neo4j differ from the dataset's partnerships:\n%.500v\nwant:\n%.500v", stored, dataset)
			}
			t.Logf("%d ties agree", len(dataset))
		})
	}
}
