package main

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"sync"
	"time"
)

// startProfiles writes a CPU profile of the whole run to
// $COLLABNET_CPUPROFILE and a heap profile to $COLLABNET_MEMPROFILE (go
// tool pprof reads both), when they are set. The heap profile is the one
// taken at the largest live heap of the run (inuse_space: what was live
// at that peak, by allocation site; alloc_space: every allocation up to
// it), since what sets the process's maximum RSS is the peak, not the
// end. They are environment variables rather than flags because they are
// for the benchmarks and the developers, not for users. The returned
// function stops the profiles.
func startProfiles() (stop func(), err error) {
	var cpu *os.File
	if p := os.Getenv("COLLABNET_CPUPROFILE"); p != "" {
		if cpu, err = os.Create(p); err != nil {
			return nil, fmt.Errorf("CPU profile: %w", err)
		}
		if err := pprof.StartCPUProfile(cpu); err != nil {
			_ = cpu.Close()
			return nil, fmt.Errorf("CPU profile %s: %w", p, err)
		}
	}
	memPath := os.Getenv("COLLABNET_MEMPROFILE")
	var peak *peakHeap
	if memPath != "" {
		peak = watchPeakHeap()
	}
	return func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			_ = cpu.Close()
		}
		if peak != nil {
			prof := peak.stop()
			if err := os.WriteFile(memPath, prof, 0o644); err != nil {
				fmt.Fprintln(os.Stderr, "collabnet: heap profile:", err)
			}
		}
	}, nil
}

// peakHeap keeps the heap profile of the largest live heap seen: it polls
// the live heap after each collection (runtime/metrics) and takes a
// profile whenever it has grown by a tenth over the last one taken.
type peakHeap struct {
	mu   sync.Mutex
	prof []byte
	max  uint64
	done chan struct{}
	wg   sync.WaitGroup
}

func watchPeakHeap() *peakHeap {
	p := &peakHeap{done: make(chan struct{})}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.done:
				return
			case <-t.C:
			}
			metrics.Read(s)
			if live := s[0].Value.Uint64(); live > p.max+p.max/10 {
				p.take(live)
			}
		}
	}()
	return p
}

func (p *peakHeap) take(live uint64) {
	var b bytes.Buffer
	if err := pprof.Lookup("heap").WriteTo(&b, 0); err != nil {
		return
	}
	p.mu.Lock()
	p.prof, p.max = b.Bytes(), live
	p.mu.Unlock()
}

// stop ends the watch and returns the profile of the peak (or of now, if
// the heap never grew enough to take one).
func (p *peakHeap) stop() []byte {
	close(p.done)
	p.wg.Wait()
	if p.prof == nil {
		runtime.GC()
		p.take(0)
	}
	return p.prof
}
