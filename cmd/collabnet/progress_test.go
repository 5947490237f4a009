package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

// The load's phases each get a bar that ends full on its own line, even
// when writers report concurrently.
func TestProgressBars(t *testing.T) {
	var b bytes.Buffer
	p := progressBars(&b)
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 1; i <= 50; i++ {
				p("nodes", i, 50)
			}
		}()
	}
	wg.Wait()
	for i := 1; i <= 10; i++ {
		p("partners", i, 10)
	}
	out := b.String()
	for _, want := range []string{"nodes", "(50/50)", "partners", "(10/10)"} {
		if !strings.Contains(out, want) {
			t.Errorf("progress output lacks %q:\n%q", want, out)
		}
	}
	if n := strings.Count(out, "\n"); n != 2 {
		t.Errorf("%d finished lines, want 2 (one per phase):\n%q", n, out)
	}
}
