package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// list and report print the load summary; report.json keeps it, with the
// rows it came from.
func TestLoadSummaryPrintedAndKept(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "office.csv")
	text := "party_a,country_a,party_b,country_b,type\n中关村科技园区,,Kista Science City,SE,合作备忘录\n中關村科技園區,,Technopark Zürich,CH,框架协议\n"
	if err := os.WriteFile(in, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := run(t, dir, "list", "organizations", "-i", in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "load summary:") || !strings.Contains(out, "left without a country") || !strings.Contains(out, in+":2") {
		t.Errorf("list does not print the load summary:\n%s", out)
	}
	out, err = run(t, dir, "list", "organizations", "-i", in, "--default-country", "CN")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "--default-country") || strings.Contains(out, "left without a country") {
		t.Errorf("--default-country CN: summary\n%s", out)
	}
	rdir := filepath.Join(dir, "rep")
	if _, err := run(t, dir, "report", "-i", in, "--out", rdir); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(rdir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		LoadSummary []string `json:"load_summary"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	all := strings.Join(r.LoadSummary, "\n")
	if !strings.Contains(all, "中关村科技园区") || !strings.Contains(all, in+":3") || !strings.Contains(all, "without a country") {
		t.Errorf("report.json load_summary: %q", r.LoadSummary)
	}
}
