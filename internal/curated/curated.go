// Package curated loads the shipped dataset (data/) for tests, as the
// commands load it by default.
package curated

import (
	"context"
	"testing"

	"github.com/collabnet/collabnet/data"
	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/loader"
)

// Load returns the curated dataset, failing the test if it does not load.
func Load(t testing.TB) *graph.Dataset {
	t.Helper()
	ins, err := loader.FSInputs(data.FS, "data/")
	if err != nil {
		t.Fatal(err)
	}
	l, err := loader.New(loader.Options{FoldAccents: true})
	if err != nil {
		t.Fatal(err)
	}
	ds, _, err := l.Load(context.Background(), ins)
	if err != nil {
		t.Fatalf("the shipped dataset does not load: %v", err)
	}
	return ds
}
