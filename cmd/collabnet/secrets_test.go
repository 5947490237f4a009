package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/collabnet/collabnet/neo4jstore"
)

func TestRedactURI(t *testing.T) {
	for in, want := range map[string]string{
		"bolt://neo4j:SECRET@db.example:7687":     "bolt://neo4j:xxxxx@db.example:7687",
		"neo4j+s://u:p%40ss@x.databases.neo4j.io": "neo4j+s://u:xxxxx@x.databases.neo4j.io",
		"bolt://127.0.0.1:7687":                   "bolt://127.0.0.1:7687",
		"bolt://neo4j:SE CRET%zz@h:1":             "bolt://neo4j:xxxxx@h:1", // net/url refuses it
		// net/url reads these as a scheme and an opaque part, no user:
		"neo4j:SECRET@127.0.0.1:7687":      "neo4j:xxxxx@127.0.0.1:7687",
		"bolt:neo4j:SECRET@127.0.0.1:7687": "bolt:xxxxx@127.0.0.1:7687",
		"bolt://neo4j@h:1/db?x=a:b@c":      "bolt://neo4j@h:1/db?x=a:b@c", // no password; @ after the path is not user information
	} {
		if got := neo4jstore.RedactURI(in); got != want {
			t.Errorf("RedactURI(%q) = %q, want %q", in, got, want)
		}
	}
}

// A URI whose // was forgotten ("neo4j:pw@host:7687", which net/url reads
// as the scheme neo4j and no host) is refused as having no host, its
// password redacted, before the driver sees it (it used to be printed
// whole, in an "unreachable" error). Every secret the run knows of
// includes that password, as written and as decoded.
func TestURIWithoutSlashesRefused(t *testing.T) {
	const pw = "S3cr%40t"
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("COLLABNET_NEO4J_URI", "neo4j:"+pw+"@127.0.0.1:7687")
	t.Setenv("COLLABNET_NEO4J_PASSWORD", "")
	out, err := runLoud(t, t.TempDir(), "-v", "sources")
	if err == nil || !strings.Contains(err.Error(), "has no host") {
		t.Fatalf("want a refusal naming the missing host, got %v\n%s", err, out)
	}
	for _, secret := range []string{pw, "S3cr@t"} {
		if strings.Contains(out+err.Error(), secret) {
			t.Errorf("output contains the password %q:\n%s\n%v", secret, out, err)
		}
	}
	if got := neo4jstore.URIPasswords("bolt://u:p%40ss@h:1"); len(got) != 2 || got[0] != "p%40ss" || got[1] != "p@ss" {
		t.Errorf("URIPasswords = %q, want the password as written and decoded", got)
	}
}

// No output of a failing or a succeeding run contains the password: not
// stdout, stderr (with -v), the error, the report's files and snapshot,
// nor what the run stores in Neo4j (AnalyticsRun, LoadSource, LoadState).
func TestNoOutputHasThePassword(t *testing.T) {
	drv := useTestNeo4j(t)
	pw := os.Getenv("COLLABNET_TEST_NEO4J_PASSWORD")
	u, err := url.Parse(os.Getenv("COLLABNET_NEO4J_URI"))
	if err != nil || pw == "" {
		t.Fatalf("test server URI %v, password set %v", err, pw != "")
	}
	dir := t.TempDir()
	check := func(what, text string, secret string) {
		t.Helper()
		if strings.Contains(text, secret) {
			t.Errorf("%s contains the password:\n%.500s", what, text)
		}
	}
	// Failing runs: a wrong password in the URI, in the environment, an
	// unreachable server.
	const wrong = "Wr0ng-S3cret"
	for _, uri := range []string{
		fmt.Sprintf("bolt://neo4j:%s@%s", wrong, u.Host),
		fmt.Sprintf("bolt://neo4j:%s@127.0.0.1:1", wrong),
		fmt.Sprintf("bolt://neo4j:%s@%s/%%zz", wrong, u.Host),
		fmt.Sprintf("neo4j:%s@%s", wrong, u.Host), // the // forgotten
	} {
		t.Setenv("COLLABNET_NEO4J_URI", uri)
		t.Setenv("COLLABNET_NEO4J_TIMEOUT", "3s")
		for _, args := range [][]string{{"-v", "list", "organizations", "--source", "neo4j"}, {"-v", "load"}, {"-v", "query", "run", "find"}} {
			out, err := runLoud(t, dir, args...)
			if err == nil {
				t.Errorf("%v with %s succeeded", args, neo4jstore.RedactURI(uri))
				continue
			}
			check(fmt.Sprint(args, " output"), out, wrong)
			check(fmt.Sprint(args, " error"), err.Error(), wrong)
		}
	}
	t.Setenv("COLLABNET_NEO4J_URI", fmt.Sprintf("bolt://127.0.0.1:%s", u.Port()))
	t.Setenv("COLLABNET_NEO4J_PASSWORD", wrong)
	if out, err := runLoud(t, dir, "-v", "sources"); err == nil {
		t.Error("a wrong password succeeded")
	} else {
		check("wrong password output", out+err.Error(), wrong)
	}
	// Succeeding runs, the password inside the URI.
	t.Setenv("COLLABNET_NEO4J_PASSWORD", "")
	t.Setenv("COLLABNET_NEO4J_URI", fmt.Sprintf("bolt://neo4j:%s@%s", pw, u.Host))
	out := filepath.Join(dir, "report")
	// The failed logins lock the user for a few seconds
	// (dbms.security.auth_lock_time, 5 s by default).
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(time.Second) {
		_, err := runLoud(t, dir, "sources")
		if err == nil || !strings.Contains(err.Error(), "RateLimit") || time.Now().After(deadline) {
			break
		}
	}
	for _, args := range [][]string{
		{"-v", "load"},
		{"-v", "sources", "--fingerprint"},
		{"-v", "list", "organizations", "--source", "neo4j"},
		{"-v", "analyze", "--source", "neo4j", "--write", "--level", "org"},
		{"-v", "query", "run", "find"},
		{"-v", "report", "--source", "neo4j", "--out", out},
		{"-v", "export", "--source", "neo4j", "--out", filepath.Join(dir, "g.graphml")},
	} {
		text, err := runLoud(t, dir, args...)
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		check(fmt.Sprint(args), text, pw)
	}
	err = filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		check(p, string(b), pw)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := neo4j.ExecuteQuery(context.Background(), drv, "MATCH (n) WHERE n:AnalyticsRun OR n:LoadSource OR n:LoadState RETURN properties(n) AS p", nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Records {
		check("stored run records", fmt.Sprint(r.Values[0]), pw)
	}
}

// runLoud is run without --quiet, so that every log line is seen.
func runLoud(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	t.Chdir(dir)
	root := newRoot()
	var out strings.Builder
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.ExecuteContext(t.Context())
	return out.String(), err
}
