package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/export"
	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/internal/atomicfile"
)

func newExportCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export --out FILE",
		Short: "Write the graph as GraphML, GEXF or CSV for Gephi, yEd, Cytoscape, NetworkX, igraph",
		Long: `Write one of three graphs:

  --level full     the whole property graph (organisations, agreements, events,
                   programmes, countries, sources, reported figures), directed;
                   apoc.import.graphml(file, {readLabels: true}) loads it into Neo4j
  --level org      the organisation network, undirected, weighted, with its
                   analytics scores as node attributes: by default the cheap
                   ones (degree, strength, pagerank, eigenvector, community),
                   which take seconds on hundreds of thousands of
                   organisations; --measures all (or a list) adds
                   betweenness, closeness, harmonic and clustering
  --level country  the country network, likewise, with every measure by default

as --format graphml (validates against the GraphML 1.0 schema), gexf (GEXF 1.3,
Gephi's own, coloured by community and sized by --size-by; --gexf-version 1.2
for NetworkX before 3.6) or csv (FILE is the
node list; the edge list goes beside it as FILE with -edges before the
extension). Writing streams: memory stays flat however large the graph.
The file is written under a temporary name and renamed, so a failed export
leaves no partial file; --out naming a symbolic link or a device (such as
/dev/null) is refused unless --force; --out - writes to standard output.

Property names that readers reserve are renamed in every format, the same
way: an element's own "id" is written as "key" (igraph, Gephi and APOC keep
the node id under "id"), "label", "labels", "type", "source", "target",
Cytoscape's "SUID", "shared name", ... get "_prop" (the list: the export
package's ReservedNodeNames and ReservedEdgeNames).`,
		Example: `  collabnet export --level org --format gexf --out orgs.gexf
  collabnet export --level full --out graph.graphml --source neo4j
  collabnet export --level org -i ../shared/datasets/h2020/participations.csv.gz --sample 200 --out h2020.graphml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := newExportOptions(a.v)
			if err != nil {
				return err
			}
			return a.runExport(cmd.Context(), o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	addInputFlags(cmd)
	addSourceFlag(cmd)
	addAnalysisFlags(cmd)
	f := cmd.Flags()
	f.String("level", "full", "graph to export: full, org or country")
	f.String("format", "", "graphml, gexf or csv (default: from the file's extension)")
	f.Lookup("format").Annotations = map[string][]string{"key": {"export.format"}}
	f.StringP("out", "o", "", "output file (required; - for standard output, except csv)")
	f.Bool("force", false, "write through a symbolic link or into a device file given as --out (refused otherwise)")
	// Its own key: "out" is the report's directory, with a default.
	f.Lookup("out").Annotations = map[string][]string{"key": {"export.out"}}
	f.String("size-by", "strength", "GEXF: node attribute that sets the node size")
	f.String("lang", "en", "language of the node labels: en (English name first) or zh (the name as the data give it, Chinese for Chinese parties)")
	f.String("color-by", "community", "GEXF: node attribute that sets the colour: community, avg_year (overlay, viridis), kind, country, or any other")
	f.String("gexf-version", "1.3", "GEXF: 1.3, or 1.2 (1.2draft) for readers that do not take 1.3 (NetworkX before 3.6)")
	addExcelFlag(cmd)
	return cmd
}

// runExport writes the graph of the level asked for, prints the paths
// written, and for an analysed level says on stderr what it computed.
func (a *app) runExport(ctx context.Context, o exportOptions, stdout, stderr io.Writer) error {
	ds, err := a.readGraph(ctx, o.sourceOptions)
	if err != nil {
		return err
	}
	var g graph.PropGraph
	dir := export.Directed
	if o.Level == "full" {
		g = graph.NewView(ds)
	} else {
		an, err := analysis.Analyze(ctx, ds, a.withFeedback(o.Analysis, stderr))
		if err != nil {
			return err
		}
		l := an.Org
		if an.Country != nil {
			l = an.Country
		}
		_, _ = fmt.Fprintln(stderr, computedNote(l))
		if l.Filtered != nil {
			_, _ = fmt.Fprintln(stderr, filterNote(l))
		}
		g, dir = l.PropGraph(), export.Undirected
		if an.Periods != nil {
			// Every period in one dynamic graph, for Gephi's timeline.
			g = an.DynamicPropGraph(l.Level)
			_, _ = fmt.Fprintf(stderr, "%d periods from %s to %s; %d undated agreements in none\n", len(an.Periods), an.Periods[0].Label, an.Periods[len(an.Periods)-1].Label, an.Undated)
		}
	}
	spells := ""
	if o.Level != "full" && o.Analysis.Period != "" {
		spells = analysis.SpellsKey
	}
	out := o.Out
	fo := atomicfile.Options{Force: o.Force}
	var write func(io.Writer) error
	switch o.Format {
	case "graphml":
		write = func(w io.Writer) error {
			return export.WriteGraphML(ctx, w, g, export.GraphMLOptions{Direction: dir, Lang: o.Lang, ColorBy: o.ColorBy})
		}
	case "gexf":
		write = func(w io.Writer) error {
			return export.WriteGEXF(ctx, w, g, export.GEXFOptions{Direction: dir, Version: o.GEXFVersion, ColorBy: o.ColorBy, Lang: o.Lang,
				SizeBy: o.SizeBy, WeightBy: "weight", SpellsBy: spells})
		}
	case "geojson":
		if o.Level != analysis.LevelCountry {
			return fmt.Errorf("--format geojson is for --level country (countries and the ties between them)")
		}
		write = func(w io.Writer) error {
			left, err := export.WriteGeoJSON(ctx, w, g, o.Lang)
			if left > 0 {
				_, _ = fmt.Fprintf(stderr, "geojson: %d countries without a boundary in Natural Earth are left out, with their ties\n", left)
			}
			return err
		}
	case "csv":
		edges := strings.TrimSuffix(out, filepath.Ext(out)) + "-edges" + filepath.Ext(out)
		if err := atomicfile.WriteWith(edges, fo, func(ew io.Writer) error {
			return atomicfile.WriteWith(out, fo, func(nw io.Writer) error {
				return export.WriteCSV(ctx, nw, ew, g, export.CSVOptions{Excel: o.Excel, Lang: o.Lang})
			})
		}); err != nil {
			return forceHint(err)
		}
		_, _ = fmt.Fprintln(stdout, out)
		_, _ = fmt.Fprintln(stdout, edges)
		return nil
	}
	if out == "-" {
		bw := bufio.NewWriterSize(stdout, 1<<20)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	if err := atomicfile.WriteWith(out, fo, write); err != nil {
		return forceHint(err)
	}
	_, _ = fmt.Fprintln(stdout, out)
	return nil
}

// forceHint adds to a refusal to write through a link or into a device
// how to ask for it.
func forceHint(err error) error {
	if errors.Is(err, atomicfile.ErrNotRegular) {
		return fmt.Errorf("%w (--force writes there; --out - writes to standard output)", err)
	}
	return err
}

// computedNote says which measures an export computed and how: path
// measures exactly or from a sample of sources.
func computedNote(l *analysis.Level) string {
	var exact, sampled []string
	for _, m := range l.Measures {
		if k, ok := l.Sampled[m]; ok {
			sampled = append(sampled, fmt.Sprintf("%s from %d sampled sources", m, k))
			continue
		}
		exact = append(exact, string(m))
	}
	var parts []string
	if len(exact) > 0 {
		parts = append(parts, "computed "+strings.Join(exact, ", ")+" exactly")
	}
	parts = append(parts, sampled...)
	var not []string
	for _, m := range analysis.AllMeasures() {
		if !l.Has(m) {
			not = append(not, string(m))
		}
	}
	if len(not) > 0 {
		parts = append(parts, fmt.Sprintf("not computed: %s (--measures)", strings.Join(not, ", ")))
	}
	return l.Level + " network: " + strings.Join(parts, "; ")
}

// filterNote says what the filters removed, in the order they applied.
func filterNote(l *analysis.Level) string {
	parts := []string{fmt.Sprintf("built from %d agreements", l.Filtered.Agreements)}
	if l.Filtered.Undated > 0 {
		parts = append(parts, fmt.Sprintf("%d undated left out", l.Filtered.Undated))
	}
	for _, s := range l.Filtered.Steps {
		parts = append(parts, s.String())
	}
	return l.Level + " network filtered: " + strings.Join(parts, "; ")
}
