// The import rules of ARCHITECTURE.md, checked with go list so that they
// cannot silently regress.
package collabnet_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/collabnet/collabnet/"

// allowed lists, per package, the collabnet packages it may import
// directly. cmd/collabnet may import any; packages not listed may import
// none.
var allowed = map[string][]string{
	"graph":      {"internal/projection"},
	"loader":     {"graph", "internal/names", "internal/opencc"},
	"neo4jstore": {"analysis", "graph", "internal/names", "internal/opencc"},
	"analytics":  {"internal/projection"},
	"analysis":   {"analytics", "graph"},
	"export":     {"graph", "internal/palette", "internal/worldmap"},
	"report":     {"analysis", "export", "graph", "internal/atomicfile", "internal/opencc", "internal/palette", "internal/worldmap"},
	// Test helpers and benchmarks.
	"internal/curated":            {"data", "graph", "loader"},
	"export/internal/h2020":       {"analytics", "graph", "loader"},
	"export/internal/synth":       {"graph"},
	"export/internal/benchexport": {"export", "export/internal/h2020", "export/internal/synth", "graph"},
}

// driverFree are the packages that must not link the Neo4j driver, even
// indirectly: only neo4jstore (and the command, and test helpers) talk to
// the database.
var driverFree = []string{"graph", "loader", "analytics", "analysis", "export", "report", "queries"}

func goList(t *testing.T, args ...string) []string {
	t.Helper()
	out, err := exec.Command("go", append([]string{"list"}, args...)...).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("go list %v: %v\n%s", args, err, ee.Stderr)
		}
		t.Fatalf("go list %v: %v", args, err)
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

func TestImportRules(t *testing.T) {
	for _, line := range goList(t, "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...") {
		f := strings.Fields(line)
		pkg := strings.TrimPrefix(f[0], module)
		if pkg == "cmd/collabnet" {
			continue
		}
		for _, imp := range f[1:] {
			if !strings.HasPrefix(imp, module) {
				continue
			}
			if dep := strings.TrimPrefix(imp, module); !slices.Contains(allowed[pkg], dep) {
				t.Errorf("%s imports %s; ARCHITECTURE.md allows it %v", pkg, dep, allowed[pkg])
			}
		}
	}
}

func TestNoDriverOutsideTheStore(t *testing.T) {
	for _, pkg := range driverFree {
		for _, dep := range goList(t, "-deps", module+pkg) {
			if strings.HasPrefix(dep, "github.com/neo4j/") {
				t.Errorf("%s links %s: only neo4jstore may use the Neo4j driver", pkg, dep)
				break
			}
		}
	}
}
