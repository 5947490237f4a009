package export

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/collabnet/collabnet/export/internal/synth"
	"github.com/collabnet/collabnet/graph"
)

// probeGraph wraps the synthetic graph and, once, in the second pass over the
// edges at edge index at, runs a full GC and records the live heap: at that
// point the writer has written every node and most edges, so anything it
// kept per element would be live.
type probeGraph struct {
	synth.Graph
	at         int
	edgePasses int
	liveHeap   uint64
}

func (g *probeGraph) Edges(yield func(graph.PropEdge) bool) {
	g.edgePasses++
	i := 0
	g.Graph.Edges(func(e graph.PropEdge) bool {
		if g.edgePasses == 2 && i == g.at {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			g.liveHeap = ms.HeapAlloc
		}
		i++
		return yield(e)
	})
}

// heapSampler records the peak of the heap-objects metric (live + not yet
// collected garbage) while it runs.
type heapSampler struct {
	peak atomic.Uint64
	stop chan struct{}
	wg   sync.WaitGroup
}

func startHeapSampler() *heapSampler {
	s := &heapSampler{stop: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() {
		metrics.Read(sample)
		if v := sample[0].Value.Uint64(); v > s.peak.Load() {
			s.peak.Store(v)
		}
	}
	read()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				read()
				return
			case <-t.C:
				read()
			}
		}
	}()
	return s
}

func (s *heapSampler) Stop() uint64 {
	close(s.stop)
	s.wg.Wait()
	return s.peak.Load()
}

type streamStats struct {
	elems        int
	allocPerElem float64 // bytes allocated by the writer (total, incl. garbage) per element, both passes
	liveHeap     uint64  // live heap late in the second pass, after a full GC
	peakHeap     uint64  // sampled peak of heap objects
	outBytes     int64
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(b []byte) (int, error) { w.n += int64(len(b)); return len(b), nil }

// generatorAlloc is what two passes over the synthetic graph allocate by
// themselves (its ID and name strings, boxed values), to be subtracted.
func generatorAlloc(g graph.PropGraph) uint64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 2 {
		g.Nodes(func(graph.PropNode) bool { return true })
		g.Edges(func(graph.PropEdge) bool { return true })
	}
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func measureStream(t testing.TB, nodes, edges int, write func(io.Writer, graph.PropGraph) error) streamStats {
	gen := generatorAlloc(synth.Graph{N: nodes, M: edges})
	g := &probeGraph{Graph: synth.Graph{N: nodes, M: edges}, at: edges * 9 / 10}
	cw := &countingWriter{}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	hs := startHeapSampler()
	if err := write(cw, g); err != nil {
		t.Fatal(err)
	}
	peak := hs.Stop()
	runtime.ReadMemStats(&after)
	n := nodes + edges
	return streamStats{
		elems:        n,
		allocPerElem: (float64(after.TotalAlloc-before.TotalAlloc) - float64(gen)) / float64(n),
		liveHeap:     g.liveHeap,
		peakHeap:     peak,
		outBytes:     cw.n,
	}
}

// TestStreamingMemoryIsFlat writes the synthetic graph with 100k and with 800k
// edges and checks that the writers' memory does not grow with the number of
// elements: the live heap late in the second pass is the same (the writer
// keeps no per-element state; a map of seen IDs for 800k edges would add tens
// of MB), and the bytes the writer allocates per element (the generator's own
// allocations subtracted) stay the same and under a per-format bound.
func TestStreamingMemoryIsFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("writes ~1.7M elements")
	}
	// Per-element allocation bounds, generous: GraphML allocates nothing per
	// element today; GEXF and CSV make one string per attribute value.
	bound := map[string]float64{"graphml": 64, "gexf": 1024, "csv": 512}
	writers := map[string]func(io.Writer, graph.PropGraph) error{
		"graphml": func(w io.Writer, g graph.PropGraph) error {
			return WriteGraphML(context.Background(), w, g, GraphMLOptions{})
		},
		"gexf": func(w io.Writer, g graph.PropGraph) error {
			return WriteGEXF(context.Background(), w, g, GEXFOptions{ColorBy: "community", SizeBy: "score", WeightBy: "weight"})
		},
		"csv": func(w io.Writer, g graph.PropGraph) error {
			return WriteCSV(context.Background(), w, w, g, CSVOptions{})
		},
	}
	for name, write := range writers {
		t.Run(name, func(t *testing.T) {
			small := measureStream(t, 36000, 100000, write)
			large := measureStream(t, 36000, 800000, write)
			for _, s := range []streamStats{small, large} {
				t.Logf("%7d elements: %6.1f B allocated/element, live heap %5.2f MiB late in pass 2, sampled peak heap %5.2f MiB, output %6.1f MiB",
					s.elems, s.allocPerElem, mib(s.liveHeap), mib(s.peakHeap), mib(uint64(s.outBytes)))
			}
			if large.liveHeap > small.liveHeap+1<<20 {
				t.Errorf("live heap grows with size: %.2f MiB at 136k elements, %.2f MiB at 836k", mib(small.liveHeap), mib(large.liveHeap))
			}
			if large.allocPerElem > 1.2*small.allocPerElem+16 {
				t.Errorf("allocation per element grows: %.1f B → %.1f B", small.allocPerElem, large.allocPerElem)
			}
			if large.allocPerElem > bound[name] {
				t.Errorf("%.1f B allocated per element, bound %.0f", large.allocPerElem, bound[name])
			}
			if large.peakHeap > 2*small.peakHeap+16<<20 {
				t.Errorf("peak heap grows: %.1f MiB → %.1f MiB", mib(small.peakHeap), mib(large.peakHeap))
			}
		})
	}
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

// Benchmark sizes: the synthetic graph of scripts/bench-export.
const (
	benchNodes = 36000
	benchEdges = 800000
)

// BenchmarkWriteGraphML writes the synthetic 36k-node graph to a file, with
// 100k and 800k edges. Besides ns/op, B/op and allocs/op it reports B/elem
// (allocated per element), peak-heap-MB (sampled heap objects) and, on Linux,
// peak-rss-MB (process high-water mark during the loop, reset before it).
func BenchmarkWriteGraphML(b *testing.B) {
	for _, edges := range []int{100000, benchEdges} {
		b.Run(fmt.Sprintf("%dk-%dk", benchNodes/1000, edges/1000), func(b *testing.B) {
			g := synth.Graph{N: benchNodes, M: edges}
			path := filepath.Join(b.TempDir(), "out.graphml")
			runtime.GC()
			resetPeakRSS()
			hs := startHeapSampler()
			b.ReportAllocs()
			var size int64
			for b.Loop() {
				f, err := os.Create(path)
				if err != nil {
					b.Fatal(err)
				}
				bw := bufio.NewWriterSize(f, 1<<16)
				if err := WriteGraphML(context.Background(), bw, g, GraphMLOptions{}); err != nil {
					b.Fatal(err)
				}
				if err := bw.Flush(); err != nil {
					b.Fatal(err)
				}
				if size, err = f.Seek(0, io.SeekCurrent); err != nil {
					b.Fatal(err)
				}
				if err := f.Close(); err != nil {
					b.Fatal(err)
				}
			}
			peak := hs.Stop()
			b.ReportMetric(mib(peak), "peak-heap-MB")
			if rss, ok := procStatusKB("VmHWM"); ok {
				b.ReportMetric(float64(rss)/1024, "peak-rss-MB")
			}
			b.ReportMetric(float64(size)/(1<<20), "out-MB")
			b.SetBytes(size)
		})
	}
}

// BenchmarkWriteGEXF is the same for GEXF with viz data.
func BenchmarkWriteGEXF(b *testing.B) {
	g := synth.Graph{N: benchNodes, M: benchEdges}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteGEXF(context.Background(), io.Discard, g, GEXFOptions{ColorBy: "community", SizeBy: "score", WeightBy: "weight"}); err != nil {
			b.Fatal(err)
		}
	}
}

// resetPeakRSS resets the kernel's high-water mark of this process's RSS
// (Linux: writing 5 to /proc/self/clear_refs). Errors are ignored.
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// procStatusKB reads a "kB" field of /proc/self/status.
func procStatusKB(field string) (int64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if rest, ok := strings.CutPrefix(string(line), field+":"); ok {
			v, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return v, err == nil
		}
	}
	return 0, false
}
