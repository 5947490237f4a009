package main

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/collabnet/collabnet/internal/h2020test"
	"github.com/collabnet/collabnet/internal/neo4jtest"
	"github.com/collabnet/collabnet/neo4jstore"
)

// bulkServer starts a Neo4j test server of the test's own: a bulk load
// stops and starts its server, and the suite's is shared by the other
// packages' tests. It is scripts/neo4j-test-server's embedded server with
// a state directory in the test's temporary directory and free ports,
// stopped when the test ends; COLLABNET_NEO4J_* point at it. It returns
// the script and the server's URI. Like every Neo4j test it runs when the
// suite's server is announced (COLLABNET_TEST_NEO4J_URI): without one it
// skips, or fails under CI.
//
// The server takes its ports from COLLABNET_TEST_BULK_PORTS=BOLT,HTTP
// when set, else any free ones.
func bulkServer(t *testing.T) (script, uri string) {
	t.Helper()
	// The suite's server is not used: it only says Neo4j tests are on.
	srv := neo4jtest.Server{URI: os.Getenv("COLLABNET_TEST_NEO4J_URI"), Password: os.Getenv("COLLABNET_TEST_NEO4J_PASSWORD")}
	if srv.URI == "" {
		msg := "no test Neo4j: run scripts/neo4j-test-server start and set COLLABNET_TEST_NEO4J_URI (scripts/test does both)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	script, err := filepath.Abs(filepath.Join("..", "..", "scripts", "neo4j-test-server"))
	if err != nil {
		t.Fatal(err)
	}
	password := srv.Password
	if password == "" {
		password = "collabnet-dev"
	}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("NEO4J_TEST_STATE_DIR", t.TempDir())
	t.Setenv("NEO4J_TEST_SERVER_MODE", "embedded")
	t.Setenv("NEO4J_CDS", "0")
	t.Setenv("NEO4J_URI", "")
	t.Setenv("NEO4J_PASSWORD", password)
	bolt, http := strconv.Itoa(freePort(t)), strconv.Itoa(freePort(t))
	if p := strings.Split(os.Getenv("COLLABNET_TEST_BULK_PORTS"), ","); len(p) == 2 {
		bolt, http = p[0], p[1]
	}
	t.Setenv("NEO4J_BOLT_PORT", bolt)
	t.Setenv("NEO4J_HTTP_PORT", http)
	out, err := exec.Command(script, "start").Output()
	if err != nil {
		t.Fatalf("starting a second test server: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command(script, "stop").CombinedOutput(); err != nil {
			t.Errorf("stopping the second test server: %v\n%s", err, out)
		}
	})
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	uri = lines[len(lines)-1]
	t.Setenv("COLLABNET_NEO4J_URI", uri)
	t.Setenv("COLLABNET_NEO4J_USER", "neo4j")
	t.Setenv("COLLABNET_NEO4J_PASSWORD", password)
	return script, uri
}

// ownServer is the bulk test's own server (bulkServer's), reached without
// neo4jtest.Require: the import replaces its database, the suite's marker
// with it, and nobody else's data is there.
func ownServer(uri string) neo4jtest.Server {
	return neo4jtest.Server{URI: uri, User: "neo4j", Password: os.Getenv("COLLABNET_NEO4J_PASSWORD")}
}

// ownFingerprint is the graph fingerprint of the server at uri.
func ownFingerprint(t *testing.T, uri string) string {
	t.Helper()
	ctx := context.Background()
	srv := ownServer(uri)
	s, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: srv.URI, User: srv.User, Password: srv.Password})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	fp, err := s.Fingerprint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return fp
}

// freePort returns a TCP port nothing listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// load --bulk of the curated data, H2020 projects with an Indian
// participant and a file of awkward names (quotes, commas, semicolons,
// backslashes, both scripts) gives the graph collabnet load gives: the
// same fingerprint. A second load --bulk is refused, before it stops
// anything; a plain load after the bulk one reads the recorded sources
// again and changes nothing.
func TestBulkLoadSameGraphAsLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and restarts a Neo4j server of its own")
	}
	script, uri := bulkServer(t)
	dir := t.TempDir()
	h2020test.Path = filepath.Join("..", "..", "..", "shared", "datasets", "h2020", "participations.csv.gz")
	india := h2020test.ProjectsWith(t, dir, "IN")
	odd := filepath.Join(dir, "odd.csv")
	if err := os.WriteFile(odd, []byte("party_a,country_a,party_b,country_b,type,date\n"+
		`"Quote ""Q"" Lab, Ltd.",BE,Semi;Colon Works,FR,mou,2024-01-02`+"\n"+
		`Back\slash Institute,DE,中关村发展集团,CN,mou,2024-03-04`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bulk := []string{"load", "--bulk", "--with-shipped", "-i", india, "-i", odd,
		"--neo4j-admin", script + " admin", "--stop-server", script + " stop", "--start-server", script + " start"}
	if out, err := run(t, dir, bulk...); err != nil {
		t.Fatalf("load --bulk: %v\n%s", err, out)
	}
	bulkFP := ownFingerprint(t, uri)
	out, err := run(t, dir, "sources", "--format", "json")
	if err != nil || !strings.Contains(out, india) || !strings.Contains(out, `"complete"`) {
		t.Errorf("sources after load --bulk: %v\n%s", err, out)
	}

	stopped := filepath.Join(dir, "stopped")
	refused := append(bulk[:len(bulk)-4:len(bulk)-4], "--stop-server", "touch "+stopped, "--start-server", "true")
	if out, err := run(t, dir, refused...); err == nil || !strings.Contains(err.Error(), "empty database") {
		t.Errorf("load --bulk into a loaded database: err = %v, want a refusal naming the empty database\n%s", err, out)
	}
	if _, err := os.Stat(stopped); err == nil {
		t.Error("the refused load --bulk ran its stop command")
	}

	if out, err := run(t, dir, "load"); err != nil {
		t.Fatalf("load after load --bulk: %v\n%s", err, out)
	}
	if again := ownFingerprint(t, uri); again != bulkFP {
		t.Errorf("load after load --bulk changed the graph: %s, was %s", again, bulkFP)
	}

	neo4jtest.Empty(t, ownServer(uri).Driver(t))
	if out, err := run(t, dir, "load", "--with-shipped", "-i", india, "-i", odd); err != nil {
		t.Fatalf("load: %v\n%s", err, out)
	}
	if loadFP := ownFingerprint(t, uri); loadFP != bulkFP {
		t.Errorf("load --bulk gives graph %s, load %s", bulkFP, loadFP)
	}
}
