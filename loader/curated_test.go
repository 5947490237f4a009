package loader

import (
	"context"
	"testing"

	"github.com/collabnet/collabnet/data"
)

func loadCurated(t *testing.T) *Report {
	t.Helper()
	ins, err := FSInputs(data.FS, "data/")
	if err != nil {
		t.Fatal(err)
	}
	l, _ := New(Options{FoldAccents: true})
	_, rep, err := l.Load(context.Background(), ins)
	if err != nil {
		t.Fatalf("the shipped dataset does not load: %v", err)
	}
	return rep
}

func TestCuratedLoads(t *testing.T) { loadCurated(t) }
