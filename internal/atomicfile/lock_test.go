package atomicfile

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// A second Lock on a held directory waits, says for whom once, and after
// its bounded wait refuses with a message naming the holder; once the
// first is released it gets the lock.
func TestLockWaitsThenRefuses(t *testing.T) {
	dir := t.TempDir() + "/out" // created by Lock
	ctx := context.Background()
	unlock, err := Lock(ctx, dir, time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	var told []string
	start := time.Now()
	_, err = Lock(ctx, dir, 300*time.Millisecond, func(h string) { told = append(told, h) })
	waited := time.Since(start)
	pid := fmt.Sprintf("pid %d", os.Getpid())
	if err == nil || !strings.Contains(err.Error(), pid) || !strings.Contains(err.Error(), "--lock-wait") {
		t.Fatalf("second lock: %v; want a refusal naming %s and --lock-wait", err, pid)
	}
	if waited < 300*time.Millisecond {
		t.Errorf("refused after %v, before its wait of 300ms", waited)
	}
	if len(told) != 1 || !strings.Contains(told[0], pid) {
		t.Errorf("waiting told %q, want once, naming %s", told, pid)
	}
	// Released while another waits: the waiter gets it.
	go func() { time.Sleep(200 * time.Millisecond); _ = unlock() }()
	unlock2, err := Lock(ctx, dir, 10*time.Second, nil)
	if err != nil {
		t.Fatalf("after the release: %v", err)
	}
	if err := unlock2(); err != nil {
		t.Fatal(err)
	}
	// A cancelled wait stops at once.
	unlock3, err := Lock(ctx, dir, time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock3()
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Lock(cctx, dir, time.Minute, nil); err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Errorf("cancelled wait: %v", err)
	}
}
