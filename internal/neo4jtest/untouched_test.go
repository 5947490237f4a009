package neo4jtest_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/collabnet/collabnet/internal/neo4jtest"
)

// The suite never touches an analyst's database. An analyst's server is
// started as the README says (scripts/neo4j-test-server start, here with a
// state directory and ports of its own, not marked), the shipped data are
// loaded into it, and its content is taken down to every node, property,
// relationship, index and constraint. Then every test of the module that
// needs Neo4j runs pointed at it: each must refuse (none passes, every
// failure is the refusal), mark-suite must refuse to mark it, and the
// content must be exactly as before.
func TestSuiteLeavesAnalystServerUntouched(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Neo4j server of its own: not in the fast lane")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	need := func(ok bool, msg string) {
		t.Helper()
		if ok {
			return
		}
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	_, errJava := exec.LookPath("java")
	need(errJava == nil, "java is needed for the embedded Neo4j server")

	// The analyst's server: the embedded one, in a temporary state
	// directory, on two free ports, with a password of its own.
	const password = "analyst-secret"
	state := t.TempDir()
	bolt, http := freePort(t), freePort(t)
	env := []string{"NEO4J_TEST_STATE_DIR=" + state, "NEO4J_BOLT_PORT=" + bolt, "NEO4J_HTTP_PORT=" + http,
		"NEO4J_PASSWORD=" + password, "NEO4J_TEST_SERVER_MODE=embedded", "NEO4J_HEAP=512m", "NEO4J_CDS=0"}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(k, "NEO4J_") && !strings.HasPrefix(k, "COLLABNET_") && k != "CI" {
			env = append(env, kv)
		}
	}
	server := func(args ...string) (string, error) {
		cmd := exec.Command(filepath.Join(root, "scripts", "neo4j-test-server"), args...)
		cmd.Env = env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if err != nil {
			err = fmt.Errorf("scripts/neo4j-test-server %s: %w\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return stdout.String(), err
	}
	t.Cleanup(func() {
		if _, err := server("stop"); err != nil {
			t.Error(err)
		}
	})
	out, err := server("start")
	need(err == nil, fmt.Sprint("the analyst's Neo4j did not start: ", err))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	uri := lines[len(lines)-1]

	// The shipped data, loaded by collabnet as an analyst would.
	bin := filepath.Join(t.TempDir(), "collabnet")
	build := exec.Command("go", "build", "-o", bin, "./cmd/collabnet")
	build.Dir = root
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	work := t.TempDir()
	collabnet := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = work
		cmd.Env = append(slices.Clone(env), "XDG_CONFIG_HOME="+work, "COLLABNET_NEO4J_URI="+uri, "COLLABNET_NEO4J_PASSWORD="+password)
		b, err := cmd.Output()
		if err != nil {
			t.Fatalf("collabnet %s: %v", strings.Join(args, " "), err)
		}
		return string(b)
	}
	collabnet("load", "--quiet")
	fingerprint := func() string {
		var v struct{ Fingerprint string }
		if err := json.Unmarshal([]byte(collabnet("sources", "--fingerprint", "--format", "json")), &v); err != nil || v.Fingerprint == "" {
			t.Fatalf("collabnet sources --fingerprint: %v", err)
		}
		return v.Fingerprint
	}
	drv, err := neo4j.NewDriverWithContext(uri, neo4j.BasicAuth("neo4j", password, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = drv.Close(context.Background()) }()
	fp0 := fingerprint()
	content0, counts0 := everything(t, drv)
	if counts0.nodes == 0 || counts0.rels == 0 {
		t.Fatalf("the analyst's database holds %d nodes and %d relationships after the load", counts0.nodes, counts0.rels)
	}
	if strings.Contains(content0, neo4jtest.SuiteMarker) {
		t.Fatalf("the analyst's database carries the suite's marker %s", neo4jtest.SuiteMarker)
	}

	// Every test that takes the test server, pointed at the analyst's.
	tests := neo4jTests(t, root)
	var pkgs, names []string
	total := 0
	for dir, ns := range tests {
		pkgs = append(pkgs, "./"+dir)
		total += len(ns)
		for _, n := range ns {
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	slices.Sort(pkgs)
	slices.Sort(names)
	if total < 10 {
		t.Fatalf("found only %d tests that use the test server (%v): the search is broken", total, tests)
	}
	args := append([]string{"test", "-count=1", "-p", "1", "-json", "-timeout", "5m", "-run", "^(" + strings.Join(names, "|") + ")$"}, pkgs...)
	gotest := exec.Command("go", args...)
	gotest.Dir = root
	gotest.Env = append(slices.Clone(env), "COLLABNET_TEST_NEO4J_URI="+uri, "COLLABNET_TEST_NEO4J_USER=neo4j",
		"COLLABNET_TEST_NEO4J_PASSWORD="+password, "COLLABNET_TEST_NEO4J_BROWSER=http://127.0.0.1:"+http+"/browser/")
	stdout, err := gotest.Output()
	if err == nil {
		t.Errorf("go test against the analyst's server passed; it must refuse it")
	}
	results := map[string]string{} // package.Test -> pass, fail or skip
	output := map[string]string{}
	ours := map[string]bool{} // the tests found above, as package.Test
	for dir, ns := range tests {
		for _, n := range ns {
			ours[module+"/"+dir+"."+n] = true
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(stdout))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var ev struct{ Action, Package, Test, Output string }
		if json.Unmarshal(sc.Bytes(), &ev) != nil || ev.Test == "" {
			continue
		}
		top, sub, _ := strings.Cut(ev.Test, "/")
		k := ev.Package + "." + top
		if !ours[k] {
			continue // a namesake in another package
		}
		switch {
		case ev.Action == "output": // a subtest's output counts as its test's
			output[k] += ev.Output
		case sub == "" && (ev.Action == "pass" || ev.Action == "fail" || ev.Action == "skip"):
			results[k] = ev.Action
		}
	}
	failed, skipped := 0, 0
	for k, r := range results {
		switch {
		case r == "skip":
			skipped++
		case r == "pass":
			t.Errorf("%s passed against the analyst's server", k)
		case r == "fail" && !strings.Contains(output[k], "refusing the Neo4j at "+uri):
			t.Errorf("%s failed for another reason than the refusal:\n%s", k, output[k])
		case r == "fail":
			failed++
		}
	}
	t.Logf("%d tests in %d packages pointed at the analyst's server: %d refused it, %d skipped before asking", len(results), len(pkgs), failed, skipped)
	if len(results) != total || failed < total/2 {
		t.Errorf("%d of the %d tests found ran, %d refused the server", len(results), total, failed)
	}

	// Nor is it marked by mistake: mark-suite (what scripts/test runs on a
	// server given as NEO4J_TEST_URI) refuses a database that holds a graph.
	if _, err := server("mark-suite"); err == nil || !strings.Contains(err.Error(), "holds a graph") {
		t.Errorf("mark-suite on the analyst's database: %v; want a refusal", err)
	}

	// And the analyst's database is as it was.
	fp1 := fingerprint()
	content1, counts1 := everything(t, drv)
	if fp1 != fp0 {
		t.Errorf("collabnet's fingerprint changed: %s, before %s", fp1, fp0)
	}
	if content1 != content0 || counts1 != counts0 {
		t.Errorf("the database changed: %+v %s, before %+v %s", counts1, content1, counts0, content0)
	}
}

const module = "github.com/collabnet/collabnet"

type counts struct{ nodes, rels, schema int }

// everything hashes the database's whole content: every node with its
// element id, labels and properties; every relationship with its ends;
// every index and constraint.
func everything(t *testing.T, drv neo4j.DriverWithContext) (string, counts) {
	t.Helper()
	ctx := context.Background()
	var rows []string
	var c counts
	for _, q := range []struct {
		text string
		n    *int
	}{
		{"MATCH (n) RETURN elementId(n), labels(n), properties(n)", &c.nodes},
		{"MATCH (a)-[r]->(b) RETURN elementId(r), type(r), elementId(a), elementId(b), properties(r)", &c.rels},
		{"SHOW INDEXES YIELD name, type, labelsOrTypes, properties RETURN *", &c.schema},
		{"SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties RETURN *", &c.schema},
	} {
		res, err := neo4j.ExecuteQuery(ctx, drv, q.text, nil, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatalf("%s: %v", q.text, err)
		}
		for _, r := range res.Records {
			b, err := json.Marshal(r.Values)
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, string(b))
		}
		*q.n += len(res.Records)
	}
	slices.Sort(rows)
	h := sha256.Sum256([]byte(strings.Join(rows, "\n")))
	return hex.EncodeToString(h[:]), c
}

// neo4jTests finds the tests that take the test server: in every test
// file of the module, the functions that call neo4jtest.Require, then
// those calling one of them (helpers such as testNeo4j), to a fixpoint;
// it returns the Test functions among them by package directory (relative
// to root, slash-separated).
func neo4jTests(t *testing.T, root string) map[string][]string {
	t.Helper()
	byDir := map[string][]string{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "tools") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, "_test.go") {
			byDir[filepath.Dir(p)] = append(byDir[filepath.Dir(p)], p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for dir, files := range byDir {
		calls := map[string][]string{} // function -> functions it calls by name
		uses := map[string]bool{}
		fset := token.NewFileSet()
		for _, f := range files {
			af, err := parser.ParseFile(fset, f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, decl := range af.Decls {
				fn, ok := decl.(*ast.FuncDecl)
				if !ok || fn.Body == nil || fn.Recv != nil {
					continue
				}
				ast.Inspect(fn.Body, func(n ast.Node) bool {
					switch e := n.(type) {
					case *ast.SelectorExpr:
						if x, ok := e.X.(*ast.Ident); ok && x.Name == "neo4jtest" && e.Sel.Name == "Require" {
							uses[fn.Name.Name] = true
						}
					case *ast.Ident:
						calls[fn.Name.Name] = append(calls[fn.Name.Name], e.Name)
					}
					return true
				})
			}
		}
		for changed := true; changed; {
			changed = false
			for fn, called := range calls {
				if !uses[fn] && slices.ContainsFunc(called, func(c string) bool { return uses[c] }) {
					uses[fn], changed = true, true
				}
			}
		}
		rel, _ := filepath.Rel(root, dir)
		rel = filepath.ToSlash(rel)
		for fn := range uses {
			if strings.HasPrefix(fn, "Test") && rel != "internal/neo4jtest" {
				out[rel] = append(out[rel], fn)
			}
		}
	}
	return out
}

// freePort returns a TCP port nobody listens on now.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}
