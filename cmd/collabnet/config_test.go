package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Unknown keys and values of the wrong kind, in collabnet.yaml or the
// environment, are errors naming the key and where it was set (they were
// silently ignored: neo4j.timeout: notaduration gave the default).
func TestConfigValidated(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "xdg"))
	cfg := filepath.Join(dir, "collabnet.yaml")
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(cfg, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct{ yaml, want string }{
		{"neo4j:\n  timeout: notaduration\n", `collabnet.yaml: neo4j.timeout: "notaduration": want a duration`},
		{"neo4j:\n  timout: 3s\n", "collabnet.yaml: unknown key neo4j.timout (did you mean neo4j.timeout?)"},
		{"neo4j:\n  batch_size: 1.5\n", "collabnet.yaml: neo4j.batch_size: 1.5: want a whole number"},
		{"neo4j:\n  batch_size: [1]\n", "collabnet.yaml: neo4j.batch_size: a list: want a whole number"},
		{"analytics:\n  fractional: sometimes\n", `collabnet.yaml: analytics.fractional: "sometimes": want true or false`},
		{"analytics:\n  resolution: .nan\n", "collabnet.yaml: analytics.resolution: NaN: want a number"},
		{"colums:\n  party_a: Partner\n", "collabnet.yaml: unknown key colums (did you mean columns?)"},
		{"columns: Partner\n", `collabnet.yaml: columns: "Partner": want a mapping`},
		{"schedule:\n  grace: 60\n", "collabnet.yaml: schedule.grace: 60: want a duration"},
		{"format: [csv]\n", "collabnet.yaml: format: a list: want text"},
	} {
		write(c.yaml)
		_, err := run(t, dir, "list", "countries")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v\nwant %q", c.yaml, err, c.want)
		}
	}
	// The environment likewise.
	write("format: csv\n")
	for _, c := range []struct{ name, value, want string }{
		{"COLLABNET_NEO4J_BATCH_SIZE", "1e18", `environment variable COLLABNET_NEO4J_BATCH_SIZE (neo4j.batch_size): "1e18": want a whole number`},
		{"COLLABNET_NEO4J_TIMEOUT", "notaduration", `COLLABNET_NEO4J_TIMEOUT (neo4j.timeout): "notaduration": want a duration`},
		{"COLLABNET_NEO4J_URL", "bolt://x", "environment variable COLLABNET_NEO4J_URL: no configuration key neo4j_url (did you mean neo4j.uri?)"},
		{"COLLABNET_QUIET", "very", `COLLABNET_QUIET (quiet): "very": want true or false`},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(c.name, c.value)
			_, err := run(t, dir, "list", "countries")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s=%s: %v\nwant %q", c.name, c.value, err, c.want)
			}
		})
	}
	// Good values of every kind pass, and are used.
	write("format: csv\nneo4j:\n  timeout: 20s\n  batch_size: 1e3\nanalytics:\n  resolution: 1\n  countries: [CN, DE]\n")
	if out, err := run(t, dir, "list", "countries"); err != nil || !strings.HasPrefix(out, "code,") {
		t.Errorf("a good configuration: %v %.40q", err, out)
	}
}

// The configuration README.md shows is accepted key for key: the
// documentation names only keys collabnet knows, with values of their kind.
func TestREADMEConfigurationIsValid(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "## Configuration")
	_, rest, ok2 := strings.Cut(rest, "```yaml\n")
	block, _, ok3 := strings.Cut(rest, "```")
	if !ok || !ok2 || !ok3 || !strings.Contains(block, "neo4j:") {
		t.Fatal("README.md has no yaml block under ## Configuration")
	}
	f := filepath.Join(t.TempDir(), "collabnet.yaml")
	if err := os.WriteFile(f, []byte(block), 0o644); err != nil {
		t.Fatal(err)
	}
	root, _ := newRootApp()
	if err := checkConfig(root, f, nil); err != nil {
		t.Error(err)
	}
}

// Option ranges are checked before anything is read or Neo4j is asked: with
// a server that cannot be reached, each refusal is about the option, not
// the server.
func TestOptionRangesRefusedFirst(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "xdg"))
	t.Setenv("COLLABNET_NEO4J_URI", "bolt://127.0.0.1:1")
	t.Setenv("COLLABNET_NEO4J_TIMEOUT", "2s")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"load", "--batch-size", "1e18"}, `invalid argument "1e18" for "--batch-size"`},
		{[]string{"load", "--batch-size", "1000000000000000000"}, "--batch-size 1000000000000000000: want 1 to 1000000"},
		{[]string{"load", "--batch-size", "0"}, "--batch-size 0: want 1 to"},
		{[]string{"load", "--batch-size", "-5"}, "--batch-size -5: want 1 to"},
		{[]string{"load", "--writers", "0"}, "--writers 0: want 1 to 64"},
		{[]string{"load", "--writers", "1000"}, "--writers 1000: want 1 to 64"},
		{[]string{"analyze", "--source", "neo4j", "--top", "-1"}, "--top -1: want 0 (all) or more"},
		{[]string{"analyze", "--source", "neo4j", "--min-weight", "-1"}, "--min-weight -1: want 0 or more"},
		{[]string{"analyze", "--source", "neo4j", "--min-weight", "NaN"}, "--min-weight NaN"},
		{[]string{"analyze", "--source", "neo4j", "--resolution", "-1"}, "--resolution -1: want a positive number"},
		{[]string{"analyze", "--source", "neo4j", "--backbone", "disparity", "--alpha", "2"}, "--alpha 2: want a significance level"},
		{[]string{"analyze", "--source", "neo4j", "--sample", "-1"}, "--sample -1"},
		{[]string{"analyze", "--source", "neo4j", "--budget", "-1s"}, "--budget -1s"},
		{[]string{"export", "--source", "neo4j", "--level", "org", "--max-links", "-3", "--out", "x.graphml"}, "--max-links -3"},
		{[]string{"query", "run", "partners", "--timeout", "-1s"}, "--timeout -1s"},
		{[]string{"report", "--source", "neo4j", "--lock-wait", "-1s"}, "--lock-wait -1s"},
		{[]string{"schedule", "--once", "--source", "neo4j", "--grace", "-1s"}, "--grace -1s"},
	} {
		_, err := run(t, dir, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "unreachable") {
			t.Errorf("%v: %v\nwant %q, before connecting", c.args, err, c.want)
		}
	}
	t.Setenv("COLLABNET_NEO4J_BATCH_SIZE", "1e18")
	if _, err := run(t, dir, "load"); err == nil || !strings.Contains(err.Error(), "COLLABNET_NEO4J_BATCH_SIZE") {
		t.Errorf("COLLABNET_NEO4J_BATCH_SIZE=1e18: %v", err)
	}
}

// A load refused for its options leaves the database as it was: no lock,
// no load state, nothing (it used to panic on --batch-size 1e18 with the
// lock held); a good load then runs.
func TestRangeRefusalLeavesDatabaseAlone(t *testing.T) {
	drv := useTestNeo4j(t)
	dir := t.TempDir()
	nodes := func() int64 {
		t.Helper()
		res, err := neo4j.ExecuteQuery(t.Context(), drv, "MATCH (n) RETURN count(n) AS n", nil, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := res.Records[0].Get("n")
		return n.(int64)
	}
	for _, bad := range []string{"1e18", "0", "-1", "1000000000000000000"} {
		if _, err := run(t, dir, "load", "--batch-size", bad); err == nil || !strings.Contains(err.Error(), "--batch-size") {
			t.Errorf("--batch-size %s: %v", bad, err)
		}
	}
	t.Setenv("COLLABNET_NEO4J_BATCH_SIZE", "1e18")
	if _, err := run(t, dir, "load"); err == nil {
		t.Error("COLLABNET_NEO4J_BATCH_SIZE=1e18 accepted")
	}
	if n := nodes(); n != 0 {
		t.Fatalf("refused loads left %d nodes (a lock, a load state?)", n)
	}
	t.Setenv("COLLABNET_NEO4J_BATCH_SIZE", "50")
	if _, err := run(t, dir, "load"); err != nil {
		t.Fatalf("a good load after the refusals: %v", err)
	}
	if n := nodes(); n == 0 {
		t.Error("the good load wrote nothing")
	}
}

// Every key the commands read is one the configuration check knows, so
// that no setting is refused as unknown while the code uses it.
func TestEveryReadKeyIsKnown(t *testing.T) {
	root, _ := newRootApp()
	keys := configKeys(root)
	get := regexp.MustCompile(`\.(?:Get[A-Za-z0-9]*|IsSet)\("([a-z_.]+)"\)`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range get.FindAllStringSubmatch(string(b), -1) {
			n++
			if _, ok := keys[m[1]]; !ok {
				t.Errorf("%s reads %q, which the configuration check does not know (configOnlyKeys in config.go)", f, m[1])
			}
		}
	}
	if n < 50 {
		t.Errorf("found %d reads of keys: the search is broken", n)
	}
}
