package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/collabnet/collabnet/queries"
)

// query list and query show need no server.
func TestQueryListShow(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()
	out, err := run(t, dir, "query", "list", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var list []struct {
		Name   string
		Params []struct {
			Name    string
			Example any
		}
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != len(queries.List()) || len(list) < 13 {
		t.Fatalf("query list: %d queries", len(list))
	}
	for _, q := range list {
		if len(q.Params) == 0 {
			t.Errorf("%s: no parameters listed", q.Name)
		}
	}

	// show: :param lines (Browser 5 syntax), then the query as it is.
	out, err = run(t, dir, "query", "show", "partners")
	if err != nil {
		t.Fatal(err)
	}
	q, _ := queries.Get("partners")
	if want := ":param org => \"中关村工业互联网产业园\";\n\n" + q.Text + "\n"; out != want {
		t.Errorf("query show partners:\n%s\nwant\n%s", out, want)
	}
	out, err = run(t, dir, "query", "show", "shortest-path", "--param", "to=LAUNCH Rhein-Main")
	if err != nil || !strings.HasPrefix(out, ":param from => \"中关村工业互联网产业园\";\n:param to => \"LAUNCH Rhein-Main\";\n\n// name: shortest-path\n") {
		t.Errorf("query show shortest-path --param to=...: %v\n%s", err, out)
	}
	out, err = run(t, dir, "query", "show", "country-matrix", "-p", "countries=CN,DE")
	if err != nil || !strings.HasPrefix(out, ":param countries => [\"CN\", \"DE\"];\n") {
		t.Errorf("a list parameter: %v\n%s", err, out)
	}
	for _, args := range [][]string{
		{"query", "show", "nope"},
		{"query", "show", "top-by-score", "--param", "limit=ten"},
		{"query", "show", "partners", "--param", "organisation=x"},
		{"query", "show", "partners", "--param", "org"},
	} {
		if _, err := run(t, dir, args...); err == nil {
			t.Errorf("%v: want an error", args)
		}
	}
}

// query run against the curated dataset loaded by collabnet load.
func TestQueryRun(t *testing.T) {
	drv := useTestNeo4j(t)
	dir := t.TempDir()
	if _, err := run(t, dir, "load"); err != nil {
		t.Fatal(err)
	}

	// s002 is in traditional script: the park is found by its name as
	// written there. Its named partners: 北方工业大学 and 国家工业信息安全发展研究中心
	// in the platform they co-build (s002#9), 首尔经济振兴院 in the MoU (s002#1).
	out, err := run(t, dir, "query", "run", "partners", "--param", "org=中關村工業互聯網產業園", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var partners []map[string]any
	if err := json.Unmarshal([]byte(out), &partners); err != nil {
		t.Fatal(err)
	}
	if len(partners) != 3 || partners[0]["partner"] != "北方工业大学" || partners[1]["partner"] != "国家工业信息安全发展研究中心" ||
		partners[2]["organization"] != "中关村工业互联网产业园" || partners[2]["partner"] != "首尔经济振兴院" ||
		partners[2]["country"] != "KR" || partners[2]["agreements"] != 1.0 {
		t.Errorf("partners of 中關村工業互聯網產業園: %v", partners)
	}
	// JSON keeps the query's column order.
	if !strings.HasPrefix(strings.TrimSpace(out), "[\n  {\n    \"organization\": ") {
		t.Errorf("JSON columns out of order: %.80s", out)
	}
	// s003#11: 中关村国际孵化器 with 德国LAUNCH Rhein-Main.
	if out, err := run(t, dir, "query", "run", "partners", "-p", "org=中關村國際孵化器"); err != nil || !strings.Contains(out, "LAUNCH Rhein-Main") {
		t.Errorf("partners of 中關村國際孵化器: %v\n%s", err, out)
	}

	// Without --param, the examples: the five named 牵手计划 pairs (s003#11).
	out, err = run(t, dir, "query", "run", "programme-agreements", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 6 || strings.Join(recs[0], ",") != "programme,agreement,type,date,event,parties,countries" {
		t.Fatalf("programme-agreements: %d rows\n%s", len(recs), out)
	}
	pairs := map[string]bool{}
	for _, r := range recs[1:] {
		pairs[r[5]] = true
	}
	for _, p := range []string{"南中轴国际文化科技园, 俄罗斯中国“一带一路”投资发展基金会", "中关村(大兴)细胞基因治疗产业园, 剑桥启迪科技园",
		"中关村(海淀)生物制造产业园, 嘉丰智谷产业园", "中关村国际孵化器, LAUNCH Rhein-Main", "巴西出口投资促进局, 中关村生命科学园"} {
		if !pairs[p] {
			t.Errorf("pair %s missing from %v", p, pairs)
		}
	}

	// Paths in a table: names and arrows in the direction of the stored
	// relationship (PARTNER_OF runs from the smaller ID).
	out, err = run(t, dir, "query", "run", "shortest-path")
	if err != nil || !strings.Contains(out, "中关村工业互联网产业园 <-[PARTNER_OF]- 首尔经济振兴院") {
		t.Errorf("shortest-path: %v\n%s", err, out)
	}
	// Paths in JSON: nodes with labels and every property.
	out, err = run(t, dir, "query", "run", "neighbourhood", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var hood []struct {
		Path struct {
			Nodes []struct {
				Labels     []string
				Properties map[string]any
			}
			Relationships []struct{ Type string }
		}
	}
	if err := json.Unmarshal([]byte(out), &hood); err != nil || len(hood) == 0 {
		t.Fatalf("neighbourhood: %v %.200s", err, out)
	}
	if n := hood[0].Path.Nodes[0]; n.Properties["id"] != "zgc-industrial-internet-park" || n.Properties["kind"] != "science_park" || len(n.Labels) != 2 {
		t.Errorf("neighbourhood: first node %+v", n)
	}

	// The score query on scores written by analyze --write: 中关村工业互联网产业园
	// has three partners (s002#1, #9), its two platform partners two each
	// (s002#9), the other thirteen parties of the named agreements (s003#11,
	// s001#22) one each, every other organisation none.
	if _, err := run(t, dir, "analyze", "--source", "neo4j", "--write", "--level", "org"); err != nil {
		t.Fatal(err)
	}
	out, err = run(t, dir, "query", "run", "top-by-score", "-p", "score=degree", "-p", "limit=17", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	recs, _ = csv.NewReader(strings.NewReader(out)).ReadAll()
	var ids []string
	for i, r := range recs[1:] {
		want := "0"
		switch {
		case i == 0:
			want = "3"
		case i < 3:
			want = "2"
		case i < 16:
			want = "1"
		}
		if r[3] != want {
			t.Errorf("top-by-score row %d: %v, want degree %s", i+1, r, want)
		}
		if i < 16 {
			ids = append(ids, r[0])
		}
	}
	if want := "zgc-industrial-internet-park ncut nisdc apexbrasil cambridge-tus-park fengtai-district-government jiafeng-zhigu-park " +
		"launch-rhein-main nanzhongzhou-park russia-china-bri-foundation seoul-business-agency zgc-daxing-cell-gene-therapy-park " +
		"zgc-group zgc-haidian-biomanufacturing-park zgc-international-incubator zgc-life-science-park"; strings.Join(ids, " ") != want {
		t.Errorf("top-by-score degree: %s\nwant %s", strings.Join(ids, " "), want)
	}

	// Ad-hoc files: parameters, and the output of query show runs as is.
	file := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	countries := file("countries.cypher", "// mine\nMATCH (c:Country) WHERE c.code IN $codes RETURN c.code AS code, c ORDER BY code;\n")
	out, err = run(t, dir, "query", "run", "--file", countries, "--param", "codes=[KR, BR]", "--format", "csv")
	if err != nil || out != "code,c\nBR,Brazil\nKR,South Korea\n" {
		t.Errorf("ad-hoc query: %v\n%q", err, out)
	}
	if _, err := run(t, dir, "query", "run", "--file", countries); err == nil || !strings.Contains(err.Error(), "needs a value for $codes") {
		t.Errorf("ad-hoc query without its parameter: %v", err)
	}
	shown, err := run(t, dir, "query", "show", "partners", "-p", "org=ApexBrasil")
	if err != nil {
		t.Fatal(err)
	}
	out, err = run(t, dir, "query", "run", "--file", file("shown.cypher", shown))
	if err != nil || !strings.Contains(out, "中关村生命科学园") {
		t.Errorf("query show's output, run: %v\n%s", err, out)
	}

	// A query that writes is refused without --write, whatever it looks
	// like: the server's query type decides.
	countX := func() int64 {
		res, err := neo4j.ExecuteQuery(context.Background(), drv, "MATCH (n:X) RETURN count(n)", nil, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatal(err)
		}
		return res.Records[0].Values[0].(int64)
	}
	for text, typ := range map[string]string{
		"CREATE (n:X) RETURN n":                                                                             "rw",
		"MATCH (o:Organization) SET o.touched = true":                                                       "w",
		"CALL apoc.create.node(['X'], {}) YIELD node RETURN 1":                                              "rw",
		"CREATE INDEX x_y IF NOT EXISTS FOR (n:X) ON (n.y)":                                                 "s",
		"// name: sneaky\n// returns: nothing\n// description: reads, says the header\nmerge (n:X {id: 1})": "w",
	} {
		_, err := run(t, dir, "query", "run", "--file", file("w.cypher", text))
		if err == nil || !strings.Contains(err.Error(), `writes (the server's query type is "`+typ+`"`) || !strings.Contains(err.Error(), "--write") {
			t.Errorf("%s: want a refusal naming type %s, got %v", text, typ, err)
		}
	}
	if n := countX(); n != 0 {
		t.Fatalf("a refused query wrote: %d X nodes", n)
	}
	if _, err := run(t, dir, "query", "run", "--file", file("w.cypher", "CREATE (n:X) RETURN n"), "--write"); err != nil {
		t.Fatal(err)
	}
	if n := countX(); n != 1 {
		t.Errorf("with --write: %d X nodes, want 1", n)
	}
	// --write comes from the command line only.
	t.Setenv("COLLABNET_WRITE", "true")
	if _, err := run(t, dir, "query", "run", "--file", file("w.cypher", "CREATE (n:X) RETURN n")); err == nil {
		t.Error("COLLABNET_WRITE=true let a write through")
	}

	for _, args := range [][]string{
		{"query", "run"},
		{"query", "run", "partners", "--file", countries},
		{"query", "run", "partners", "--param", "organisation=x"},
	} {
		if _, err := run(t, dir, args...); err == nil {
			t.Errorf("%v: want an error", args)
		}
	}
}

// query run --timeout passes the limit to the server as the transaction's
// timeout: a query that sleeps a minute is stopped after a second with an
// error that says so; a library query within its limit runs as usual.
func TestQueryTimeout(t *testing.T) {
	useTestNeo4j(t)
	dir := t.TempDir()
	if _, err := run(t, dir, "load"); err != nil {
		t.Fatal(err)
	}
	slow := filepath.Join(dir, "slow.cypher")
	if err := os.WriteFile(slow, []byte("CALL apoc.util.sleep(60000) RETURN 1 AS slept\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	out, err := run(t, dir, "query", "run", "--file", slow, "--timeout", "1s")
	took := time.Since(start)
	if err == nil || !strings.Contains(err.Error(), "ran out of time") || !strings.Contains(err.Error(), "timeout of 1s") {
		t.Errorf("a minute's sleep with --timeout 1s: %v %s; want the timeout named", err, out)
	}
	// The server stopped it: the run did not last the minute's sleep.
	if took > 45*time.Second {
		t.Errorf("the query ran %v: the timeout of 1s did not stop it", took)
	}
	if out, err := run(t, dir, "query", "run", "countries-by-partners", "--timeout", "30s", "--format", "csv"); err != nil || !strings.HasPrefix(out, "country") {
		t.Errorf("a library query with --timeout 30s: %v %.80s", err, out)
	}
	if _, err := run(t, dir, "query", "run", "countries-by-partners", "--timeout", "-1s"); err == nil || !strings.Contains(err.Error(), "--timeout -1s") {
		t.Errorf("--timeout -1s: %v", err)
	}
}

// A query run with --write that empties the database removes the load
// state too: that is the query's own doing, not a load that started while
// it ran, so the run succeeds (it used to fail, exit 1 after the write had
// committed, with "load 0 () started meanwhile"). The graph is then empty
// and no load is recorded.
func TestQueryWriteThatRemovesLoadState(t *testing.T) {
	drv := useTestNeo4j(t)
	dir := t.TempDir()
	if _, err := run(t, dir, "load"); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(dir, "wipe.cypher")
	if err := os.WriteFile(f, []byte("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := run(t, dir, "query", "run", "--file", f, "--write"); err != nil {
		t.Fatalf("a query that empties the database: %v\n%s", err, out)
	}
	res, err := neo4j.ExecuteQuery(t.Context(), drv, "MATCH (n) RETURN count(n) AS n", nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.Records[0].Values[0].(int64); n != 0 {
		t.Errorf("%d nodes left after the wipe", n)
	}
	out, err := run(t, dir, "sources")
	if err != nil || !strings.Contains(out, "no load recorded") {
		t.Errorf("sources after the wipe: %v\n%s", err, out)
	}
}
