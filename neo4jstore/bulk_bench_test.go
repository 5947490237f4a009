package neo4jstore_test

import (
	"context"
	"testing"

	"github.com/collabnet/collabnet/internal/h2020test"
	"github.com/collabnet/collabnet/loader"
	"github.com/collabnet/collabnet/neo4jstore"
)

// BenchmarkWriteImportFilesH2020 writes the import files of the whole H2020
// participations file (load --bulk's own part before neo4j-admin runs).
func BenchmarkWriteImportFilesH2020(b *testing.B) {
	l, err := loader.New(loader.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ds, _, err := l.Load(context.Background(), []loader.Input{loader.FileInput(h2020test.Path)})
	if err != nil {
		b.Skip(err)
	}
	dir := b.TempDir()
	b.ResetTimer()
	for range b.N {
		if _, err := neo4jstore.WriteImportFiles(ds, dir, "bench"); err != nil {
			b.Fatal(err)
		}
	}
}
