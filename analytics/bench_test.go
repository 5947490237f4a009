package analytics

// Benchmarks on the H2020 organisation network (projects → organisations,
// full counting): ~31k projects, ~36k organisations, ~800k ties. They read
// ../shared/datasets/h2020/participations.csv.gz beside the repository (or
// the file named by $ANALYTICS_H2020) and are skipped when it is absent.
//
// Exact betweenness on this graph is a sweep from each of 36k sources:
// BenchmarkH2020PathsExact runs it only with ANALYTICS_BENCH_EXACT=1.
// Exact closeness and harmonic alone (multi-source BFS) take seconds and
// always run: BenchmarkH2020ClosenessExact.
// The *Sampled benchmarks sweep from k pivots ($ANALYTICS_BENCH_K, default
// 200, seed 1) and report ms/source, the figure scripts/bench-analytics
// compares with NetworkX and igraph on the same pivots.

import (
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

type h2020Data struct {
	nodes  []Node
	groups [][]string
	err    error
}

var (
	h2020Once sync.Once
	h2020     h2020Data
	h2020Net  *Network
)

// h2020Path finds the data file relative to the repository root.
func h2020Path() (string, error) {
	if p := os.Getenv("ANALYTICS_H2020"); p != "" {
		return p, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "datasets", "h2020", "participations.csv.gz"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("repository root (go.mod) not found")
		}
		dir = parent
	}
}

// readParticipations groups organisations (pic) by project (rcn), in order
// of first appearance, and takes each organisation's first non-empty
// country.
func readParticipations(path string) ([]Node, [][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, nil, err
	}
	r := csv.NewReader(zr)
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return nil, nil, err
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	ci, ok1 := col["rcn"]
	pi, ok2 := col["pic"]
	ki, ok3 := col["country"]
	if !ok1 || !ok2 || !ok3 {
		return nil, nil, errors.New("participations: missing rcn, pic or country column")
	}
	groupOf := map[string]int{}
	var groups [][]string
	country := map[string]string{}
	var order []string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		rcn, pic, cc := rec[ci], rec[pi], rec[ki]
		if pic == "" || rcn == "" {
			continue
		}
		g, ok := groupOf[rcn]
		if !ok {
			g = len(groups)
			groupOf[rcn] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], pic)
		if old, ok := country[pic]; !ok {
			country[pic] = cc
			order = append(order, pic)
		} else if old == "" {
			country[pic] = cc
		}
	}
	nodes := make([]Node, len(order))
	for i, pic := range order {
		nodes[i] = Node{ID: pic, Country: country[pic]}
	}
	return nodes, groups, nil
}

func loadH2020(b *testing.B) (*Network, h2020Data) {
	b.Helper()
	h2020Once.Do(func() {
		path, err := h2020Path()
		if err == nil {
			if _, err = os.Stat(path); err == nil {
				h2020.nodes, h2020.groups, err = readParticipations(path)
			}
		}
		if err != nil {
			h2020.err = err
			return
		}
		h2020Net, h2020.err = ProjectGroups(context.Background(), h2020.nodes, h2020.groups, FullCounting)
	})
	if h2020.err != nil {
		if errors.Is(h2020.err, os.ErrNotExist) {
			b.Skipf("H2020 data not available (%v): benchmarks need ../shared/datasets/h2020/participations.csv.gz or $ANALYTICS_H2020", h2020.err)
		}
		b.Fatal(h2020.err)
	}
	return h2020Net, h2020
}

// reportPeakRSS reports the process's peak resident memory (VmHWM), graph
// loading included, so scripts/bench-analytics can compare it with Python's.
// VmHWM belongs to this process image alone, unlike getrusage's maxrss,
// which Linux carries over from the parent across fork and exec.
func reportPeakRSS(b *testing.B) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if kb, err := strconv.ParseFloat(f[0], 64); err == nil {
				b.ReportMetric(kb/1024, "peak-MiB")
			}
		}
	}
}

func benchK(g *Network) int {
	k := 200
	if s := os.Getenv("ANALYTICS_BENCH_K"); s != "" {
		if v, err := strconv.Atoi(s); err == nil && v > 0 {
			k = v
		}
	}
	return min(k, g.N())
}

func BenchmarkH2020ProjectGroups(b *testing.B) {
	_, d := loadH2020(b)
	for _, c := range []struct {
		name     string
		counting Counting
	}{{"full", FullCounting}, {"fractional", FractionalCounting}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ProjectGroups(context.Background(), d.nodes, d.groups, c.counting); err != nil {
					b.Fatal(err)
				}
			}
			reportPeakRSS(b)
		})
	}
}

func BenchmarkH2020CountryNetwork(b *testing.B) {
	g, _ := loadH2020(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CountryNetwork(g, nil); err != nil {
			b.Fatal(err)
		}
	}
	reportPeakRSS(b)
}

func BenchmarkH2020Degree(b *testing.B) {
	g, _ := loadH2020(b)
	b.ReportAllocs()
	for b.Loop() {
		s := make([]float64, g.N())
		for i := range s {
			s[i] = g.Strength(i)
		}
		_ = DegreeCentrality(g)
	}
	reportPeakRSS(b)
}

func BenchmarkH2020PageRank(b *testing.B) {
	g, _ := loadH2020(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PageRank(g, PowerOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	reportPeakRSS(b)
}

func BenchmarkH2020Eigenvector(b *testing.B) {
	g, _ := loadH2020(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Eigenvector(g, PowerOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	reportPeakRSS(b)
}

func BenchmarkH2020Clustering(b *testing.B) {
	g, _ := loadH2020(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Clustering(context.Background(), g, true, 0); err != nil {
			b.Fatal(err)
		}
	}
	reportPeakRSS(b)
}

// BenchmarkH2020ClusteringUnweighted is the plain local clustering
// coefficient (GDS's localClusteringCoefficient, igraph's transitivity).
func BenchmarkH2020ClusteringUnweighted(b *testing.B) {
	g, _ := loadH2020(b)
	b.ReportAllocs()
	cpu := startCPU(b)
	for b.Loop() {
		if _, err := Clustering(context.Background(), g, false, 0); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b)
	reportPeakRSS(b)
}

func BenchmarkH2020Louvain(b *testing.B) {
	g, _ := loadH2020(b)
	b.ReportAllocs()
	var p *Partition
	for b.Loop() {
		p, _ = Louvain(b.Context(), g, LouvainOptions{Seed: 1})
	}
	reportPeakRSS(b)
	b.ReportMetric(p.Q, "Q")
	b.ReportMetric(float64(len(p.Sizes)), "communities")
}

func benchPaths(b *testing.B, opt PathOptions) {
	g, _ := loadH2020(b)
	if opt.Sources == nil {
		opt.Sources = SampleSources(g.N(), benchK(g), 1)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PathCentrality(context.Background(), g, opt); err != nil {
			b.Fatal(err)
		}
	}
	reportPeakRSS(b)
	perSource := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / float64(len(opt.Sources)) / 1e6
	b.ReportMetric(perSource, "ms/source")
	b.ReportMetric(float64(len(opt.Sources)), "sources")
}

func BenchmarkH2020BetweennessSampled(b *testing.B) { benchPaths(b, PathOptions{}) }

func BenchmarkH2020ClosenessSampled(b *testing.B) {
	benchPaths(b, PathOptions{NoBetweenness: true})
}

func BenchmarkH2020WeightedBetweennessSampled(b *testing.B) {
	benchPaths(b, PathOptions{WeightedPaths: true})
}

func BenchmarkH2020WeightedClosenessSampled(b *testing.B) {
	benchPaths(b, PathOptions{WeightedPaths: true, NoBetweenness: true})
}

// BenchmarkH2020PathsExact is the full Brandes sweep (betweenness,
// closeness and harmonic from every node), hop distances.
func BenchmarkH2020PathsExact(b *testing.B) { benchExact(b, false) }

// BenchmarkH2020WeightedPathsExact is the same with distances 1/w.
func BenchmarkH2020WeightedPathsExact(b *testing.B) { benchExact(b, true) }

func benchExact(b *testing.B, weighted bool) {
	if os.Getenv("ANALYTICS_BENCH_EXACT") == "" {
		b.Skip("exact sweeps from all 36k sources take minutes: set ANALYTICS_BENCH_EXACT=1")
	}
	g, _ := loadH2020(b)
	all := make([]int, g.N())
	for i := range all {
		all[i] = i
	}
	benchPaths(b, PathOptions{Sources: all, WeightedPaths: weighted})
}

// BenchmarkH2020Analyze is the whole analysis (every measure and Louvain)
// with sampled path measures; exact ones with ANALYTICS_BENCH_EXACT=1.
func BenchmarkH2020Analyze(b *testing.B) {
	g, _ := loadH2020(b)
	var paths PathOptions
	if os.Getenv("ANALYTICS_BENCH_EXACT") == "" {
		paths.Sources = SampleSources(g.N(), benchK(g), 1)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := analyzeAll(context.Background(), g, paths, LouvainOptions{Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	reportPeakRSS(b)
}

// BenchmarkH2020ClosenessExact is exact closeness and harmonic centrality
// from every node with hop distances (multi-source BFS), the figure
// compared with GDS's closeness in scripts/bench-analytics.
func BenchmarkH2020ClosenessExact(b *testing.B) {
	g, _ := loadH2020(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PathCentrality(context.Background(), g, PathOptions{NoBetweenness: true}); err != nil {
			b.Fatal(err)
		}
	}
	reportPeakRSS(b)
}
