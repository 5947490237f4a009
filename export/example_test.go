package export_test

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/collabnet/collabnet/export"
	"github.com/collabnet/collabnet/graph"
)

// WriteGraphML streams any property graph (here a dataset's View) as
// GraphML 1.0.
func ExampleWriteGraphML() {
	ds := graph.NewDataset()
	ds.Organizations["a"] = &graph.Organization{ID: "a", Name: "Alpha", Kind: graph.KindCompany}
	var b strings.Builder
	if err := export.WriteGraphML(context.Background(), io.Writer(&b), graph.NewView(ds), export.GraphMLOptions{Direction: export.Directed}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Contains(b.String(), "<graphml"), strings.Contains(b.String(), "Alpha"))
	// Output: true true
}
