package export

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/collabnet/collabnet/export/internal/h2020"
	"github.com/collabnet/collabnet/internal/h2020test"
)

// The H2020 organisation network (about 36,000 organisations, 800,000 ties)
// exported as GraphML validates against the schema and loads in NetworkX
// and igraph with the same numbers of nodes and edges: at full size (the
// readers' limits, the writer's streaming) in the full lane; with -short,
// the projects with an Indian participant (about 800 organisations, 9,300
// ties), which checks the same things but size.
func TestH2020OrgNetworkGraphML(t *testing.T) {
	src := h2020test.Path
	if _, err := os.Stat(src); err != nil {
		t.Skipf("%s absent: %v", src, err)
	}
	if testing.Short() {
		src = h2020test.ProjectsWith(t, t.TempDir(), "IN")
	}
	net, err := h2020.Network(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "h2020.graphml")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := WriteGraphML(context.Background(), w, h2020.Graph{N: net}, GraphMLOptions{Direction: Undirected}); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	f.Close()
	xmllintValidate(t, filepath.Join("testdata", "schema", "graphml", "graphml.xsd"), file)
	want := strconv.Itoa(net.N()) + " " + strconv.Itoa(net.M())
	for _, c := range []struct{ pkg, code string }{
		{"networkx", "import networkx as nx, sys; g = nx.read_graphml(sys.argv[1]); print(g.number_of_nodes(), g.number_of_edges())"},
		{"igraph", "import igraph, sys; g = igraph.Graph.Read_GraphML(sys.argv[1]); print(g.vcount(), g.ecount())"},
	} {
		if exec.Command("python3", "-c", "import "+c.pkg).Run() != nil {
			missing(t, "python3 module "+c.pkg+" is not installed (pip install "+c.pkg+")")
			continue
		}
		out, err := exec.Command("python3", "-c", c.code, file).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", c.pkg, err, out)
		}
		if got := strings.TrimSpace(string(out)); got != want {
			t.Errorf("%s reads %s nodes and edges, want %s", c.pkg, got, want)
		}
	}
}
