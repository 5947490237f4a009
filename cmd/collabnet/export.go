package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/collabnet/collabnet/export"
	"github.com/collabnet/collabnet/graph"
)

func newExportCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export --out FILE",
		Short: "Write the graph as GraphML, GEXF or CSV for Gephi, yEd, Cytoscape, NetworkX, igraph",
		Long: `Write one of three graphs:

  --level full     the whole property graph (organisations, agreements, events,
                   programmes, countries, sources, reported figures), directed;
                   apoc.import.graphml(file, {readLabels: true}) loads it into Neo4j
  --level org      the organisation network, undirected, weighted, with every
                   analytics score as a node attribute
  --level country  the country network, likewise

as --format graphml (validates against the GraphML 1.0 schema), gexf (GEXF 1.3,
Gephi's own, coloured by community and sized by --size-by; --gexf-version 1.2
for NetworkX before 3.6) or csv (FILE is the
node list; the edge list goes beside it as FILE with -edges before the
extension). Writing streams: memory stays flat however large the graph.

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
			ctx := cmd.Context()
			out := a.v.GetString("export.out")
			if out == "" {
				return fmt.Errorf("--out FILE is required")
			}
			format := a.v.GetString("export.format")
			if format == "" {
				format = strings.TrimPrefix(filepath.Ext(out), ".")
			}
			ds, err := a.readGraph(ctx)
			if err != nil {
				return err
			}
			var g graph.PropGraph
			dir := export.Directed
			switch lvl := a.v.GetString("level"); lvl {
			case "full":
				g = graph.NewView(ds)
			case "org", "country":
				an, err := a.analyze(ctx, ds)
				if err != nil {
					return err
				}
				g, dir = an.Org.PropGraph(), export.Undirected
				if lvl == "country" {
					g = an.Country.PropGraph()
				}
			default:
				return fmt.Errorf("level %q: want full, org or country", lvl)
			}
			var write func(io.Writer) error
			switch format {
			case "graphml":
				write = func(w io.Writer) error {
					return export.WriteGraphML(ctx, w, g, export.GraphMLOptions{Direction: dir})
				}
			case "gexf":
				write = func(w io.Writer) error {
					return export.WriteGEXF(ctx, w, g, export.GEXFOptions{Direction: dir, Version: a.v.GetString("gexf_version"), ColorBy: "community",
						SizeBy: a.v.GetString("size_by"), WeightBy: "weight"})
				}
			case "csv":
				edges := strings.TrimSuffix(out, filepath.Ext(out)) + "-edges" + filepath.Ext(out)
				if err := writeFile(edges, func(ew io.Writer) error {
					return writeFile(out, func(nw io.Writer) error { return export.WriteCSV(ctx, nw, ew, g) })
				}); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), out)
				fmt.Fprintln(cmd.OutOrStdout(), edges)
				return nil
			default:
				return fmt.Errorf("format %q: want graphml, gexf or csv", format)
			}
			if err := writeFile(out, write); err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), out)
			return nil
		},
	}
	addInputFlags(cmd)
	addSourceFlag(cmd)
	addAnalysisFlags(cmd)
	f := cmd.Flags()
	f.String("level", "full", "graph to export: full, org or country")
	f.String("format", "", "graphml, gexf or csv (default: from the file's extension)")
	f.Lookup("format").Annotations = map[string][]string{"key": {"export.format"}}
	f.StringP("out", "o", "", "output file (required)")
	// Its own key: "out" is the report's directory, with a default.
	f.Lookup("out").Annotations = map[string][]string{"key": {"export.out"}}
	f.String("size-by", "strength", "GEXF: node attribute that sets the node size")
	f.String("gexf-version", "1.3", "GEXF: 1.3, or 1.2 (1.2draft) for readers that do not take 1.3 (NetworkX before 3.6)")
	return cmd
}

// writeFile writes a file under a temporary name and renames it, so that a
// failed export leaves no half-written file.
func writeFile(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 1<<20)
	if err := write(bw); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
