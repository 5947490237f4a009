// Package neo4jtest connects tests to the Neo4j test server that
// scripts/neo4j-test-server starts and scripts/test announces in
// COLLABNET_TEST_NEO4J_URI (with _USER and _PASSWORD).
//
// The tests empty the database they are given, so they only take one that
// carries the suite's marker: an index named SuiteMarker (on a label no
// node has, so the graph, its counts and fingerprint are untouched), which
// scripts/test puts on the server it starts in its own state directory
// (scripts/neo4j-test-server mark-suite). Any other database, such as the
// one an analyst started as the README says, is refused before a test
// reads or writes a thing.
package neo4jtest

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// SuiteMarker is the name of the index that marks a database as the test
// suite's own: tests write only into a database that has it.
const SuiteMarker = "collabnet_test_suite"

// Server is how to reach the test server.
type Server struct{ URI, User, Password string }

// checked caches Require's verdict per server for the life of the test
// binary: one query, not one per test.
var checked sync.Map // Server -> error

// Require returns the test server, or skips the test when there is none,
// except under CI=true, where a test that needs Neo4j fails instead. A
// server whose default database lacks the suite's marker fails the test
// (always: it is a server someone may care about, not a missing one).
func Require(t testing.TB) Server {
	t.Helper()
	s := Server{os.Getenv("COLLABNET_TEST_NEO4J_URI"), os.Getenv("COLLABNET_TEST_NEO4J_USER"), os.Getenv("COLLABNET_TEST_NEO4J_PASSWORD")}
	if s.URI == "" {
		msg := "no test Neo4j: run scripts/neo4j-test-server start and set COLLABNET_TEST_NEO4J_URI (scripts/test does both)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	if s.User == "" {
		s.User = "neo4j"
	}
	v, ok := checked.Load(s)
	if !ok {
		v, _ = checked.LoadOrStore(s, checkMarked(s))
	}
	if err, _ := v.(error); err != nil {
		t.Fatal(err)
	}
	return s
}

// checkMarked returns nil when the server's default database carries the
// suite's marker, else an error saying why the tests refuse it.
func checkMarked(s Server) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	drv, err := neo4j.NewDriverWithContext(s.URI, neo4j.BasicAuth(s.User, s.Password, ""))
	if err != nil {
		return fmt.Errorf("test Neo4j %s: %w", s.URI, err)
	}
	defer func() { _ = drv.Close(ctx) }() // read-only check: nothing to flush
	res, err := neo4j.ExecuteQuery(ctx, drv, "SHOW INDEXES YIELD name WHERE name = $name RETURN count(*) AS n",
		map[string]any{"name": SuiteMarker}, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return fmt.Errorf("test Neo4j %s: checking for the test suite's marker: %w", s.URI, err)
	}
	if n, _ := res.Records[0].Get("n"); n != int64(1) {
		return fmt.Errorf("refusing the Neo4j at %s for tests: its database does not carry the test suite's marker (index %s), "+
			"so it may be someone's data, which the tests would delete. Run the tests with scripts/test (its own server, "+
			"state directory and ports), or mark a server whose data may go: NEO4J_URI=%s scripts/neo4j-test-server mark-suite --force",
			s.URI, SuiteMarker, s.URI)
	}
	return nil
}

// Driver opens a driver to the server, closed when the test ends.
func (s Server) Driver(t testing.TB) neo4j.DriverWithContext {
	t.Helper()
	drv, err := neo4j.NewDriverWithContext(s.URI, neo4j.BasicAuth(s.User, s.Password, ""))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = drv.Close(context.Background()) })
	return drv
}

// Empty deletes everything in the database: relationships first, then
// nodes, in small transactions (a hub with 100k ties would not fit in one
// transaction's memory). The marker index stays. Require has checked the
// database is the suite's.
func Empty(t testing.TB, drv neo4j.DriverWithContext) {
	t.Helper()
	ctx := context.Background()
	// CALL ... IN TRANSACTIONS needs an auto-commit transaction: session.Run.
	sess := drv.NewSession(ctx, neo4j.SessionConfig{})
	defer func() { _ = sess.Close(ctx) }() // test clean-up: a failure shows in the next query
	for _, q := range []string{
		"MATCH ()-[r]->() CALL { WITH r DELETE r } IN TRANSACTIONS OF 10000 ROWS",
		"MATCH (n) CALL { WITH n DELETE n } IN TRANSACTIONS OF 10000 ROWS",
	} {
		res, err := sess.Run(ctx, q, nil)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			t.Fatalf("emptying the test database: %v", err)
		}
	}
}
