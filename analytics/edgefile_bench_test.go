package analytics

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkEdgeFile runs one measure on a network read from
// $ANALYTICS_BENCH_EDGES, the file scripts/bench-analytics writes so that
// Go and its peers (networkit, igraph, GDS) run on the very same graph in
// the same run: a first line "n", then one line "u v w" per tie, nodes
// numbered 0..n-1. $ANALYTICS_BENCH_MEASURE is betweenness (exact: every
// source, hop distances; from $ANALYTICS_BENCH_K sampled sources when set)
// or lcc (unweighted local clustering). With
// $ANALYTICS_BENCH_OUT set, the values of the last run are written there,
// one per line in node order, for the script to compare with the peers'.
// It reports CPU seconds per run beside wall time. Skipped without
// $ANALYTICS_BENCH_EDGES.
func BenchmarkEdgeFile(b *testing.B) {
	path := os.Getenv("ANALYTICS_BENCH_EDGES")
	if path == "" {
		b.Skip("set ANALYTICS_BENCH_EDGES (see scripts/bench-analytics --exact-betweenness)")
	}
	g, err := readEdgeFile(path)
	if err != nil {
		b.Fatal(err)
	}
	measure := os.Getenv("ANALYTICS_BENCH_MEASURE")
	var run func() ([]float64, error)
	switch measure {
	case "betweenness":
		var sources []int // nil: every source, exact
		if os.Getenv("ANALYTICS_BENCH_K") != "" {
			sources = SampleSources(g.N(), benchK(g), 1)
		}
		run = func() ([]float64, error) {
			ps, err := PathCentrality(context.Background(), g, PathOptions{NoCloseness: true, Sources: sources})
			if err != nil {
				return nil, err
			}
			return ps.Betweenness, nil
		}
	case "lcc":
		run = func() ([]float64, error) { return Clustering(context.Background(), g, false, 0) }
	default:
		b.Fatalf("ANALYTICS_BENCH_MEASURE=%q: want betweenness or lcc", measure)
	}
	var v []float64
	b.ReportAllocs()
	cpu := startCPU(b)
	for b.Loop() {
		if v, err = run(); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b)
	reportPeakRSS(b)
	if out := os.Getenv("ANALYTICS_BENCH_OUT"); out != "" {
		f, err := os.Create(out)
		if err != nil {
			b.Fatal(err)
		}
		w := bufio.NewWriter(f)
		for _, x := range v {
			w.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
			w.WriteByte('\n')
		}
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

func readEdgeFile(path string) (*Network, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var n int
	if !sc.Scan() {
		return nil, fmt.Errorf("%s: empty", path)
	}
	if n, err = strconv.Atoi(sc.Text()); err != nil {
		return nil, fmt.Errorf("%s line 1: %w", path, err)
	}
	id := func(i int) string { return fmt.Sprintf("%09d", i) } // sorts as the numbers do
	bld := NewBuilder()
	for i := range n {
		bld.AddNode(Node{ID: id(i)})
	}
	for line := 2; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		if len(f) != 3 {
			return nil, fmt.Errorf("%s line %d: want u v w", path, line)
		}
		u, err1 := strconv.Atoi(f[0])
		v, err2 := strconv.Atoi(f[1])
		w, err3 := strconv.ParseFloat(f[2], 64)
		if err := errors.Join(err1, err2, err3); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, line, err)
		}
		bld.AddTie(id(u), id(v), w)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return bld.Build()
}
