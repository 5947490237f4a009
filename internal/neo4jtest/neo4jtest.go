// Package neo4jtest connects tests to the Neo4j test server that
// scripts/neo4j-test-server starts and scripts/test announces in
// COLLABNET_TEST_NEO4J_URI (with _USER and _PASSWORD).
package neo4jtest

import (
	"context"
	"os"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Server is how to reach the test server.
type Server struct{ URI, User, Password string }

// Require returns the test server, or skips the test when there is none,
// except under CI=true, where a test that needs Neo4j fails instead.
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
	return s
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
// transaction's memory). Never point the test variables at a database you
// care about.
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
