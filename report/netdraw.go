package report

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/collabnet/collabnet/analysis"
	kelly "github.com/collabnet/collabnet/internal/palette"
)

// Layout parameters; the method notes name them.
const (
	LayoutSeed       = 1   // seed of the initial jitter
	LayoutIterations = 300 // Fruchterman–Reingold iterations per component
	MaxDrawnOrgs     = 150 // larger organisation networks are not drawn
	MaxLabels        = 60  // at most this many labels, the strongest nodes first
	SureLabels       = 15  // the strongest nodes are labelled even over other circles
	MaxDrawnTies     = 400 // more ties: only the strongest are drawn (all shape the layout)
	drawWidth        = 940 // pixels
)

// communityColour is the colour of the analysis' community c (numbered
// from 0 by decreasing size): Kelly's colours (palette.Community), as in the
// interactive view, the GEXF and GraphML exports and the world map; "other"
// grey past them.
func communityColour(c int) string { return kelly.CommunityHex(int64(c)) }

// drawNode is a node to draw.
type drawNode struct {
	ID, Label, Title string
	Strength         float64
	Community        int    // the analysis' community number (communityColour)
	Fill             string // overrides the community colour (an overlay), "" for none
	X, Y, R          float64
	// label placement
	LX, LY   float64
	Anchor   string // start, end, middle; "" = not labelled
	labelled bool
}

type drawEdge struct {
	U, V int
	W    float64
}

// edgesAmong are the ties between the nodes idx places (node ID → index in
// the drawing); ties with an end not drawn are left out.
func edgesAmong(ties *analysis.Ties, idx map[string]int) []drawEdge {
	var edges []drawEdge
	for _, e := range ties.All() {
		u, okU := idx[e.Source]
		v, okV := idx[e.Target]
		if okU && okV {
			edges = append(edges, drawEdge{u, v, e.Weight})
		}
	}
	return edges
}

// Drawing is a network drawn as SVG, with what the caption needs.
type Drawing struct {
	Name    string // file name under charts/
	SVG     []byte
	Nodes   int // nodes drawn
	Edges   int
	Hidden  int // labels left out to avoid overlaps
	labels  int // labels placed (at most MaxLabels)
	Shown   int // ties drawn, when fewer than Edges
	Legend  []LegendEntry
	Missing []string // nodes not drawn (no ties), by label
}

// LegendEntry is a community colour and the strongest members of the community.
type LegendEntry struct {
	Colour  string
	Number  int // the community's number (from 1); 0 for "other"
	Members []string
	Size    int
}

// Inline is the drawing as an <svg> element for the HTML page.
func (d *Drawing) Inline() string { return inlineSVG(d.SVG) }

// layout places the nodes with Fruchterman–Reingold, each connected
// component on its own (ideal tie length 1, seeded jitter on a start
// circle ordered by community), and returns the components, largest first.
func layout(nodes []drawNode, edges []drawEdge, seed uint64, iters int) [][]int {
	n := len(nodes)
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, e := range edges {
		if a, b := find(e.U), find(e.V); a != b {
			parent[max(a, b)] = min(a, b)
		}
	}
	byRoot := map[int][]int{}
	for i := range nodes {
		r := find(i)
		byRoot[r] = append(byRoot[r], i)
	}
	var comps [][]int
	for _, c := range byRoot {
		comps = append(comps, c)
	}
	slices.SortFunc(comps, func(a, b []int) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return a[0] - b[0]
	})
	adj := make([][]drawEdge, n)
	maxW := 0.0
	for _, e := range edges {
		adj[e.U] = append(adj[e.U], e)
		adj[e.V] = append(adj[e.V], e)
		maxW = math.Max(maxW, e.W)
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	for _, comp := range comps {
		frLayout(nodes, comp, adj, maxW, rng, iters)
	}
	return comps
}

func frLayout(nodes []drawNode, comp []int, adj [][]drawEdge, maxW float64, rng *rand.Rand, iters int) {
	m := len(comp)
	if m == 1 {
		nodes[comp[0]].X, nodes[comp[0]].Y = 0, 0
		return
	}
	order := slices.Clone(comp)
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(nodes[a].Community, nodes[b].Community), cmp.Compare(nodes[b].Strength, nodes[a].Strength))
	})
	pos := make(map[int]int, m) // node -> position in comp
	xs, ys := make([]float64, m), make([]float64, m)
	rad := math.Sqrt(float64(m)) / 2
	for k, i := range order {
		a := 2 * math.Pi * float64(k) / float64(m)
		j := slices.Index(comp, i)
		pos[i] = j
		xs[j] = rad*math.Cos(a) + 0.01*(rng.Float64()-0.5)
		ys[j] = rad*math.Sin(a) + 0.01*(rng.Float64()-0.5)
	}
	dx, dy := make([]float64, m), make([]float64, m)
	t0 := math.Max(0.1, math.Sqrt(float64(m))/3)
	for it := range iters {
		clear(dx)
		clear(dy)
		for a := range m {
			for b := a + 1; b < m; b++ {
				ddx, ddy := xs[a]-xs[b], ys[a]-ys[b]
				d2 := math.Max(ddx*ddx+ddy*ddy, 1e-6)
				f := 1 / d2 // k²/d, divided by d for the unit vector
				dx[a] += ddx * f
				dy[a] += ddy * f
				dx[b] -= ddx * f
				dy[b] -= ddy * f
			}
		}
		for a, i := range comp {
			for _, e := range adj[i] {
				j := e.V
				if j == i {
					j = e.U
				}
				b := pos[j]
				if b <= a {
					continue
				}
				ddx, ddy := xs[a]-xs[b], ys[a]-ys[b]
				d := math.Max(math.Hypot(ddx, ddy), 1e-6)
				f := d * (0.6 + 0.4*e.W/maxW) // d²/k, weighted, divided by d
				dx[a] -= ddx * f
				dy[a] -= ddy * f
				dx[b] += ddx * f
				dy[b] += ddy * f
			}
			// gravity towards the centre keeps loose parts close
			dx[a] -= 0.05 * xs[a]
			dy[a] -= 0.05 * ys[a]
		}
		t := t0 * (1 - float64(it)/float64(iters))
		for a := range m {
			d := math.Hypot(dx[a], dy[a])
			if d > 0 {
				s := math.Min(d, t) / d
				xs[a] += dx[a] * s
				ys[a] += dy[a] * s
			}
		}
	}
	// Turn the component so that its longest extent is horizontal.
	var sxx, syy, sxy, cx, cy float64
	for a := range m {
		cx += xs[a]
		cy += ys[a]
	}
	cx /= float64(m)
	cy /= float64(m)
	for a := range m {
		x, y := xs[a]-cx, ys[a]-cy
		sxx += x * x
		syy += y * y
		sxy += x * y
	}
	theta := 0.5 * math.Atan2(2*sxy, sxx-syy)
	sin, cos := math.Sincos(-theta)
	for a, i := range comp {
		x, y := xs[a]-cx, ys[a]-cy
		nodes[i].X, nodes[i].Y = x*cos-y*sin, x*sin+y*cos
	}
}

// rect is a box in pixels.
type rect struct{ x0, y0, x1, y1 float64 }

func (r rect) overlaps(s rect) bool {
	return r.x0 < s.x1 && s.x0 < r.x1 && r.y0 < s.y1 && s.y0 < r.y1
}

func (r rect) union(s rect) rect {
	return rect{math.Min(r.x0, s.x0), math.Min(r.y0, s.y0), math.Max(r.x1, s.x1), math.Max(r.y1, s.y1)}
}

// drawNetwork lays out and draws a network: nodes sized by strength (area
// proportional), coloured by community, labelled where labels do not
// overlap (strongest first); ties drawn with a width by weight.
func drawNetwork(name, alt string, nodes []drawNode, edges []drawEdge, rMin, rMax, fontSize float64) *Drawing {
	d := &Drawing{Name: name, Nodes: len(nodes), Edges: len(edges)}
	if len(nodes) == 0 {
		return d
	}
	comps := layout(nodes, edges, LayoutSeed, LayoutIterations)
	maxS := 0.0
	for _, n := range nodes {
		maxS = math.Max(maxS, n.Strength)
	}
	for i := range nodes {
		f := 0.0
		if maxS > 0 {
			f = math.Sqrt(nodes[i].Strength / maxS)
		}
		nodes[i].R = rMin + (rMax-rMin)*f
	}
	// Label order: strongest first.
	order := make([]int, len(nodes))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(nodes[b].Strength, nodes[a].Strength) })
	rankOf := make([]int, len(nodes))
	for r, i := range order {
		rankOf[i] = r
	}
	adjOf := make([][]int, len(nodes))
	for _, e := range edges {
		adjOf[e.U] = append(adjOf[e.U], e.V)
		adjOf[e.V] = append(adjOf[e.V], e.U)
	}

	// Scale: the ideal tie length in pixels, smaller for larger components.
	// Each component is put in pixels and labelled; when the widest does
	// not fit the width, the scale shrinks (labels keep their size, hence
	// the loop).
	const gap, margin = 24.0, 8.0
	scale := math.Max(28, math.Min(130, 520/math.Sqrt(float64(len(comps[0])))))
	ux, uy := make([]float64, len(nodes)), make([]float64, len(nodes))
	for i, n := range nodes {
		ux[i], uy[i] = n.X, n.Y
	}
	boxes := make([]rect, len(comps))
	for attempt := 0; ; attempt++ {
		d.Hidden, d.labels = 0, 0
		for i := range nodes {
			nodes[i].X, nodes[i].Y = ux[i]*scale, uy[i]*scale
			nodes[i].labelled = false
		}
		widest := 0.0
		for k, comp := range comps {
			boxes[k] = placeLabels(d, nodes, comp, rankOf, adjOf, fontSize)
			widest = math.Max(widest, boxes[k].x1-boxes[k].x0)
		}
		limit := drawWidth - 2*margin
		if widest <= limit || attempt == 4 || scale <= 6 {
			break
		}
		scale = math.Max(6, scale*limit/widest*0.97)
	}

	// Shelf-pack the components, largest first, into rows of drawWidth.
	x, y, rowH, width := 0.0, 0.0, 0.0, 0.0
	for k, b := range boxes {
		w, h := b.x1-b.x0, b.y1-b.y0
		if x > 0 && x+w > drawWidth-2*margin {
			x, y, rowH = 0, y+rowH+gap, 0
		}
		dx, dy := x-b.x0+margin, y-b.y0+margin
		for _, i := range comps[k] {
			nodes[i].X += dx
			nodes[i].Y += dy
			nodes[i].LX += dx
			nodes[i].LY += dy
		}
		x += w + gap
		rowH = math.Max(rowH, h)
		width = math.Max(width, x-gap)
	}
	height := y + rowH + 2*margin
	width += 2 * margin
	// Centre a narrow drawing.
	if width < drawWidth {
		off := (drawWidth - width) / 2
		for i := range nodes {
			nodes[i].X += off
			nodes[i].LX += off
		}
		width = drawWidth
	}

	maxW := 0.0
	for _, e := range edges {
		maxW = math.Max(maxW, e.W)
	}
	drawn := edges
	if len(edges) > MaxDrawnTies {
		drawn = slices.Clone(edges)
		slices.SortStableFunc(drawn, func(a, b drawEdge) int { return cmp.Compare(b.W, a.W) })
		drawn = drawn[:MaxDrawnTies]
		d.Shown = MaxDrawnTies
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s" font-family="%s" font-size="%g">
<rect width="100%%" height="100%%" fill="#ffffff"/>
<g stroke="#8c8c8c" stroke-opacity="0.55" stroke-linecap="round">
`, width, height, width, height, escapeAttr(alt), escapeAttr(svgFonts), fontSize)
	for _, e := range drawn {
		a, b := nodes[e.U], nodes[e.V]
		sw := 1.0
		if maxW > 0 {
			sw = 0.8 + 5*e.W/maxW
		}
		fmt.Fprintf(&sb, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke-width="%.2f"><title>%s – %s: %s</title></line>`+"\n",
			a.X, a.Y, b.X, b.Y, sw, escapeAttr(a.Title), escapeAttr(b.Title), fmtNum(e.W))
	}
	sb.WriteString("</g>\n<g stroke=\"#ffffff\" stroke-width=\"1\">\n")
	for _, i := range order {
		n := nodes[i]
		fill := communityColour(n.Community)
		if n.Fill != "" {
			fill = n.Fill
		}
		fmt.Fprintf(&sb, `<circle cx="%.1f" cy="%.1f" r="%.1f" fill="%s"><title>%s</title></circle>`+"\n",
			n.X, n.Y, n.R, fill, escapeAttr(n.Title))
	}
	sb.WriteString("</g>\n<g fill=\"#222222\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">\n")
	for _, i := range order {
		n := nodes[i]
		if n.labelled {
			fmt.Fprintf(&sb, `<text x="%.1f" y="%.1f" text-anchor="%s">%s</text>`+"\n", n.LX, n.LY, n.Anchor, escapeAttr(n.Label))
		}
	}
	sb.WriteString("</g>\n</svg>\n")
	d.SVG = []byte(sb.String())
	return d
}

// placeLabels labels the nodes of one component (in pixels), strongest
// first, each at the first of right, left, above, below that overlaps no
// other label, no circle and no tie (else no label and no circle; else
// none), and returns the component's box, labels included.
func placeLabels(d *Drawing, nodes []drawNode, comp []int, rankOf []int, adj [][]int, fontSize float64) rect {
	lineH := fontSize * 1.25
	nodeBoxes := make([]rect, len(comp))
	for k, i := range comp {
		n := nodes[i]
		nodeBoxes[k] = rect{n.X - n.R, n.Y - n.R, n.X + n.R, n.Y + n.R}
	}
	bb := nodeBoxes[0]
	for _, r := range nodeBoxes[1:] {
		bb = bb.union(r)
	}
	cs := slices.Clone(comp)
	slices.SortStableFunc(cs, func(a, b int) int { return rankOf[a] - rankOf[b] })
	var placed []rect
	for _, i := range cs {
		n := &nodes[i]
		if n.Label == "" {
			continue
		}
		// At most MaxLabels labels, strongest first; a node whose label
		// does not fit leaves its turn to the next, so that in a dense
		// network the countries around the hairball are named too.
		if d.labels >= MaxLabels {
			d.Hidden++
			continue
		}
		w := textWidth(n.Label, fontSize)
		type cand struct {
			r      rect
			lx, ly float64
			anchor string
		}
		const gap = 3.0
		cands := []cand{
			{rect{n.X + n.R + gap, n.Y - lineH/2, n.X + n.R + gap + w, n.Y + lineH/2}, n.X + n.R + gap, n.Y + fontSize*0.35, "start"},
			{rect{n.X - n.R - gap - w, n.Y - lineH/2, n.X - n.R - gap, n.Y + lineH/2}, n.X - n.R - gap, n.Y + fontSize*0.35, "end"},
			{rect{n.X - w/2, n.Y - n.R - gap - lineH, n.X + w/2, n.Y - n.R - gap}, n.X, n.Y - n.R - gap - lineH*0.25, "middle"},
			{rect{n.X - w/2, n.Y + n.R + gap, n.X + w/2, n.Y + n.R + gap + lineH}, n.X, n.Y + n.R + gap + fontSize*0.95, "middle"},
		}
		// Pass 0: free of labels, circles and ties; 1: of labels and
		// circles; 2 (the strongest nodes only): of labels.
		passes := 2
		if rankOf[i] < SureLabels {
			passes = 3
		}
		ok := false
		for pass := 0; pass < passes && !ok; pass++ {
			for _, c := range cands {
				if !free(c.r, placed, comp, nodeBoxes, i, pass < 2) || (pass == 0 && crossesTie(c.r, comp, nodes, adj)) {
					continue
				}
				n.LX, n.LY, n.Anchor, n.labelled = c.lx, c.ly, c.anchor, true
				placed = append(placed, c.r)
				bb = bb.union(c.r)
				d.labels++
				ok = true
				break
			}
		}
		if !ok {
			d.Hidden++
		}
	}
	return bb
}

// free reports whether a label box overlaps no placed label and (with
// circles) no circle of the component other than its own node's.
func free(r rect, placed []rect, comp []int, nodeBoxes []rect, self int, circles bool) bool {
	for _, p := range placed {
		if r.overlaps(p) {
			return false
		}
	}
	if !circles {
		return true
	}
	for k, j := range comp {
		if j != self && r.overlaps(nodeBoxes[k]) {
			return false
		}
	}
	return true
}

// crossesTie reports whether a label box is crossed by a tie of the component.
func crossesTie(r rect, comp []int, nodes []drawNode, adj [][]int) bool {
	for _, i := range comp {
		for _, j := range adj[i] {
			if j > i && segmentHitsRect(nodes[i].X, nodes[i].Y, nodes[j].X, nodes[j].Y, r) {
				return true
			}
		}
	}
	return false
}

// segmentHitsRect reports whether the segment (x0,y0)-(x1,y1) passes
// through r (Liang–Barsky clipping).
func segmentHitsRect(x0, y0, x1, y1 float64, r rect) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := x1-x0, y1-y0
	for _, pq := range [4][2]float64{{-dx, x0 - r.x0}, {dx, r.x1 - x0}, {-dy, y0 - r.y0}, {dy, r.y1 - y0}} {
		p, q := pq[0], pq[1]
		if p == 0 {
			if q < 0 {
				return false
			}
			continue
		}
		t := q / p
		if p < 0 {
			t0 = math.Max(t0, t)
		} else {
			t1 = math.Min(t1, t)
		}
		if t0 > t1 {
			return false
		}
	}
	return true
}

// communityColours sets the drawn nodes' communities (the analysis'
// numbers, so that a community has the same colour in every drawing, the
// interactive view and the exports) and returns the legend: one entry per
// community with a colour of its own, in the analysis' order (largest
// first), with its strongest members, then one "other" entry for the
// communities past the palette.
func communityColours(nodes []drawNode, community []int, names []string) []LegendEntry {
	members := map[int][]int{}
	for i, c := range community {
		nodes[i].Community = c
		members[c] = append(members[c], i)
	}
	ids := slices.Sorted(maps.Keys(members))
	var legend []LegendEntry
	other := LegendEntry{Colour: kelly.Hex(kelly.Other)}
	for _, c := range ids {
		ms := members[c]
		if c < 0 || c >= kelly.Size {
			other.Size += len(ms)
			continue
		}
		ms = slices.Clone(ms)
		slices.SortStableFunc(ms, func(x, y int) int { return cmp.Compare(nodes[y].Strength, nodes[x].Strength) })
		var names5 []string
		for _, i := range ms[:min(5, len(ms))] {
			names5 = append(names5, names[i])
		}
		if len(ms) > 5 {
			names5 = append(names5, "…")
		}
		legend = append(legend, LegendEntry{Colour: communityColour(c), Number: c + 1, Members: names5, Size: len(ms)})
	}
	if other.Size > 0 {
		legend = append(legend, other)
	}
	return legend
}
