// Package worldmap is the world's country boundaries for collabnet's map and
// GeoJSON export: Natural Earth's 1:50m admin-0 countries (public domain), as
// the npm package world-atlas 2.0.2 ships them in TopoJSON (countries-50m.json,
// ISC licence, LICENSE.world-atlas), embedded; with the Equal Earth projection
// and great-circle interpolation.
package worldmap

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync"

	"golang.org/x/text/language"
)

//go:embed countries-50m.json
var topoJSON []byte

// Country is one admin-0 unit of Natural Earth.
type Country struct {
	// Code is the ISO 3166-1 alpha-2 code (from the file's ISO numeric id;
	// Kosovo XK); "" for units without one (Somaliland, N. Cyprus, ...).
	Code string
	Name string // the file's English name
	// Polygons are the unit's polygons, each a list of rings (the outer
	// ring first), each ring a list of [longitude, latitude] in degrees.
	Polygons [][][][2]float64
	// Centre is the [longitude, latitude] of the area centroid of its
	// largest polygon (by area in the projection): where ties are drawn
	// from, and where a unit too small to see is drawn as a point.
	Centre [2]float64
}

// Atlas is every country of the file, sorted by Code, then Name.
type Atlas struct {
	Countries []Country
	byCode    map[string]*Country
}

// Get is the country of an ISO alpha-2 code, or nil.
func (a *Atlas) Get(code string) *Country { return a.byCode[code] }

var (
	loadOnce sync.Once
	atlas    *Atlas
	loadErr  error
)

// Load decodes the embedded atlas once (about 0.1 s) and returns it; the
// result is shared and must not be changed.
func Load() (*Atlas, error) {
	loadOnce.Do(func() { atlas, loadErr = decode(topoJSON) })
	return atlas, loadErr
}

type topology struct {
	Transform *struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Objects map[string]struct {
		Geometries []struct {
			Type       string          `json:"type"`
			ID         string          `json:"id"`
			Arcs       json.RawMessage `json:"arcs"`
			Properties struct {
				Name string `json:"name"`
			} `json:"properties"`
		} `json:"geometries"`
	} `json:"objects"`
	Arcs [][][2]float64 `json:"arcs"`
}

// decode reads a TopoJSON topology (https://github.com/topojson/topojson-specification):
// quantised, delta-encoded arcs; a geometry's rings are lists of arc
// indices, ~i (negative) meaning arc i reversed.
func decode(b []byte) (*Atlas, error) {
	var t topology
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("worldmap: countries-50m.json: %w", err)
	}
	arcs := make([][][2]float64, len(t.Arcs))
	for i, a := range t.Arcs {
		pts := make([][2]float64, len(a))
		var x, y float64
		for k, p := range a {
			if t.Transform != nil {
				x, y = x+p[0], y+p[1]
				pts[k] = [2]float64{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]}
			} else {
				pts[k] = p
			}
		}
		arcs[i] = pts
	}
	ring := func(idx []int) [][2]float64 {
		var out [][2]float64
		for _, i := range idx {
			var a [][2]float64
			if i >= 0 {
				a = arcs[i]
			} else {
				a = slices.Clone(arcs[^i])
				slices.Reverse(a)
			}
			if len(out) > 0 {
				a = a[1:] // the arcs of a ring share their end points
			}
			out = append(out, a...)
		}
		return out
	}
	obj, ok := t.Objects["countries"]
	if !ok {
		return nil, fmt.Errorf("worldmap: countries-50m.json has no countries object")
	}
	at := &Atlas{byCode: map[string]*Country{}}
	for _, g := range obj.Geometries {
		c := Country{Name: g.Properties.Name}
		switch {
		case g.ID != "":
			n, err := strconv.Atoi(g.ID)
			if err != nil {
				return nil, fmt.Errorf("worldmap: %s: id %q: %w", g.Properties.Name, g.ID, err)
			}
			r, err := language.EncodeM49(n)
			if err != nil {
				return nil, fmt.Errorf("worldmap: %s: ISO numeric %d: %w", g.Properties.Name, n, err)
			}
			c.Code = r.String()
		case g.Properties.Name == "Kosovo":
			c.Code = "XK" // no ISO code; the user-assigned one CLDR and the EU use
		}
		var polys [][][]int
		switch g.Type {
		case "Polygon":
			var p [][]int
			if err := json.Unmarshal(g.Arcs, &p); err != nil {
				return nil, fmt.Errorf("worldmap: %s: %w", c.Name, err)
			}
			polys = [][][]int{p}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &polys); err != nil {
				return nil, fmt.Errorf("worldmap: %s: %w", c.Name, err)
			}
		default:
			continue
		}
		for _, p := range polys {
			var rings [][][2]float64
			for _, r := range p {
				rings = append(rings, ring(r))
			}
			c.Polygons = append(c.Polygons, rings)
		}
		// Several units share a code (Australia and the Ashmore and Cartier
		// Islands, 036): one country with all their polygons.
		if k := slices.IndexFunc(at.Countries, func(x Country) bool { return c.Code != "" && x.Code == c.Code }); k >= 0 {
			at.Countries[k].Polygons = append(at.Countries[k].Polygons, c.Polygons...)
			if len(c.Polygons) > 0 && c.Name != "" && largest(c.Polygons) > largest(at.Countries[k].Polygons[:len(at.Countries[k].Polygons)-len(c.Polygons)]) {
				at.Countries[k].Name = c.Name
			}
			continue
		}
		at.Countries = append(at.Countries, c)
	}
	for i := range at.Countries {
		c := &at.Countries[i]
		best := -1.0
		for _, rings := range c.Polygons {
			if a, cx, cy := ringCentroid(rings[0]); a > best {
				best = a
				c.Centre = [2]float64{cx, cy}
			}
		}
	}
	slices.SortFunc(at.Countries, func(a, b Country) int {
		if a.Code != b.Code {
			if a.Code < b.Code {
				return -1
			}
			return 1
		}
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	for i := range at.Countries {
		if c := &at.Countries[i]; c.Code != "" {
			at.byCode[c.Code] = c
		}
	}
	return at, nil
}

// largest is the area of the largest outer ring of polys.
func largest(polys [][][][2]float64) float64 {
	m := 0.0
	for _, p := range polys {
		a, _, _ := ringCentroid(p[0])
		m = math.Max(m, a)
	}
	return m
}

// ringCentroid is the area (in projected units) and the centroid (back in
// degrees) of a ring, by the shoelace formula in the Equal Earth plane,
// where areas are true to scale.
func ringCentroid(r [][2]float64) (area, lon, lat float64) {
	var a, cx, cy float64
	for i := range r {
		x0, y0 := Project(r[i][0], r[i][1])
		x1, y1 := Project(r[(i+1)%len(r)][0], r[(i+1)%len(r)][1])
		f := x0*y1 - x1*y0
		a += f
		cx += (x0 + x1) * f
		cy += (y0 + y1) * f
	}
	if a == 0 {
		return 0, r[0][0], r[0][1]
	}
	cx, cy = cx/(3*a), cy/(3*a)
	lon, lat = Unproject(cx, cy)
	return math.Abs(a / 2), lon, lat
}

// Equal Earth's constants (Šavrič, Patterson and Jenny, "The Equal Earth
// map projection", International Journal of Geographical Information
// Science 33(3), 2019).
const (
	eeA1 = 1.340264
	eeA2 = -0.081106
	eeA3 = 0.000893
	eeA4 = 0.003796
)

var eeM = math.Sqrt(3) / 2

// Project is the Equal Earth projection of a longitude and latitude in
// degrees, on the unit sphere: x in about [-2.71, 2.71], y in about
// [-1.32, 1.32], north up (y grows northwards).
func Project(lon, lat float64) (x, y float64) {
	l, p := lon*math.Pi/180, lat*math.Pi/180
	th := math.Asin(eeM * math.Sin(p))
	t2 := th * th
	t6 := t2 * t2 * t2
	x = l * math.Cos(th) / (eeM * (eeA1 + 3*eeA2*t2 + t6*(7*eeA3+9*eeA4*t2)))
	y = th * (eeA1 + eeA2*t2 + t6*(eeA3+eeA4*t2))
	return x, y
}

// Unproject inverts Project by Newton's method (as in d3-geo).
func Unproject(x, y float64) (lon, lat float64) {
	th := y
	for range 12 {
		t2 := th * th
		t6 := t2 * t2 * t2
		fy := th*(eeA1+eeA2*t2+t6*(eeA3+eeA4*t2)) - y
		fpy := eeA1 + 3*eeA2*t2 + t6*(7*eeA3+9*eeA4*t2)
		d := fy / fpy
		th -= d
		if math.Abs(d) < 1e-12 {
			break
		}
	}
	t2 := th * th
	t6 := t2 * t2 * t2
	l := eeM * x * (eeA1 + 3*eeA2*t2 + t6*(7*eeA3+9*eeA4*t2)) / math.Cos(th)
	p := math.Asin(math.Sin(th) / eeM)
	return l * 180 / math.Pi, p * 180 / math.Pi
}

// GreatCircle is n+1 points (n >= 1) along the shorter great circle from a
// to b, both [longitude, latitude] in degrees, by spherical linear
// interpolation of their unit vectors; longitudes in [-180, 180].
func GreatCircle(a, b [2]float64, n int) [][2]float64 {
	vec := func(p [2]float64) [3]float64 {
		l, f := p[0]*math.Pi/180, p[1]*math.Pi/180
		return [3]float64{math.Cos(f) * math.Cos(l), math.Cos(f) * math.Sin(l), math.Sin(f)}
	}
	u, v := vec(a), vec(b)
	dot := math.Max(-1, math.Min(1, u[0]*v[0]+u[1]*v[1]+u[2]*v[2]))
	om := math.Acos(dot)
	out := make([][2]float64, 0, n+1)
	for k := 0; k <= n; k++ {
		t := float64(k) / float64(n)
		var w [3]float64
		if om < 1e-9 {
			w = u
		} else {
			s0, s1 := math.Sin((1-t)*om)/math.Sin(om), math.Sin(t*om)/math.Sin(om)
			for i := range 3 {
				w[i] = s0*u[i] + s1*v[i]
			}
		}
		out = append(out, [2]float64{math.Atan2(w[1], w[0]) * 180 / math.Pi, math.Atan2(w[2], math.Hypot(w[0], w[1])) * 180 / math.Pi})
	}
	return out
}
