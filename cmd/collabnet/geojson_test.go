package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// export --format geojson writes a FeatureCollection that Python's json
// reads and that has GeoJSON's shape (RFC 7946): every country a
// MultiPolygon of closed rings of at least four positions within ±180°/±90°
// with its label, every tie a MultiLineString between two of them, labelled
// by both ("Brazil – China").
func TestExportGeoJSON(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()
	p := filepath.Join(dir, "countries.geojson")
	if out, err := run(t, dir, "export", "--level", "country", "--out", p); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is missing")
	}
	check := `
import json, sys
d = json.load(open(sys.argv[1]))
assert d["type"] == "FeatureCollection"
countries, ties, names, labels = set(), [], {}, []
def pos(p):
    assert len(p) == 2 and -180 <= p[0] <= 180 and -90 <= p[1] <= 90, p
for f in d["features"]:
    assert f["type"] == "Feature"
    g, pr = f["geometry"], f["properties"]
    if g["type"] == "MultiPolygon":
        assert pr["label"].strip(), pr
        countries.add(pr["id"])
        names[pr["id"]] = pr["label"]
        for poly in g["coordinates"]:
            for ring in poly:
                assert len(ring) >= 4 and ring[0] == ring[-1], pr["id"]
                for p in ring: pos(p)
    elif g["type"] == "MultiLineString":
        ties.append((pr["source"], pr["target"]))
        labels.append(pr.get("label", ""))
        for line in g["coordinates"]:
            assert len(line) >= 2
            for p in line: pos(p)
    else:
        raise AssertionError(g["type"])
for (a, b), l in zip(ties, labels):
    assert a in countries and b in countries, (a, b)
    assert l == names[a] + " – " + names[b], (a, b, l)
assert "China – Brazil" in labels or "Brazil – China" in labels, labels
assert countries and ties
print(len(countries), len(ties))
`
	out, err := exec.Command("python3", "-c", check, p).CombinedOutput()
	if err != nil {
		t.Fatalf("the GeoJSON does not check out: %v\n%s", err, out)
	}
	t.Logf("countries, ties: %s", strings.TrimSpace(string(out)))
}
