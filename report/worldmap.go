package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/internal/worldmap"
)

// Map parameters; the method notes name them.
const (
	MaxMapArcs   = 60   // the strongest ties between countries drawn as arcs
	mapWidth     = 940  // pixels
	mapPointArea = 40.0 // px²: countries smaller than this are drawn as points
	mapMinLat    = -58  // the map's southern edge (Antarctica is left out), unless an arc goes further
	mapMaxLat    = 84   // its northern edge, north of Greenland, unless an arc goes further
)

// mapClasses is ColorBrewer's YlGnBu of 7 classes without its lightest,
// #ffffcc (Brewer and Harrower, colorbrewer2.org, 2003): the choropleth's
// sequential scale, light to dark. #ffffcc is all but the near-white of
// countries without ties abroad (mapZero) on the map.
var mapClasses = []string{"#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"}

const (
	mapNoData   = "#e6e6e6" // land of countries not in the data
	mapZero     = "#fbfbf4" // in the data, without ties to other countries
	mapArcColor = "#d95f0e"
)

// WorldMap is the country choropleth with the strongest ties as arcs.
type WorldMap struct {
	Name     string
	SVG      []byte
	Classes  []mapClass
	Arcs     int      // ties drawn
	Ties     int      // ties between countries in all
	Points   []string // countries drawn as points, by name
	NotDrawn []string // countries of the data the atlas has no shape for
}

type mapClass struct {
	Colour string
	Label  string
}

// Inline is the map as an <svg> element for the HTML page.
func (m *WorldMap) Inline() string { return inlineSVG(m.SVG) }

// worldMap draws the country network on the world: countries filled by
// strength (the weight of their ties to other countries) in the classes of
// mapBreaks, the MaxMapArcs strongest ties as great-circle arcs, countries
// smaller than mapPointArea as points.
func (p *page) worldMap() error {
	l := p.Analysis.Country
	if l == nil || len(l.Nodes) == 0 {
		return nil
	}
	at, err := worldmap.Load()
	if err != nil {
		return err
	}
	m := &WorldMap{Name: "world-map.svg", Ties: l.Edges.Len()}
	strength := map[string]float64{}
	for _, n := range l.Nodes {
		strength[n.ID] = n.Value(analysis.Strength)
		if at.Get(n.ID) == nil {
			m.NotDrawn = append(m.NotDrawn, p.countryName(n.ID))
		}
	}
	// Classes of the positive strengths: one per value when there are few,
	// else Jenks' natural breaks, so that an outlier (the hub country of a
	// curated dataset) gets a class of its own and no class is empty.
	var pos []float64
	for _, s := range strength {
		if s > 0 {
			pos = append(pos, s)
		}
	}
	classes := mapBreaks(pos, len(mapClasses))
	nc := len(classes)
	colourOf := func(s float64) string {
		if s <= 0 {
			return mapZero
		}
		i := 0
		for i < nc-1 && s > classes[i][1] {
			i++
		}
		return mapClasses[classIndex(i, nc)]
	}
	for i, c := range classes {
		label := fmtNum(c[0])
		if c[1] != c[0] {
			label = fmt.Sprintf("%s – %s", fmtNum(c[0]), fmtNum(c[1]))
		}
		m.Classes = append(m.Classes, mapClass{mapClasses[classIndex(i, nc)], label})
	}
	m.Classes = append(m.Classes, mapClass{mapZero, p.t("map.zero")}, mapClass{mapNoData, p.t("map.nodata")})

	// Arcs: the strongest ties, great circles between the countries'
	// centres. The map reaches as far north and south as they do (a tie
	// between North America and Asia crosses the Arctic), so that none is
	// cut at its edge.
	ties := l.Edges.Slice()
	slices.SortStableFunc(ties, func(a, b analysis.Tie) int {
		return cmp.Or(cmp.Compare(b.Weight, a.Weight), strings.Compare(a.Source, b.Source), strings.Compare(a.Target, b.Target))
	})
	maxW := 0.0
	if len(ties) > 0 {
		maxW = ties[0].Weight
	}
	type arc struct {
		tie analysis.Tie
		pts [][2]float64
	}
	var arcs []arc
	maxLat, minLat := float64(mapMaxLat), float64(mapMinLat)
	for _, e := range ties {
		if len(arcs) == MaxMapArcs {
			break
		}
		a, b := at.Get(e.Source), at.Get(e.Target)
		if a == nil || b == nil || e.Weight <= 0 {
			continue
		}
		pts := worldmap.GreatCircle(a.Centre, b.Centre, 48)
		for _, q := range pts {
			maxLat, minLat = max(maxLat, min(90, math.Ceil(q[1]+1))), min(minLat, max(-90, math.Floor(q[1]-1)))
		}
		arcs = append(arcs, arc{e, pts})
	}

	x0, _ := worldmap.Project(-180, 0)
	_, yTop := worldmap.Project(0, maxLat)
	_, yBot := worldmap.Project(0, minLat)
	scale := mapWidth / (-2 * x0)
	height := math.Ceil((yTop - yBot) * scale)
	px := func(lon, lat float64) (float64, float64) {
		x, y := worldmap.Project(lon, lat)
		return (x - x0) * scale, (yTop - y) * scale
	}
	// The outline of the map: the meridians ±180° between its edges.
	var ob strings.Builder
	for i := 0; i <= 64; i++ {
		lat := maxLat - float64(i)*(maxLat-minLat)/64
		x, y := px(180, lat)
		fmt.Fprintf(&ob, "%s%.1f %.1f", map[bool]string{true: "M", false: "L"}[i == 0], x, y)
	}
	for i := 0; i <= 64; i++ {
		lat := minLat + float64(i)*(maxLat-minLat)/64
		x, y := px(-180, lat)
		fmt.Fprintf(&ob, "L%.1f %.1f", x, y)
	}
	ob.WriteString("Z")
	outline := ob.String()
	var sb strings.Builder
	fmt.Fprintf(&sb, `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%.0f" viewBox="0 0 %d %.0f" role="img" aria-label="%s" font-family="%s" font-size="11">
<rect width="100%%" height="100%%" fill="#ffffff"/>
<path d="%s" fill="#e4eef7" stroke="#c9d6e2" stroke-width="0.8"/>
<g stroke="#ffffff" stroke-width="0.5" stroke-linejoin="round">
`, mapWidth, height, mapWidth, height, escapeAttr(p.t("map.alt")), escapeAttr(svgFonts), outline)
	type point struct {
		x, y   float64
		colour string
		title  string
	}
	var points []point
	for _, c := range at.Countries {
		if c.Code == "AQ" {
			continue
		}
		s, inData := strength[c.Code]
		fill := mapNoData
		title := c.Name
		if inData {
			fill = colourOf(s)
			title = fmt.Sprintf("%s (%s): %s %s", p.countryName(c.Code), c.Code, measureName(p.Lang, "strength"), fmtNum(s))
		} else if c.Code != "" {
			title = p.countryName(c.Code)
		}
		var d strings.Builder
		area := 0.0
		for _, poly := range c.Polygons {
			for ri, ring := range unwrapRings(poly) {
				var pts [][2]float64
				for _, q := range ring {
					x, y := px(q[0], q[1])
					if n := len(pts); n > 0 && math.Abs(x-pts[n-1][0]) < 0.7 && math.Abs(y-pts[n-1][1]) < 0.7 {
						continue
					}
					pts = append(pts, [2]float64{x, y})
				}
				if ri == 0 {
					area += math.Abs(shoelace(pts)) // the outer ring, one copy
				}
				if len(pts) < 3 {
					continue
				}
				for i, q := range pts {
					if i == 0 {
						fmt.Fprintf(&d, "M%.1f %.1f", q[0], q[1])
					} else {
						fmt.Fprintf(&d, "L%.1f %.1f", q[0], q[1])
					}
				}
				d.WriteString("Z")
			}
		}
		if d.Len() > 0 {
			fmt.Fprintf(&sb, `<path d="%s" fill="%s"><title>%s</title></path>`+"\n", d.String(), fill, escapeAttr(title))
		}
		if inData && area < mapPointArea {
			x, y := px(c.Centre[0], c.Centre[1])
			points = append(points, point{x, y, fill, title})
			m.Points = append(m.Points, p.countryName(c.Code))
		}
	}
	sb.WriteString("</g>\n")
	fmt.Fprintf(&sb, `<g fill="none" stroke="%s" stroke-opacity="0.75" stroke-linecap="round">`+"\n", mapArcColor)
	for _, ar := range arcs {
		e := ar.tie
		var d strings.Builder
		prev := math.NaN()
		for i, q := range ar.pts {
			x, y := px(q[0], q[1])
			// break the line where it crosses the antimeridian
			if i == 0 || math.Abs(q[0]-prev) > 180 {
				fmt.Fprintf(&d, "M%.1f %.1f", x, y)
			} else {
				fmt.Fprintf(&d, "L%.1f %.1f", x, y)
			}
			prev = q[0]
		}
		w := 0.7 + 3.8*e.Weight/maxW
		fmt.Fprintf(&sb, `<path d="%s" stroke-width="%.2f"><title>%s – %s: %s</title></path>`+"\n",
			d.String(), w, escapeAttr(p.countryName(e.Source)), escapeAttr(p.countryName(e.Target)), fmtNum(e.Weight))
	}
	m.Arcs = len(arcs)
	sb.WriteString("</g>\n<g stroke=\"#333333\" stroke-width=\"0.8\">\n")
	for _, q := range points {
		fmt.Fprintf(&sb, `<circle cx="%.1f" cy="%.1f" r="3.2" fill="%s"><title>%s</title></circle>`+"\n", q.x, q.y, q.colour, escapeAttr(q.title))
	}
	sb.WriteString("</g>\n")
	// Labels: the strongest countries, at their centres.
	top := slices.Clone(l.Nodes)
	slices.SortStableFunc(top, func(a, b analysis.NodeScore) int {
		return cmp.Or(cmp.Compare(b.Value(analysis.Strength), a.Value(analysis.Strength)), strings.Compare(a.ID, b.ID))
	})
	sb.WriteString("<g fill=\"#111111\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\" text-anchor=\"middle\">\n")
	var placed []rect
	for _, n := range top[:min(len(top), 12)] {
		c := at.Get(n.ID)
		if c == nil || n.Value(analysis.Strength) <= 0 {
			continue
		}
		x, y := px(c.Centre[0], c.Centre[1])
		name := p.countryName(n.ID)
		w := textWidth(name, 11)
		r := rect{x - w/2, y - 14, x + w/2, y - 2}
		if slices.ContainsFunc(placed, r.overlaps) {
			continue
		}
		placed = append(placed, r)
		fmt.Fprintf(&sb, `<text x="%.1f" y="%.1f">%s</text>`+"\n", x, y-4, escapeAttr(name))
	}
	sb.WriteString("</g>\n</svg>\n")
	m.SVG = []byte(sb.String())
	p.Map = m
	return nil
}

// crosses reports whether a ring crosses the antimeridian (TopoJSON keeps
// rings whole on the sphere: Fiji's and Chukotka's cross 180°).
func crosses(ring [][2]float64) bool {
	for i := 1; i < len(ring); i++ {
		if math.Abs(ring[i][0]-ring[i-1][0]) > 180 {
			return true
		}
	}
	return false
}

// unwrapRings returns a polygon's rings with each ring that crosses the
// antimeridian made continuous in longitude (beyond ±180) and drawn twice,
// once on each side of the map, each copy cut at the map's edge.
func unwrapRings(poly [][][2]float64) [][][2]float64 {
	var out, twins [][][2]float64
	for _, ring := range poly {
		if !crosses(ring) {
			out = append(out, ring)
			continue
		}
		u := make([][2]float64, len(ring))
		off := 0.0
		for i, q := range ring {
			if i > 0 {
				if d := q[0] + off - u[i-1][0]; d > 180 {
					off -= 360
				} else if d < -180 {
					off += 360
				}
			}
			u[i] = [2]float64{q[0] + off, q[1]}
		}
		shift := -360.0
		if u[0][0] < 0 {
			shift = 360
		}
		t := make([][2]float64, len(u))
		for i, q := range u {
			t[i] = [2]float64{q[0] + shift, q[1]}
		}
		out = append(out, clipLon(u, shift < 0))
		twins = append(twins, clipLon(t, shift > 0))
	}
	return append(out, twins...)
}

// clipLon cuts a ring at the antimeridian (Sutherland–Hodgman against one
// half-plane): keeps longitudes <= 180 (east) or >= -180 (west).
func clipLon(ring [][2]float64, east bool) [][2]float64 {
	in := func(q [2]float64) bool {
		if east {
			return q[0] <= 180
		}
		return q[0] >= -180
	}
	edge := 180.0
	if !east {
		edge = -180
	}
	var out [][2]float64
	for i := range ring {
		a, b := ring[i], ring[(i+1)%len(ring)]
		if in(a) {
			out = append(out, a)
		}
		if in(a) != in(b) {
			t := (edge - a[0]) / (b[0] - a[0])
			out = append(out, [2]float64{edge, a[1] + t*(b[1]-a[1])})
		}
	}
	return out
}

// shoelace is a ring's signed area.
func shoelace(pts [][2]float64) float64 {
	a := 0.0
	for i := range pts {
		j := (i + 1) % len(pts)
		a += pts[i][0]*pts[j][1] - pts[j][0]*pts[i][1]
	}
	return a / 2
}

// classIndex is the colour of class i of nc in mapClasses: fewer classes
// than colours are spread over the whole scale, so that two classes are far
// apart; a single class is the darkest.
func classIndex(i, nc int) int {
	if nc <= 1 {
		return len(mapClasses) - 1
	}
	if nc >= len(mapClasses) {
		return i
	}
	return int(math.Round(float64(i) * float64(len(mapClasses)-1) / float64(nc-1)))
}

// mapBreaks divides values (any order) into at most k classes, each the
// [lowest, highest] value in it, in increasing order: one class per distinct
// value when there are at most k of them, else Jenks' natural breaks, the
// division into k classes of consecutive values with the least sum of
// squared deviations from the class means (Jenks 1977; computed exactly by
// Fisher's dynamic programme, "On grouping for maximum homogeneity", 1958,
// over the distinct values weighted by their counts, so that equal values
// always share a class). No values: no class.
func mapBreaks(values []float64, k int) [][2]float64 {
	if len(values) == 0 || k < 1 {
		return nil
	}
	v := slices.Sorted(slices.Values(values))
	var d, w []float64 // distinct values and their counts
	for _, x := range v {
		if n := len(d); n > 0 && d[n-1] == x {
			w[n-1]++
			continue
		}
		d, w = append(d, x), append(w, 1)
	}
	m := len(d)
	if m <= k {
		out := make([][2]float64, m)
		for i, x := range d {
			out[i] = [2]float64{x, x}
		}
		return out
	}
	// Prefix sums of counts, weighted values and weighted squares: the
	// squared deviation of d[i..j] from its mean in constant time.
	sw, sx, sxx := make([]float64, m+1), make([]float64, m+1), make([]float64, m+1)
	for i := range m {
		sw[i+1] = sw[i] + w[i]
		sx[i+1] = sx[i] + w[i]*d[i]
		sxx[i+1] = sxx[i] + w[i]*d[i]*d[i]
	}
	ssd := func(i, j int) float64 { // d[i..j] inclusive
		n, s := sw[j+1]-sw[i], sx[j+1]-sx[i]
		return sxx[j+1] - sxx[i] - s*s/n
	}
	// cost[c][j]: least ssd of d[0..j] in c+1 classes; from[c][j]: where
	// its last class starts.
	cost := make([][]float64, k)
	from := make([][]int, k)
	for c := range k {
		cost[c], from[c] = make([]float64, m), make([]int, m)
		for j := range m {
			if c == 0 {
				cost[c][j] = ssd(0, j)
				continue
			}
			cost[c][j] = math.Inf(1)
			for i := c; i <= j; i++ {
				if x := cost[c-1][i-1] + ssd(i, j); x < cost[c][j] {
					cost[c][j], from[c][j] = x, i
				}
			}
		}
	}
	out := make([][2]float64, k)
	j := m - 1
	for c := k - 1; c >= 0; c-- {
		i := from[c][j]
		out[c] = [2]float64{d[i], d[j]}
		j = i - 1
	}
	return out
}
