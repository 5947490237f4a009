package analysis_test

import (
	"context"
	"fmt"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/graph"
)

// Analyze builds the organisation network of a dataset (organisations tied
// by the agreements they share) and computes the measures asked for.
func ExampleAnalyze() {
	ds := graph.NewDataset()
	for _, id := range []string{"a", "b", "c"} {
		ds.Organizations[id] = &graph.Organization{ID: id, Name: id, Kind: graph.KindCompany}
	}
	ds.Agreements["x"] = &graph.Agreement{ID: "x", Type: "mou", Parties: []graph.Party{{Org: "a"}, {Org: "b"}}}
	ds.Agreements["y"] = &graph.Agreement{ID: "y", Type: "mou", Parties: []graph.Party{{Org: "b"}, {Org: "c"}}}
	an, err := analysis.Analyze(context.Background(), ds, analysis.Options{Levels: []string{analysis.LevelOrg},
		Measures: []analysis.Measure{analysis.Degree, analysis.Betweenness}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, n := range an.Org.Nodes {
		fmt.Println(n.ID, n.Int(analysis.Degree), n.Value(analysis.Betweenness))
	}
	// Output:
	// a 1 0
	// b 2 1
	// c 1 0
}
