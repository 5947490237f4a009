package graph_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/internal/neo4jtest"
	"github.com/collabnet/collabnet/loader"
)

// testNeo4j connects to the test server that scripts/neo4j-test-server
// starts (scripts/test exports its URI as COLLABNET_TEST_NEO4J_URI) and
// empties it: never point that variable at a database you care about.
// Without a server the test skips, except under CI, where it fails.
func testNeo4j(t *testing.T, batch int) (*graph.Neo4jStore, neo4j.DriverWithContext) {
	t.Helper()
	srv := neo4jtest.Require(t)
	drv := srv.Driver(t)
	neo4jtest.Empty(t, drv)
	ctx := context.Background()
	s, err := graph.OpenNeo4j(ctx, graph.Neo4jConfig{URI: srv.URI, User: srv.User, Password: srv.Password, BatchSize: batch})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(ctx) })
	return s, drv
}

// counts are the numbers of nodes per label set and relationships per type.
func counts(t *testing.T, drv neo4j.DriverWithContext) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, q := range []string{
		"MATCH (n) RETURN apoc.text.join(apoc.coll.sort(labels(n)), ':') AS k, count(*) AS c",
		"MATCH ()-[r]->() RETURN type(r) AS k, count(*) AS c",
	} {
		res, err := neo4j.ExecuteQuery(context.Background(), drv, q, nil, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Records {
			out[r.Values[0].(string)] = r.Values[1].(int64)
		}
	}
	return out
}

func sameDataset(t *testing.T, got, want *graph.Dataset) {
	t.Helper()
	for _, k := range []string{"Organizations", "Countries", "Events", "Programmes", "Agreements", "Sources", "Figures", "Relations"} {
		a := reflect.ValueOf(want).Elem().FieldByName(k)
		b := reflect.ValueOf(got).Elem().FieldByName(k)
		if a.Len() != b.Len() {
			t.Errorf("%s: %d read back, want %d", k, b.Len(), a.Len())
			continue
		}
		n := 0
		for _, key := range a.MapKeys() {
			x, y := a.MapIndex(key), b.MapIndex(key)
			if !y.IsValid() || !reflect.DeepEqual(x.Interface(), y.Interface()) {
				if n++; n <= 3 {
					t.Errorf("%s %v: read back %+v, want %+v", k, key, deref(y), deref(x))
				}
			}
		}
	}
}

func deref(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	return v.Elem().Interface()
}

func TestNeo4jSchemaTwice(t *testing.T) {
	s, drv := testNeo4j(t, 0)
	ctx := context.Background()
	count := func() int {
		res, err := neo4j.ExecuteQuery(ctx, drv, "SHOW INDEXES YIELD name RETURN count(*) AS c", nil, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatal(err)
		}
		return int(res.Records[0].Values[0].(int64))
	}
	if err := s.ApplySchema(ctx); err != nil {
		t.Fatal(err)
	}
	first := count()
	if err := s.ApplySchema(ctx); err != nil {
		t.Fatalf("schema applied twice: %v", err)
	}
	if n := count(); n != first || n < 12 {
		t.Errorf("indexes: %d after the second apply, %d after the first (want at least 12)", n, first)
	}
}

// Loading twice gives identical counts, and the graph read back from Neo4j
// equals the embedded one, Chinese names included.
func TestNeo4jLoadTwice(t *testing.T) {
	s, drv := testNeo4j(t, 0)
	ctx := context.Background()
	ds := curated(t)
	if _, err := s.Write(ctx, ds, false); err != nil {
		t.Fatal(err)
	}
	first := counts(t, drv)
	if _, err := s.Write(ctx, ds, false); err != nil {
		t.Fatal(err)
	}
	if second := counts(t, drv); !reflect.DeepEqual(first, second) {
		t.Errorf("counts changed on the second load:\n%v\n%v", first, second)
	}
	if first["Agreement"] != int64(len(ds.Agreements)) || first["Organization"]+first["Organization:SciencePark"] == 0 {
		t.Errorf("counts %v do not match the dataset %+v", first, ds.Counts())
	}
	if first["PARTNER_OF"] != int64(len(ds.Partnerships())) {
		t.Errorf("PARTNER_OF %d, want %d", first["PARTNER_OF"], len(ds.Partnerships()))
	}
	back, err := s.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sameDataset(t, back, ds)
	// The full-text index finds an organisation by its name in either script.
	for _, q := range []string{"中關村工業互聯網產業園", "中关村工业互联网产业园", "Seoul Business Agency"} {
		res, err := neo4j.ExecuteQuery(ctx, drv, "CALL db.index.fulltext.queryNodes($ix, $q) YIELD node RETURN node.id AS id LIMIT 1",
			map[string]any{"ix": graph.FulltextIndex, "q": `"` + q + `"`}, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Records) == 0 {
			t.Errorf("full-text search for %s found nothing", q)
		}
	}
	// A dry run of the same data finds nothing to change.
	st, err := s.Write(ctx, ds, true)
	if err != nil {
		t.Fatal(err)
	}
	for kind, c := range st {
		if c.New+c.Updated != 0 {
			t.Errorf("dry run after a load: %s %+v", kind, *c)
		}
	}
}

// A load stopped midway leaves no half-written agreement, and a rerun
// gives the same graph as a clean load.
func TestNeo4jInterruptedLoad(t *testing.T) {
	s, drv := testNeo4j(t, 2)
	ds := curated(t)
	ctx, cancel := context.WithCancel(context.Background())
	s.Progress = func(phase string, done, total int) {
		if phase == "agreements" && done >= 2 && done < total {
			cancel()
		}
	}
	_, err := s.Write(ctx, ds, false)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted load: err = %v, want context.Canceled", err)
	}
	s.Progress = nil
	res, err := neo4j.ExecuteQuery(context.Background(), drv, `MATCH (a:Agreement)
RETURN count(a) AS n, sum(CASE WHEN COUNT { (a)<-[:PARTY_TO]-() } < 2 OR NOT (a)-[:SOURCED_FROM]->() THEN 1 ELSE 0 END) AS half`,
		nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	n, half := res.Records[0].Values[0].(int64), res.Records[0].Values[1].(int64)
	if n == 0 || n >= int64(len(ds.Agreements)) || half != 0 {
		t.Fatalf("after the interruption: %d agreements (of %d), %d half-written; want some, not all, none half-written", n, len(ds.Agreements), half)
	}
	if _, err := s.Write(context.Background(), ds, false); err != nil {
		t.Fatal(err)
	}
	rerun := counts(t, drv)
	back, err := s.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sameDataset(t, back, ds)
	// A clean load of the same data gives the same counts.
	s2, drv2 := testNeo4j(t, 0)
	if _, err := s2.Write(context.Background(), ds, false); err != nil {
		t.Fatal(err)
	}
	if clean := counts(t, drv2); !reflect.DeepEqual(rerun, clean) {
		t.Errorf("rerun after interruption %v, clean load %v", rerun, clean)
	}
}

// A large real input round-trips: the twin-town list (26k pairs).
func TestNeo4jLargeInputRoundTrip(t *testing.T) {
	path := filepath.Join("..", "..", "shared", "datasets", "twincities", "twin_cities.csv")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s absent: %v", path, err)
	}
	s, _ := testNeo4j(t, 5000)
	l, _ := loader.New(loader.Options{FoldAccents: true, SkipInvalid: true,
		CountryAliases: map[string]string{"Grece": "GR", "Japa": "JP", "Kazakhstah": "KZ", "Madagaskar": "MG", "Island": "IS", "in Italy": "IT"}})
	ds, _, err := l.Load(context.Background(), []loader.Input{loader.FileInput(path)})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := s.Write(context.Background(), ds, false); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d agreements, %d organisations in %v", len(ds.Agreements), len(ds.Organizations), time.Since(start))
	back, err := s.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sameDataset(t, back, ds)
}

func TestNeo4jWrongPassword(t *testing.T) {
	testNeo4j(t, 0) // skips or fails like the others when there is no server
	_, err := graph.OpenNeo4j(context.Background(), graph.Neo4jConfig{URI: os.Getenv("COLLABNET_TEST_NEO4J_URI"),
		User: "neo4j", Password: "not-the-password"})
	if err == nil || !strings.Contains(err.Error(), "wrong user or password") || strings.Contains(err.Error(), "not-the-password") {
		t.Errorf("wrong password: %v", err)
	}
	_, err = graph.OpenNeo4j(context.Background(), graph.Neo4jConfig{URI: "bolt://127.0.0.1:1", User: "neo4j",
		Password: "x", ConnectTimeout: 2 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Errorf("unreachable server: %v", err)
	}
}
