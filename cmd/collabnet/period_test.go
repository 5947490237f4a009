package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// Four projects: P1 DE–FR 2015, P2 FR–IT 2016, P3 DE–FR 2017, P4 DE–ES
// undated. Per year, the country network is DE–FR, FR–IT, DE–FR; ES is in
// no period.
const periodCSV = `project,pic,name,country,start_date
P1,1,Org A,DE,2015-03-01
P1,2,Org B,FR,2015-03-01
P2,2,Org B,FR,2016-05-01
P2,3,Org C,IT,2016-05-01
P3,1,Org A,DE,2017-01-01
P3,2,Org B,FR,2017-01-01
P4,4,Org D,ES,
P4,1,Org A,DE,
`

// export --period year writes a dynamic GEXF that NetworkX 3 reads with
// the spells worked out by hand above: Gephi's timeline plays the same
// elements.
func TestDynamicGEXFReadByNetworkX(t *testing.T) {
	if testing.Short() {
		t.Skip("third-party readers (Python): the full lane, scripts/test; -short keeps the schema checks")
	}
	needPython(t, "networkx", "", "pip install networkx")
	dir := t.TempDir()
	in := filepath.Join(dir, "p.csv")
	if err := os.WriteFile(in, []byte(periodCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "dyn.gexf")
	if msg, err := run(t, "", "export", "--level", "country", "--period", "year", "--measures", "degree", "-i", in, "-o", out); err != nil {
		t.Fatalf("%v\n%s", err, msg)
	}
	script := `
import json, sys, networkx as nx
g = nx.read_gexf(sys.argv[1])
print(json.dumps({"mode": g.graph.get("mode"),
  "nodes": {n: [list(s) for s in d.get("spells", [])] for n, d in g.nodes(data=True)},
  "edges": {"-".join(sorted((u, v))): [list(s) for s in d.get("spells", [])] for u, v, d in g.edges(data=True)}}))
`
	cmd := exec.Command("python3", "-c", script, out)
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("networkx: %v\n%s", err, b)
	}
	var got struct {
		Mode  string
		Nodes map[string][][2]string
		Edges map[string][][2]string
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	want := struct {
		Nodes, Edges map[string][][2]string
	}{
		Nodes: map[string][][2]string{
			"DE": {{"2015-01-01", "2015-12-31"}, {"2017-01-01", "2017-12-31"}},
			"FR": {{"2015-01-01", "2017-12-31"}},
			"IT": {{"2016-01-01", "2016-12-31"}},
		},
		Edges: map[string][][2]string{
			"DE-FR": {{"2015-01-01", "2015-12-31"}, {"2017-01-01", "2017-12-31"}},
			"FR-IT": {{"2016-01-01", "2016-12-31"}},
		},
	}
	if got.Mode != "dynamic" || !reflect.DeepEqual(got.Nodes, want.Nodes) || !reflect.DeepEqual(got.Edges, want.Edges) {
		t.Errorf("NetworkX read mode %q, nodes %v, edges %v; want dynamic, %v, %v", got.Mode, got.Nodes, got.Edges, want.Nodes, want.Edges)
	}
}

// analyze --period year prints who entered and left, with strengths and
// ranks, and says nothing of the undated project's country.
func TestAnalyzePeriodTable(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "p.csv")
	if err := os.WriteFile(in, []byte(periodCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := run(t, "", "analyze", "--level", "country", "--period", "year", "--format", "csv", "-i", in)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := `from,to,id,change,strength_from,strength_to,rank_from,rank_to
2015,2016,DE,left,1,,1,
2015,2016,FR,stayed,1,1,1,1
2015,2016,IT,entered,,1,,1
2016,2017,DE,entered,,1,,1
2016,2017,FR,stayed,1,1,1,1
2016,2017,IT,left,1,,1,
`
	if !strings.HasSuffix(out, want) {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// --roll-up is the partners query's; on another it is refused before any
// connection.
func TestQueryRollUpOnlyPartners(t *testing.T) {
	if _, err := run(t, "", "query", "run", "shortest-path", "--roll-up"); err == nil || !strings.Contains(err.Error(), "partners") {
		t.Errorf("query run shortest-path --roll-up: %v, want a refusal naming partners", err)
	}
}

// list agreements --between lists the agreements behind one tie, within
// the same window as the analysis: DE–FR since 2016 is P3 alone (P1 is of
// 2015, P4 undated and DE–ES).
func TestListAgreementsBehindATie(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "p.csv")
	if err := os.WriteFile(in, []byte(periodCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := run(t, "", "list", "agreements", "--between", "DE,FR", "--since", "2016", "-f", "csv", "-i", in)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var ids []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		ids = append(ids, strings.SplitN(l, ",", 2)[0])
	}
	if want := []string{"project:P3"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("agreements %v, want %v\n%s", ids, want, out)
	}
	if _, err := run(t, "", "list", "organizations", "--since", "2016"); err == nil {
		t.Error("list organizations --since was accepted")
	}
}
