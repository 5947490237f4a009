// Command benchexport supports scripts/bench-export. It writes the synthetic
// benchmark graph (package synth) as CSV for the NetworkX side, and can time
// WriteGraphML on it in a fresh process.
//
//	benchexport -nodes 36000 -edges 800000 -csv DIR      # DIR/nodes.csv, DIR/edges.csv
//	benchexport -nodes 36000 -edges 800000 -graphml FILE # prints one JSON line
//	benchexport -participations FILE -csv DIR -graphml OUT # the real H2020 network
//
// The JSON line has write_s (wall time of WriteGraphML to the file, flushed),
// maxrss_mb (the process's peak RSS, getrusage) and bytes.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/collabnet/collabnet/export"
	"github.com/collabnet/collabnet/export/internal/h2020"
	"github.com/collabnet/collabnet/export/internal/synth"
	"github.com/collabnet/collabnet/graph"
)

func main() {
	nodes := flag.Int("nodes", 36000, "number of nodes")
	edges := flag.Int("edges", 800000, "number of edges")
	csvDir := flag.String("csv", "", "write nodes.csv and edges.csv into this directory")
	graphml := flag.String("graphml", "", "time WriteGraphML to this file")
	participations := flag.String("participations", "", "use the H2020 organisation network of this participations file instead of the synthetic graph")
	flag.Parse()
	ctx := context.Background()
	var g graph.PropGraph = synth.Graph{N: *nodes, M: *edges}
	if *participations != "" {
		net, err := h2020.Network(ctx, *participations)
		if err != nil {
			fail(err)
		}
		g = h2020.Graph{N: net}
	}
	if *csvDir != "" {
		if err := writeCSV(ctx, g, *csvDir); err != nil {
			fail(err)
		}
	}
	if *graphml != "" {
		start := time.Now()
		n, err := writeGraphML(ctx, g, *graphml)
		if err != nil {
			fail(err)
		}
		elapsed := time.Since(start)
		var ru syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		_ = json.NewEncoder(os.Stdout).Encode(map[string]any{
			"write_s":   elapsed.Seconds(),
			"maxrss_mb": float64(ru.Maxrss) / 1024, // Linux: kB
			"bytes":     n,
		})
	}
}

func writeCSV(ctx context.Context, g graph.PropGraph, dir string) error {
	nf, err := os.Create(filepath.Join(dir, "nodes.csv"))
	if err != nil {
		return err
	}
	defer func() { _ = nf.Close() }() // on an early return; the success path closes and checks below
	ef, err := os.Create(filepath.Join(dir, "edges.csv"))
	if err != nil {
		return err
	}
	defer func() { _ = ef.Close() }() // on an early return; the success path closes and checks below
	nb, eb := bufio.NewWriterSize(nf, 1<<16), bufio.NewWriterSize(ef, 1<<16)
	if err := export.WriteCSV(ctx, nb, eb, g, export.CSVOptions{}); err != nil {
		return err
	}
	if err := nb.Flush(); err != nil {
		return err
	}
	if err := eb.Flush(); err != nil {
		return err
	}
	if err := nf.Close(); err != nil {
		return err
	}
	return ef.Close()
}

func writeGraphML(ctx context.Context, g graph.PropGraph, path string) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer func() { _ = f.Close() }() // close on return; nothing written is left unflushed here
	if err := export.WriteGraphML(ctx, f, g, export.GraphMLOptions{}); err != nil {
		return 0, err
	}
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), f.Close()
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "benchexport:", err)
	os.Exit(1)
}
