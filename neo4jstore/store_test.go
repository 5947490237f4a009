package neo4jstore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/internal/curated"
	"github.com/collabnet/collabnet/internal/neo4jtest"
	"github.com/collabnet/collabnet/loader"
	"github.com/collabnet/collabnet/neo4jstore"
)

// testNeo4j connects to the test server that scripts/neo4j-test-server
// starts (scripts/test exports its URI as COLLABNET_TEST_NEO4J_URI) and
// empties it: never point that variable at a database you care about.
// Without a server the test skips, except under CI, where it fails.
func testNeo4j(t *testing.T, batch int) (*neo4jstore.Store, neo4j.DriverWithContext) {
	t.Helper()
	srv := neo4jtest.Require(t)
	drv := srv.Driver(t)
	neo4jtest.Empty(t, drv)
	ctx := context.Background()
	s, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: srv.URI, User: srv.User, Password: srv.Password, BatchSize: batch})
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

// ties returns the PARTNER_OF ties in Neo4j as "from to agreements" lines.
func ties(t *testing.T, drv neo4j.DriverWithContext) []string {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), drv, `MATCH (x:Organization)-[r:PARTNER_OF]->(y:Organization)
RETURN x.id + ' ' + y.id + ' ' + toString(r.agreements) AS tie ORDER BY tie`, nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range res.Records {
		out = append(out, r.Values[0].(string))
	}
	return out
}

// wantTies are the ties of ds's agreements, computed in Go, in ties' form.
func wantTies(ds *graph.Dataset) []string {
	var out []string
	for _, p := range ds.Partnerships() {
		out = append(out, fmt.Sprintf("%s %s %d", p.A, p.B, p.Agreements))
	}
	slices.Sort(out)
	return out
}

func sameTies(t *testing.T, drv neo4j.DriverWithContext, ds *graph.Dataset) {
	t.Helper()
	if got, want := ties(t, drv), wantTies(ds); !slices.Equal(got, want) {
		t.Errorf("PARTNER_OF ties in Neo4j:\n%v\nwant:\n%v", got, want)
	}
}

// csvInput writes text to dir/name and returns it as a loader input.
func csvInput(t *testing.T, dir, name, text string) loader.Input {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return loader.FileInput(path)
}

// loadInputs reads inputs with the loader's default options.
func loadInputs(t *testing.T, ins ...loader.Input) *graph.Dataset {
	t.Helper()
	l, _ := loader.New(loader.Options{})
	ds, _, err := l.Load(context.Background(), ins)
	if err != nil {
		t.Fatal(err)
	}
	return ds
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
	ds := curated.Load(t)
	if _, err := s.Write(ctx, ds, neo4jstore.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	first := counts(t, drv)
	if _, err := s.Write(ctx, ds, neo4jstore.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if second := counts(t, drv); !reflect.DeepEqual(first, second) {
		t.Errorf("counts changed on the second load:\n%v\n%v", first, second)
	}
	if first["Agreement"] != int64(len(ds.Agreements)) || first["Organization"]+first["Organization:SciencePark"] == 0 {
		t.Errorf("counts %v do not match the dataset %+v", first, ds.Counts())
	}
	sameTies(t, drv, ds)
	back, err := s.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sameDataset(t, back, ds)
	// The full-text index finds an organisation by its name in either script.
	for _, q := range []string{"中關村工業互聯網產業園", "中关村工业互联网产业园", "Seoul Business Agency"} {
		res, err := neo4j.ExecuteQuery(ctx, drv, "CALL db.index.fulltext.queryNodes($ix, $q) YIELD node RETURN node.id AS id LIMIT 1",
			map[string]any{"ix": neo4jstore.FulltextIndex, "q": `"` + q + `"`}, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Records) == 0 {
			t.Errorf("full-text search for %s found nothing", q)
		}
	}
	// A dry run of the same data finds nothing to change.
	st, err := s.Write(ctx, ds, neo4jstore.WriteOptions{DryRun: true})
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
	ds := curated.Load(t)
	ctx, cancel := context.WithCancel(context.Background())
	progress := func(phase string, done, total int) {
		if phase == "agreements" && done >= 2 && done < total {
			cancel()
		}
	}
	_, err := s.Write(ctx, ds, neo4jstore.WriteOptions{Progress: progress})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted load: err = %v, want context.Canceled", err)
	}
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
	if _, err := s.Write(context.Background(), ds, neo4jstore.WriteOptions{Progress: progress}); err != nil {
		t.Fatal(err)
	}
	rerun := counts(t, drv)
	sameTies(t, drv, ds)
	back, err := s.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sameDataset(t, back, ds)
	// A clean load of the same data gives the same counts.
	s2, drv2 := testNeo4j(t, 0)
	if _, err := s2.Write(context.Background(), ds, neo4jstore.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if clean := counts(t, drv2); !reflect.DeepEqual(rerun, clean) {
		t.Errorf("rerun after interruption %v, clean load %v", rerun, clean)
	}
}

// A load stopped while it counts the ties leaves the agreements whole, and
// a rerun counts every tie once.
func TestNeo4jInterruptedTies(t *testing.T) {
	// One project of 30 organisations: 435 ties; with batches of one, the
	// ties are counted ten organisations at a time.
	var csv strings.Builder
	csv.WriteString("rcn,pic,country\n")
	for i := 101; i <= 130; i++ {
		fmt.Fprintf(&csv, "1,%d,DE\n", i)
	}
	ds := loadInputs(t, csvInput(t, t.TempDir(), "project.csv", csv.String()))
	s, drv := testNeo4j(t, 1)
	ctx, cancel := context.WithCancel(context.Background())
	progress := func(phase string, done, total int) {
		if phase == "partners" && done < total {
			cancel()
		}
	}
	if _, err := s.Write(ctx, ds, neo4jstore.WriteOptions{Progress: progress}); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted load: err = %v, want context.Canceled", err)
	}
	if got, want := len(ties(t, drv)), len(wantTies(ds)); got >= want {
		t.Fatalf("after the interruption: %d ties of %d; want the load stopped before the last", got, want)
	}
	if _, err := s.Write(context.Background(), ds, neo4jstore.WriteOptions{Progress: progress}); err != nil {
		t.Fatal(err)
	}
	sameTies(t, drv, ds)
}

// Inputs loaded one after another: a participations file in two parts,
// project 1 with parties in both. The graph is the one both parts make
// loaded together: project 1 has its three parties and their three ties,
// and loading the parts again changes nothing.
func TestNeo4jInputsOneAfterAnother(t *testing.T) {
	dir := t.TempDir()
	parts := map[string]string{
		"part1.csv": "rcn,role,pic,type,country\n1,coordinator,100,HES,DE\n1,participant,200,PRC,FR\n3,coordinator,100,HES,DE\n3,participant,300,REC,IT\n",
		"part2.csv": "rcn,role,pic,type,country\n2,coordinator,200,PRC,FR\n2,participant,300,REC,IT\n1,participant,300,REC,IT\n",
	}
	var all []loader.Input
	for _, name := range []string{"part1.csv", "part2.csv"} {
		all = append(all, csvInput(t, dir, name, parts[name]))
	}
	together := loadInputs(t, all...)
	// 100-200 (project 1), 100-300 (1, 3), 200-300 (1, 2): the tie 100-300
	// needs part1's party 100 and part2's party 300 of project 1.
	if got := wantTies(together); !slices.Equal(got, []string{"100 200 1", "100 300 2", "200 300 2"}) {
		t.Fatalf("the parts loaded together make ties %v", got)
	}
	s, drv := testNeo4j(t, 0)
	ctx := context.Background()
	for round := 1; round <= 2; round++ {
		for _, in := range all {
			if _, err := s.Write(ctx, loadInputs(t, in), neo4jstore.WriteOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		sameTies(t, drv, together)
		back, err := s.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sameDataset(t, back, together)
		res, err := neo4j.ExecuteQuery(ctx, drv, "MATCH (a:Agreement {id: 'project:1'}) RETURN a.parties AS n", nil, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatal(err)
		}
		if n := res.Records[0].Values[0]; n != int64(3) {
			t.Errorf("round %d: project 1 has parties = %v, want 3", round, n)
		}
	}
}

// A large real input round-trips: the twin-town list (26k pairs).
func TestNeo4jLargeInputRoundTrip(t *testing.T) {
	path := filepath.Join("..", "..", "shared", "datasets", "twincities", "twin_cities.csv")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s absent: %v", path, err)
	}
	// Batches of 5000 agreements, two written at a time (the default).
	s, drv := testNeo4j(t, 5000)
	l, _ := loader.New(loader.Options{FoldAccents: true, SkipInvalid: true,
		CountryAliases: map[string]string{"Grece": "GR", "Japa": "JP", "Kazakhstah": "KZ", "Madagaskar": "MG", "Island": "IS", "in Italy": "IT"}})
	ds, _, err := l.Load(context.Background(), []loader.Input{loader.FileInput(path)})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := s.Write(context.Background(), ds, neo4jstore.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d agreements, %d organisations in %v", len(ds.Agreements), len(ds.Organizations), time.Since(start))
	back, err := s.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sameDataset(t, back, ds)
	sameTies(t, drv, ds)
}

func TestNeo4jWrongPassword(t *testing.T) {
	testNeo4j(t, 0) // skips or fails like the others when there is no server
	_, err := neo4jstore.Open(context.Background(), neo4jstore.Config{URI: os.Getenv("COLLABNET_TEST_NEO4J_URI"),
		User: "neo4j", Password: "not-the-password"})
	if err == nil || !strings.Contains(err.Error(), "wrong user or password") || strings.Contains(err.Error(), "not-the-password") {
		t.Errorf("wrong password: %v", err)
	}
	_, err = neo4jstore.Open(context.Background(), neo4jstore.Config{URI: "bolt://127.0.0.1:1", User: "neo4j",
		Password: "x", ConnectTimeout: 2 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Errorf("unreachable server: %v", err)
	}
}

// Loads running at once, into one database: a participations file, its two
// parts and the file again, 60 projects among 40 organisations, written 8
// agreements a batch. One load waits for another (Waiting says for whom),
// and the graph is the whole file's: no tie created twice, none lost.
func TestNeo4jConcurrentLoads(t *testing.T) {
	var whole strings.Builder
	var part [2]strings.Builder
	header := "rcn,role,pic,type,country\n"
	whole.WriteString(header)
	part[0].WriteString(header)
	part[1].WriteString(header)
	for p := 1; p <= 60; p++ {
		for i := range 6 {
			org := 100 + (p*7+i*i*3)%40 // parties overlap across projects
			line := fmt.Sprintf("%d,participant,%d,PRC,DE\n", p, org)
			whole.WriteString(line)
			part[p%2].WriteString(line)
		}
	}
	dir := t.TempDir()
	ins := []loader.Input{csvInput(t, dir, "whole.csv", whole.String()), csvInput(t, dir, "even.csv", part[0].String()),
		csvInput(t, dir, "odd.csv", part[1].String())}
	together := loadInputs(t, ins[0])
	if n := len(wantTies(together)); n < 200 {
		t.Fatalf("the file makes %d ties; want a denser test graph", n)
	}
	_, drv := testNeo4j(t, 8)
	srv := neo4jtest.Require(t)
	ctx := context.Background()
	var waited atomic.Int32
	loads := []loader.Input{ins[0], ins[0], ins[1], ins[2], ins[0]}
	var stores []*neo4jstore.Store
	var datasets []*graph.Dataset
	for _, in := range loads {
		datasets = append(datasets, loadInputs(t, in))
		s, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: srv.URI, User: srv.User, Password: srv.Password, BatchSize: 8})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close(ctx)
		stores = append(stores, s)
	}
	waiting := func(holder string) {
		if !strings.Contains(holder, "collabnet load") {
			t.Errorf("Waiting(%q): want the holder named", holder)
		}
		waited.Add(1)
	}
	errs := make(chan error, len(loads))
	start := make(chan struct{}) // the loads start together
	for i, s := range stores {
		go func() {
			<-start
			_, err := s.Write(ctx, datasets[i], neo4jstore.WriteOptions{Waiting: waiting})
			errs <- err
		}()
	}
	close(start)
	failed := false
	for range loads {
		if err := <-errs; err != nil {
			t.Error(err)
			failed = true
		}
	}
	if failed {
		return
	}
	if waited.Load() == 0 {
		t.Error("no load waited for another")
	}
	sameTies(t, drv, together)
	if c := counts(t, drv); c[graph.LabelLoadLock] != 0 || c[graph.LabelAgreement] != 60 {
		t.Errorf("after the loads: %v; want 60 agreements and no lock left", c)
	}
}

// A load that died holding the lock (here: a lock nobody renews) holds it
// until its lease runs out; the next load waits, says for whom, and then
// takes it over.
func TestNeo4jStaleLoadLock(t *testing.T) {
	s, drv := testNeo4j(t, 0)
	ctx := context.Background()
	if err := s.ApplySchema(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := neo4j.ExecuteQuery(ctx, drv, fmt.Sprintf(`CREATE (:%s {id: 'load', token: 'dead', holder: 'a dead load',
  since: datetime(), expires: timestamp() + 2000})`, graph.LabelLoadLock), nil, neo4j.EagerResultTransformer); err != nil {
		t.Fatal(err)
	}
	var told []string
	waiting := func(holder string) { told = append(told, holder) }
	ds := curated.Load(t)
	wctx, cancel := context.WithTimeout(ctx, time.Minute) // fail, not hang, if it never takes over
	defer cancel()
	if _, err := s.Write(wctx, ds, neo4jstore.WriteOptions{Waiting: waiting}); err != nil {
		t.Fatal(err)
	}
	if len(told) != 1 || !strings.HasPrefix(told[0], "a dead load since ") {
		t.Errorf("Waiting was told %q; want the dead load once", told)
	}
	if c := counts(t, drv); c[graph.LabelLoadLock] != 0 || c[graph.LabelAgreement] != int64(len(ds.Agreements)) {
		t.Errorf("after the load: %v; want %d agreements and no lock left", c, len(ds.Agreements))
	}
}

// pausedLoad starts a load of ds by s that stops after its first batch
// until resume is closed; started is closed once it holds the lock and has
// written that batch. Its error arrives on the returned channel.
func pausedLoad(s *neo4jstore.Store, ds *graph.Dataset) (started, resume chan struct{}, done chan error) {
	started, resume, done = make(chan struct{}), make(chan struct{}), make(chan error, 1)
	first := true
	progress := func(string, int, int) {
		if first {
			first = false
			close(started)
			<-resume
		}
	}
	go func() {
		_, err := s.Write(context.Background(), ds, neo4jstore.WriteOptions{Progress: progress})
		done <- err
	}()
	return started, resume, done
}

// A load that lasts several leases keeps the lock by renewing it: a second
// load waits all along, and starts only when the first is done.
func TestNeo4jLoadLockRenewed(t *testing.T) {
	defer neo4jstore.SetLockLease(2 * time.Second)()
	first, _ := testNeo4j(t, 0)
	srv := neo4jtest.Require(t)
	ctx := context.Background()
	second, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: srv.URI, User: srv.User, Password: srv.Password})
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close(ctx)
	ds := curated.Load(t)
	started, resume, done := pausedLoad(first, ds)
	<-started
	var waited atomic.Bool
	waiting := func(string) { waited.Store(true) }
	secondDone := make(chan error, 1)
	go func() {
		_, err := second.Write(ctx, ds, neo4jstore.WriteOptions{Waiting: waiting})
		secondDone <- err
	}()
	time.Sleep(5 * time.Second) // two leases and a half
	select {
	case err := <-secondDone:
		t.Fatalf("the second load finished while the first held the lock (err %v)", err)
	default:
	}
	close(resume)
	if err := <-done; err != nil {
		t.Fatalf("the first load, paused for two leases and a half: %v", err)
	}
	if err := <-secondDone; err != nil {
		t.Fatalf("the second load: %v", err)
	}
	if !waited.Load() {
		t.Error("the second load did not say it waited")
	}
}

// A load whose lock was taken over stops with an error instead of writing
// on beside the other load.
func TestNeo4jLoadLockLost(t *testing.T) {
	defer neo4jstore.SetLockLease(2 * time.Second)()
	s, drv := testNeo4j(t, 0)
	started, resume, done := pausedLoad(s, curated.Load(t))
	<-started
	if _, err := neo4j.ExecuteQuery(context.Background(), drv, fmt.Sprintf("MATCH (l:%s) SET l.token = 'another load'", graph.LabelLoadLock),
		nil, neo4j.EagerResultTransformer); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond) // two renewals find it taken
	close(resume)
	if err := <-done; !errors.Is(err, neo4jstore.ErrLoadLockLost) {
		t.Fatalf("load whose lock was taken over: err = %v, want it lost", err)
	}
	// It stopped in its first phase: no agreement written.
	if n := counts(t, drv)[graph.LabelAgreement]; n != 0 {
		t.Errorf("%d agreements written after the lock was lost", n)
	}
}

// Batches of the PARTNER_OF step that keep failing beside the other
// writers (deadlocks: loading H2020 again after a load stopped in this step
// failed so in 3 runs of 3) are counted again by one writer alone once the
// others are done, so the load completes with every tie right: the ties
// the dataset makes, and the fingerprint of a load without failures.
func TestNeo4jPartnersRetriedAlone(t *testing.T) {
	s, drv := testNeo4j(t, 2)
	ctx := context.Background()
	ds := curated.Load(t)
	var batches atomic.Int64
	var deferred atomic.Int64
	restore := neo4jstore.SetPartnersFault(func([]string) bool { return batches.Add(1)%2 == 1 }, func(n int) { deferred.Add(int64(n)) })
	_, err := s.Write(ctx, ds, neo4jstore.WriteOptions{})
	restore()
	if err != nil {
		t.Fatalf("a load whose tie batches failed beside the other writer: %v", err)
	}
	if deferred.Load() == 0 || batches.Load() < 2 {
		t.Fatalf("%d batches, %d organisations counted again alone: the fault did not take", batches.Load(), deferred.Load())
	}
	sameTies(t, drv, ds)
	faulty, err := s.Fingerprint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	neo4jtest.Empty(t, drv)
	if _, err := s.Write(ctx, ds, neo4jstore.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	clean, err := s.Fingerprint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if faulty != clean {
		t.Errorf("with failed batches counted again alone %s, without failures %s", faulty, clean)
	}
}
