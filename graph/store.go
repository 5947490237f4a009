package graph

import (
	"context"
	"sync"
)

// Store keeps a collaboration graph. There are two: MemStore, the embedded
// default, and the Neo4j store, the system of record.
type Store interface {
	// Write merges ds into the store: elements are upserted by key, so
	// writing the same data twice changes nothing. With dryRun nothing is
	// written and the stats say what would change.
	Write(ctx context.Context, ds *Dataset, dryRun bool) (MergeStats, error)
	// Read returns the whole graph.
	Read(ctx context.Context) (*Dataset, error)
	Close(ctx context.Context) error
}

// MemStore is the embedded in-memory store.
type MemStore struct {
	mu sync.Mutex
	ds *Dataset
}

// NewMemStore returns an empty in-memory store.
func NewMemStore() *MemStore { return &MemStore{ds: NewDataset()} }

func (s *MemStore) Write(ctx context.Context, ds *Dataset, dryRun bool) (MergeStats, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ds.Merge(ds, dryRun), nil
}

// Read returns a copy of the store's dataset, so callers cannot change the store.
func (s *MemStore) Read(ctx context.Context) (*Dataset, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := NewDataset()
	out.Merge(s.ds, false)
	return out, nil
}

func (s *MemStore) Close(context.Context) error { return nil }
