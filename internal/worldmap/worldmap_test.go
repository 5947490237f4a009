package worldmap

import (
	"math"
	"testing"
)

// The atlas has every country the report needs, by ISO code, with its
// centre inside its own bounds.
func TestLoad(t *testing.T) {
	a, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(a.Countries); n < 230 {
		t.Errorf("%d countries, want the 241 of Natural Earth 1:50m", n)
	}
	// Reference centres: rough geographic centres (degrees), within 6°.
	for code, want := range map[string][2]float64{
		"CN": {103, 36}, "IN": {79, 22}, "DE": {10, 51}, "BR": {-53, -10}, "HK": {114.1, 22.4},
		"MO": {113.55, 22.17}, "TW": {121, 23.7}, "SG": {103.8, 1.35}, "XK": {20.9, 42.6}, "US": {-99, 39},
	} {
		c := a.Get(code)
		if c == nil {
			t.Errorf("%s missing", code)
			continue
		}
		if math.Abs(c.Centre[0]-want[0]) > 6 || math.Abs(c.Centre[1]-want[1]) > 6 {
			t.Errorf("%s (%s) centre %v, want about %v", code, c.Name, c.Centre, want)
		}
	}
}

// Equal Earth against d3-geo's geoEqualEarth (npm d3-geo 3, scale(1),
// translate([0, 0]), y negated: d3 puts north down), and Unproject
// inverting Project.
func TestEqualEarth(t *testing.T) {
	for _, c := range []struct{ lon, lat, x, y float64 }{
		{0, 0, 0, 0},
		{180, 0, 2.7066299836, 0},
		{0, 90, 0, 1.3173627591574},
		{10, 20, 0.1460171092621033, 0.4008252175624881},
		{-170, -60, -1.925778971595362, -1.0883008355053194},
	} {
		x, y := Project(c.lon, c.lat)
		if math.Abs(x-c.x) > 1e-6 || math.Abs(y-c.y) > 1e-6 {
			t.Errorf("Project(%v, %v) = %v, %v; want %v, %v", c.lon, c.lat, x, y, c.x, c.y)
		}
	}
	for _, p := range [][2]float64{{10, 20}, {-170, -60}, {120, 75}} {
		x, y := Project(p[0], p[1])
		lon, lat := Unproject(x, y)
		if math.Abs(lon-p[0]) > 1e-7 || math.Abs(lat-p[1]) > 1e-7 {
			t.Errorf("Unproject(Project(%v)) = %v, %v", p, lon, lat)
		}
	}
}

// The great circle from Beijing to London reaches its vertex over Siberia,
// and its end points are the cities.
func TestGreatCircle(t *testing.T) {
	pts := GreatCircle([2]float64{116.4, 39.9}, [2]float64{-0.13, 51.5}, 64)
	if len(pts) != 65 {
		t.Fatalf("%d points", len(pts))
	}
	maxLat := -90.0
	for _, p := range pts {
		maxLat = math.Max(maxLat, p[1])
	}
	// The vertex of this great circle is at 63.494° N (Clairaut's relation,
	// lat_max = acos(|sin(initial bearing)·cos(lat1)|), computed in Python);
	// 64 segments come within 0.05° of it.
	if maxLat < 63.44 || maxLat > 63.495 {
		t.Errorf("highest latitude %.3f, want 63.494", maxLat)
	}
	if l := pts[64]; math.Abs(l[0]+0.13) > 1e-9 || math.Abs(l[1]-51.5) > 1e-9 {
		t.Errorf("end %v", l)
	}
}
