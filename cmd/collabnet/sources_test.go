package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/collabnet/collabnet/internal/neo4jtest"
	"github.com/collabnet/collabnet/neo4jstore"
)

// fingerprint is the test server's graph fingerprint.
func fingerprint(t *testing.T) string {
	t.Helper()
	srv := neo4jtest.Require(t)
	ctx := context.Background()
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

// A file loaded, edited (a row removed, an organisation moved from BE to
// FR) and loaded again with --replace gives the graph of a clean load of
// the edited file: the removed party and its ties are gone, the
// organisation is in FR only. Without --replace the changed file is
// refused; --dry-run lists what will be removed and changed.
func TestReplaceEditedSource(t *testing.T) {
	drv := useTestNeo4j(t)
	dir := t.TempDir()
	f := filepath.Join(dir, "projects.csv")
	v1 := "rcn,pic,name,country\n1,100,Alpha Lab,BE\n1,200,Beta Works,FR\n1,300,Gamma Institute,DE\n2,100,Alpha Lab,BE\n2,400,Delta Park,IT\n"
	v2 := "rcn,pic,name,country\n1,100,Alpha Lab,FR\n1,200,Beta Works,FR\n2,100,Alpha Lab,FR\n2,400,Delta Park,IT\n"
	if err := os.WriteFile(f, []byte(v1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, dir, "load", "-i", f); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f, []byte(v2), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := run(t, dir, "load", "-i", f); err == nil || !strings.Contains(err.Error(), "--replace") {
		t.Fatalf("a changed source without --replace: err = %v\n%s", err, out)
	}
	out, err := run(t, dir, "load", "-i", f, "--replace", "--dry-run")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "remove Organization 300") || !strings.Contains(out, "change Organization 100") {
		t.Errorf("dry run lists no removal of 300 and change of 100:\n%s", out)
	}
	if _, err := run(t, dir, "load", "-i", f, "--replace"); err != nil {
		t.Fatal(err)
	}
	replaced := fingerprint(t)
	neo4jtest.Empty(t, drv)
	if _, err := run(t, dir, "load", "-i", f); err != nil {
		t.Fatal(err)
	}
	if clean := fingerprint(t); clean != replaced {
		t.Errorf("--replace after the edit gives %s, a clean load of the edited file %s", replaced, clean)
	}
	out, err = run(t, dir, "list", "organizations", "--source", "neo4j", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "Gamma") || strings.Contains(out, "BE") {
		t.Errorf("removed party or old country left:\n%s", out)
	}
	out, err = run(t, dir, "sources", "--format", "json")
	if err != nil || !strings.Contains(out, f) || !strings.Contains(out, `"complete"`) {
		t.Errorf("sources: %v\n%s", err, out)
	}
}

// The shipped data, then a spreadsheet naming three of its organisations
// (one in traditional script), give the graph of loading both at once: no
// second node for any of them, and every spelling finds the organisation.
func TestLoadInParts(t *testing.T) {
	drv := useTestNeo4j(t)
	dir := t.TempDir()
	f := filepath.Join(dir, "mine.csv")
	csv := "party_a,country_a,party_b,country_b,type,date\n" +
		"中關村發展集團,中國,Seoul Business Agency,KR,mou,2025-06-01\n" +
		"中关村工业互联网产业园,CN,ApexBrasil,BR,mou,2025-06-02\n"
	if err := os.WriteFile(f, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, dir, "load"); err != nil {
		t.Fatal(err)
	}
	orgs, err := run(t, dir, "list", "organizations", "--source", "neo4j", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, dir, "load", "-i", f); err != nil {
		t.Fatal(err)
	}
	parts := fingerprint(t)
	after, err := run(t, dir, "list", "organizations", "--source", "neo4j", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if n, m := strings.Count(orgs, "\n"), strings.Count(after, "\n"); n != m {
		t.Errorf("the spreadsheet added %d organisations; want none (all three are shipped)", m-n)
	}
	for _, q := range [][]string{
		{"query", "run", "find", "--param", "text=中關村發展集團", "--format", "csv"},
		{"query", "run", "find", "--param", "text=中关村发展集团", "--format", "csv"},
		{"query", "run", "partners", "--param", "org=中關村發展集團", "--format", "csv"},
		{"query", "run", "partners", "--param", "org=中关村发展集团", "--format", "csv"},
	} {
		out, err := run(t, dir, q...)
		if err != nil || !strings.Contains(out, "zgc-group") {
			t.Errorf("%v: %v, no zgc-group:\n%s", q, err, out)
		}
		if q[2] == "partners" && !strings.Contains(out, "seoul-business-agency") {
			t.Errorf("%v: no tie to seoul-business-agency:\n%s", q, out)
		}
	}
	neo4jtest.Empty(t, drv)
	if _, err := run(t, dir, "load", "--with-shipped", "-i", dir); err != nil {
		t.Fatal(err)
	}
	if both := fingerprint(t); both != parts {
		t.Errorf("shipped then the spreadsheet %s, both at once %s", parts, both)
	}
}

// A file named relatively (-i mine.csv), then the shipped data, give the
// graph of loading both at once: the file is read again from its record
// (by absolute path) and must make the same Source node. And
// collabnet sources remove, by the name given or the recorded one, takes
// the file's facts away: the graph is the shipped data's alone (it used to
// be refused for "other reading options", the remove having no reading
// flags).
func TestLoadByRelativeNameThenRemove(t *testing.T) {
	drv := useTestNeo4j(t)
	dir := t.TempDir()
	csv := "party_a,country_a,party_b,country_b,type,date\n" +
		"中關村發展集團,CN,Acme Robotics,BE,mou,2024-03-01\n" +
		"Seoul Business Agency,KR,Acme Robotics,BE,mou,2024-06-01\n"
	if err := os.WriteFile(filepath.Join(dir, "mine.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := run(t, dir, "load", "-i", "mine.csv"); err != nil {
		t.Fatal(err, out)
	}
	if out, err := run(t, dir, "load", "--with-shipped"); err != nil {
		t.Fatal(err, out)
	}
	parts := fingerprint(t)
	neo4jtest.Empty(t, drv)
	if out, err := run(t, dir, "load", "--with-shipped", "-i", "mine.csv"); err != nil {
		t.Fatal(err, out)
	}
	if both := fingerprint(t); both != parts {
		t.Errorf("mine.csv then the shipped data %s, both at once %s", parts, both)
	}
	if out, err := run(t, dir, "sources", "remove", "mine.csv"); err != nil {
		t.Fatalf("sources remove mine.csv: %v\n%s", err, out)
	}
	removed := fingerprint(t)
	out, err := run(t, dir, "sources", "--format", "json")
	if err != nil || strings.Contains(out, "mine.csv") {
		t.Errorf("sources after the removal: %v\n%s", err, out)
	}
	neo4jtest.Empty(t, drv)
	if out, err := run(t, dir, "load"); err != nil {
		t.Fatal(err, out)
	}
	if shipped := fingerprint(t); shipped != removed {
		t.Errorf("after sources remove mine.csv %s, the shipped data alone %s", removed, shipped)
	}
}

// A load that another load overtakes (b.csv finishes while a.csv's load
// has read the recorded sources but not yet taken the lock) reads them
// again: both files stay recorded, and the graph is that of loading both
// at once. Before, the slower load recorded its plan over the other's:
// b.csv's source and facts vanished, and both loads exited 0.
func TestLoadOvertakenByAnother(t *testing.T) {
	drv := useTestNeo4j(t)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	for f, row := range map[string]string{a: "Alpha Labs,DE,Beta Works,FR", b: "Gamma Inc,US,Beta Works,FR"} {
		if err := os.WriteFile(f, []byte("party_a,country_a,party_b,country_b,type\n"+row+",mou\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := run(t, dir, "load", "--with-shipped"); err != nil {
		t.Fatal(err, out)
	}
	overtaken := 0
	afterPlan = func() {
		if overtaken++; overtaken == 1 {
			if out, err := run(t, dir, "load", "-i", b); err != nil {
				t.Errorf("the overtaking load: %v\n%s", err, out)
			}
		}
	}
	out, err := run(t, dir, "load", "-i", a)
	afterPlan = nil
	if err != nil {
		t.Fatal(err, out)
	}
	if overtaken < 2 {
		t.Errorf("the overtaken load planned %d time(s); want it to plan again", overtaken)
	}
	out, err = run(t, dir, "sources", "--format", "json")
	if err != nil || !strings.Contains(out, a) || !strings.Contains(out, b) {
		t.Errorf("sources: want both files, got %v\n%s", err, out)
	}
	parts := fingerprint(t)
	neo4jtest.Empty(t, drv)
	if out, err := run(t, dir, "load", "--with-shipped", "-i", a, "-i", b); err != nil {
		t.Fatal(err, out)
	}
	if both := fingerprint(t); both != parts {
		t.Errorf("a load overtaken by another %s, both files at once %s", parts, both)
	}
}
