package loader

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// pollingCtx counts how often Load asks whether it should stop.
type pollingCtx struct {
	context.Context
	polls atomic.Int64
}

func (c *pollingCtx) Err() error {
	c.polls.Add(1)
	return c.Context.Err()
}

// A signal stops a load within a second at any point, so each pass over a
// table's mentions asks its context as it goes, not only between passes:
// with 60,000 distinct pair rows (120,000 mentions), the four passes of
// resolving them ask at least once per 4,096 mentions each, 4×29 = 116
// times, besides the reading. Before, a 650,000-row table spent up to 8 s
// in those passes without asking, and SIGTERM waited for them (the 3-second
// hard exit ended it). Counting the asks, not timing them, keeps the test
// free of the clock.
func TestLoadPollsCancellationWhileResolving(t *testing.T) {
	const rows = 60000
	var b strings.Builder
	b.WriteString("party_a,country_a,party_b,country_b,type\n")
	for i := range rows {
		fmt.Fprintf(&b, "Alpha %d,DE,Beta %d,FR,mou\n", i, i)
	}
	f := filepath.Join(t.TempDir(), "pairs.csv")
	if err := os.WriteFile(f, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := &pollingCtx{Context: context.Background()}
	ds, _, err := l.Load(ctx, []Input{FileInput(f)})
	if err != nil || len(ds.Agreements) != rows {
		t.Fatalf("load: %v (%d agreements, want %d)", err, len(ds.Agreements), rows)
	}
	want := int64(4 * (2 * rows / 4096))
	if n := ctx.polls.Load(); n < want {
		t.Errorf("Load asked its context %d times over %d mentions; want at least %d (each pass once per 4096)", n, 2*rows, want)
	}
}
