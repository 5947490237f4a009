package report

import (
	"cmp"
	_ "embed"
	"encoding/json"
	"fmt"
	htmltemplate "html/template"
	"math"
	"slices"
	"strings"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/internal/opencc"
	kelly "github.com/collabnet/collabnet/internal/palette"
)

// cytoscapeJS is Cytoscape.js 3.35.0 (MIT, vendor/LICENSE.cytoscape), from
// npm, inlined into report.html: it draws on a 2D canvas, so the view works
// in any browser without a GPU, prints, and is one file with no build step.
//
//go:embed vendor/cytoscape.min.js
var cytoscapeJS string

// MaxInteractiveOrgs is the most organisations the interactive view holds
// (the most connected first); beyond it report.html would grow past a few
// megabytes and the layout past a few seconds.
const MaxInteractiveOrgs = 2500

// Interactive is the organisation network for the page's interactive view:
// the data the script draws (positions computed here), and how much of
// the network it holds.
type Interactive struct {
	Data   htmltemplate.JS // JSON, see netData
	Nodes  int
	Edges  int
	Left   int // organisations with ties left out (MaxInteractiveOrgs)
	Static *Drawing
}

// CytoscapeJS is the library's code for the page.
func (*Interactive) CytoscapeJS() htmltemplate.JS { return htmltemplate.JS(cytoscapeJS) }

// netData is what the page's script reads: nodes with position, size,
// colour, names (for search: both Chinese scripts) and measures; ties as
// [source, target, weight]; agreements with their parties and sources.
type netData struct {
	Nodes      []netNode      `json:"nodes"`
	Edges      [][3]float64   `json:"edges"`
	Agreements []netAgreement `json:"agreements"`
	Sources    []string       `json:"sources"`
	Parties    []string       `json:"parties"` // names of the agreements' parties
	Labels     map[string]string
}

type netNode struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Other    string  `json:"other,omitempty"` // the name in the other language
	Search   string  `json:"search"`          // lower-case names, both scripts, and the ID
	Country  string  `json:"country"`         // in the report's language
	Measures string  `json:"measures"`        // "degree 3 · strength 4 · ..."
	X        float64 `json:"x"`               // pixels at zoom 1
	Y        float64 `json:"y"`               //
	R        float64 `json:"r"`               // radius, pixels
	Colour   string  `json:"colour"`          // community colour
	Label    bool    `json:"label,omitempty"` // always labelled (the strongest)
	Agr      []int   `json:"agr"`             // indices into Agreements
}

type netAgreement struct {
	Caption string `json:"caption"`         // type and date, or type and "undated"
	Title   string `json:"title,omitempty"` // its title, when it has one
	ID      string `json:"id"`
	Parties []int  `json:"parties"` // indices into Parties (names), so each name is written once
	Sources []int  `json:"sources"` // indices into Sources
}

// interactive builds the interactive view of the organisation network.
func (p *page) interactive() {
	l := p.Analysis.Org
	if l == nil || p.ds == nil {
		return
	}
	var keep []int
	for i := range l.Nodes {
		if l.Nodes[i].Int(analysis.Degree) > 0 {
			keep = append(keep, i)
		}
	}
	if len(keep) == 0 {
		return
	}
	iv := &Interactive{}
	if len(keep) > MaxInteractiveOrgs {
		slices.SortStableFunc(keep, func(a, b int) int {
			return cmp.Compare(l.Nodes[b].Value(analysis.Strength), l.Nodes[a].Value(analysis.Strength))
		})
		iv.Left = len(keep) - MaxInteractiveOrgs
		keep = keep[:MaxInteractiveOrgs]
		slices.Sort(keep)
	}
	idx := map[string]int{}
	nodes := make([]drawNode, len(keep))
	for k, i := range keep {
		n := &l.Nodes[i]
		idx[n.ID] = k
		nodes[k] = drawNode{ID: n.ID, Strength: n.Value(analysis.Strength), Community: n.Int(analysis.Community)}
	}
	edges := edgesAmong(&l.Edges, idx)
	packComponents(nodes, layout(nodes, edges, LayoutSeed, LayoutIterations))
	// Scale: ideal tie length ~60 px for small networks, less for large.
	scale := math.Max(12, math.Min(90, 900/math.Sqrt(float64(len(nodes)))))
	maxS := 0.0
	for _, n := range nodes {
		maxS = math.Max(maxS, n.Strength)
	}
	d := netData{Labels: map[string]string{}}
	strongest := make([]int, len(nodes))
	for i := range strongest {
		strongest[i] = i
	}
	slices.SortStableFunc(strongest, func(a, b int) int { return cmp.Compare(nodes[b].Strength, nodes[a].Strength) })
	labelled := map[int]bool{}
	for _, i := range strongest[:min(len(strongest), 25)] {
		labelled[i] = true
	}
	measures := l.Measures
	for k, i := range keep {
		n := &l.Nodes[i]
		name := p.orgName(n.ID, n.Name, n.NameEN)
		o := p.ds.Organizations[n.ID]
		// What a user may type: the name the view shows ("PIC 999640007"
		// for an organisation without a name), the names and aliases in
		// both scripts, and the ID; each once.
		names := []string{name, n.Name, n.NameEN}
		if o != nil {
			names = append(names, o.Aliases...)
		}
		search := []string{strings.ToLower(n.ID)}
		for _, s := range names {
			if s != "" {
				for _, f := range []string{strings.ToLower(s), strings.ToLower(opencc.ToTraditional(s)), strings.ToLower(opencc.ToSimplified(s))} {
					if !slices.Contains(search, f) {
						search = append(search, f)
					}
				}
			}
		}
		var ms []string
		for _, m := range measures {
			v := n.Value(m)
			if math.IsNaN(v) || m == analysis.Community {
				continue
			}
			ms = append(ms, measureName(p.Lang, string(m))+" "+fmtNum(v))
		}
		r := 3.0
		if maxS > 0 {
			r = 3 + 13*math.Sqrt(nodes[k].Strength/maxS)
		}
		d.Nodes = append(d.Nodes, netNode{ID: n.ID, Name: name, Other: p.orgOther(n.Name, n.NameEN), Search: strings.Join(search, "\n"),
			Country: p.countryName(n.Country), Measures: strings.Join(ms, " · "),
			X: math.Round(nodes[k].X*scale*10) / 10, Y: math.Round(nodes[k].Y*scale*10) / 10, R: math.Round(r*10) / 10,
			Colour: kelly.CommunityHex(int64(nodes[k].Community)), Label: labelled[k], Agr: []int{}})
	}
	separate(d.Nodes)
	for _, e := range edges {
		d.Edges = append(d.Edges, [3]float64{float64(e.U), float64(e.V), e.W})
	}
	// The agreements of the drawn organisations, with their sources.
	srcIdx, partyIdx := map[string]int{}, map[string]int{}
	for _, a := range p.ds.SortedAgreements() {
		var in []int
		for _, pt := range a.Parties {
			if k, ok := idx[pt.Org]; ok {
				in = append(in, k)
			}
		}
		if len(in) == 0 {
			continue
		}
		// The panel shows the title and the ID after the caption: an undated
		// agreement is captioned by its type and "undated".
		caption := graph.AgreementCaption(p.Lang, a.Type, a.Date, "", "")
		if a.Date == "" {
			caption += " · " + p.t("net.undated")
		}
		na := netAgreement{Caption: caption, Title: a.Title, ID: a.ID, Sources: []int{}}
		for _, pt := range a.Parties {
			j, ok := partyIdx[pt.Org]
			if !ok {
				name := pt.Org
				if o := p.ds.Organizations[pt.Org]; o != nil {
					name = p.orgName(o.ID, o.Name, o.NameEN)
				}
				j = len(d.Parties)
				partyIdx[pt.Org] = j
				d.Parties = append(d.Parties, name)
			}
			na.Parties = append(na.Parties, j)
		}
		for _, c := range a.Sources {
			j, ok := srcIdx[c.Source]
			if !ok {
				j = len(d.Sources)
				srcIdx[c.Source] = j
				d.Sources = append(d.Sources, p.sourceText(c.Source))
			}
			na.Sources = append(na.Sources, j)
		}
		ai := len(d.Agreements)
		d.Agreements = append(d.Agreements, na)
		for _, k := range in {
			d.Nodes[k].Agr = append(d.Nodes[k].Agr, ai)
		}
	}
	for _, k := range []string{"net.search", "net.nomatch", "net.agreements", "net.none", "net.sources", "net.parties", "net.more", "net.reset", "net.hint"} {
		d.Labels[k] = p.t(k)
	}
	if iv.Left > 0 { // a name not found may be one of those left out
		d.Labels["net.nomatch"] = p.t("net.nomatch.left", len(d.Nodes), iv.Left)
	}
	b, err := json.Marshal(d) // escapes <, > and &: safe inside <script>
	if err != nil {
		return
	}
	iv.Data = htmltemplate.JS(b)
	iv.Nodes, iv.Edges = len(d.Nodes), len(d.Edges)
	iv.Static = staticNetwork(d, p.t("org.drawing"))
	p.Net = iv
}

// Overlap removal parameters: the view's label type (font-size in the
// page's Cytoscape style) and the gap kept between boxes, in pixels.
const (
	netLabelSize = 9
	netGap       = 4
)

// separate moves the nodes of the interactive view apart until no two of
// their boxes overlap, each box being a node's circle and, for a node
// labelled at zoom 1, its label to the right of it (Cytoscape's
// text-halign right, 3 px from the circle): a pair of overlapping boxes
// moves apart along the axis where they overlap less, each by half, so the
// layout's shape stays (a simple form of the force-transfer and PRISM
// overlap removals, Gansner and Hu 2010). It stops when nothing overlaps or
// after 200 rounds; boxes are compared by a sweep along x.
func separate(ns []netNode) {
	n := len(ns)
	type box struct{ dx0, dx1, dy float64 } // extent around the node's centre
	bs := make([]box, n)
	for i, v := range ns {
		b := box{v.R, v.R, v.R}
		if v.Label {
			// 15% over Liberation Sans: the page sets labels in the
			// system's sans-serif, which may run wider.
			b.dx1 = v.R + 3 + 1.15*textWidth(v.Name, netLabelSize) + 2
			b.dy = math.Max(v.R, netLabelSize/2+2)
		}
		bs[i] = b
	}
	x0 := func(i int) float64 { return ns[i].X - bs[i].dx0 - netGap/2 }
	x1 := func(i int) float64 { return ns[i].X + bs[i].dx1 + netGap/2 }
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	for range 200 {
		slices.SortFunc(order, func(a, b int) int { return cmp.Or(cmp.Compare(x0(a), x0(b)), cmp.Compare(a, b)) })
		moved := false
		for k, i := range order {
			for _, j := range order[k+1:] {
				if x0(j) >= x1(i) {
					break
				}
				ox := math.Min(x1(i), x1(j)) - math.Max(x0(i), x0(j))
				oy := bs[i].dy + bs[j].dy + netGap - math.Abs(ns[i].Y-ns[j].Y)
				if ox <= 0 || oy <= 0 {
					continue
				}
				moved = true
				a, b := i, j // a is moved towards -y (or -x), b the other way
				if oy <= ox {
					if ns[a].Y > ns[b].Y || ns[a].Y == ns[b].Y && a > b {
						a, b = b, a
					}
					ns[a].Y -= oy/2 + 0.05
					ns[b].Y += oy/2 + 0.05
				} else {
					if ns[a].X > ns[b].X || ns[a].X == ns[b].X && a > b {
						a, b = b, a
					}
					ns[a].X -= ox/2 + 0.05
					ns[b].X += ox/2 + 0.05
				}
			}
		}
		if !moved {
			break
		}
	}
	for i := range ns {
		ns[i].X, ns[i].Y = math.Round(ns[i].X*10)/10, math.Round(ns[i].Y*10)/10
	}
}

// packComponents places the components that layout laid out each around
// the origin side by side, largest first, in rows about as wide as the
// whole is tall (shelf packing), one tie length apart.
func packComponents(nodes []drawNode, comps [][]int) {
	type box struct{ x0, y0, x1, y1 float64 }
	boxes := make([]box, len(comps))
	area := 0.0
	for k, c := range comps {
		b := box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
		for _, i := range c {
			b.x0, b.x1 = math.Min(b.x0, nodes[i].X), math.Max(b.x1, nodes[i].X)
			b.y0, b.y1 = math.Min(b.y0, nodes[i].Y), math.Max(b.y1, nodes[i].Y)
		}
		boxes[k] = b
		area += (b.x1 - b.x0 + 1) * (b.y1 - b.y0 + 1)
	}
	width := math.Max(boxes[0].x1-boxes[0].x0+1, 1.6*math.Sqrt(area))
	x, y, rowH := 0.0, 0.0, 0.0
	for k, c := range comps {
		b := boxes[k]
		w, h := b.x1-b.x0+1, b.y1-b.y0+1
		if x > 0 && x+w > width {
			x, y, rowH = 0, y+rowH, 0
		}
		for _, i := range c {
			nodes[i].X += x - b.x0
			nodes[i].Y += y - b.y0
		}
		x += w
		rowH = math.Max(rowH, h)
	}
}

// sourceText is a source as the panel lists it: ID, headline, publisher,
// date, address.
func (p *page) sourceText(id string) string {
	s := p.ds.Sources[id]
	if s == nil {
		return id
	}
	parts := []string{s.ID}
	title := graph.SourceTitle(p.Lang, s)
	if title == "" {
		title = s.File // an article without a headline: its file in the seeds
	}
	for _, x := range []string{title, s.Publisher, s.Date, s.URL} {
		if x != "" {
			parts = append(parts, x)
		}
	}
	return strings.Join(parts, " · ")
}

// staticNetwork draws the interactive view's layout as SVG, for print:
// the nodes in their colours and the strongest ties, the strongest
// nodes labelled.
func staticNetwork(d netData, alt string) *Drawing {
	if len(d.Nodes) == 0 {
		return nil
	}
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, n := range d.Nodes {
		minX, maxX = math.Min(minX, n.X-n.R), math.Max(maxX, n.X+n.R)
		minY, maxY = math.Min(minY, n.Y-n.R), math.Max(maxY, n.Y+n.R)
	}
	w, h := maxX-minX+20, maxY-minY+20
	s := math.Min(1, drawWidth/w)
	W, H := math.Ceil(w*s), math.Ceil(h*s)
	tx := func(x float64) float64 { return (x - minX + 10) * s }
	ty := func(y float64) float64 { return (y - minY + 10) * s }
	es := slices.Clone(d.Edges)
	slices.SortStableFunc(es, func(a, b [3]float64) int { return cmp.Compare(b[2], a[2]) })
	es = es[:min(len(es), MaxDrawnTies)]
	maxW := 0.0
	if len(es) > 0 {
		maxW = es[0][2]
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s" font-family="%s" font-size="10">`+"\n",
		W, H, W, H, escapeAttr(alt), escapeAttr(svgFonts))
	sb.WriteString(`<g stroke="#8c8c8c" stroke-opacity="0.45">` + "\n")
	for _, e := range es {
		a, b := d.Nodes[int(e[0])], d.Nodes[int(e[1])]
		fmt.Fprintf(&sb, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke-width="%.2f"/>`+"\n", tx(a.X), ty(a.Y), tx(b.X), ty(b.Y), 0.5+3*e[2]/maxW)
	}
	sb.WriteString("</g>\n<g stroke=\"#ffffff\" stroke-width=\"0.6\">\n")
	for _, n := range d.Nodes {
		fmt.Fprintf(&sb, `<circle cx="%.1f" cy="%.1f" r="%.1f" fill="%s"/>`+"\n", tx(n.X), ty(n.Y), math.Max(1.5, n.R*s), n.Colour)
	}
	sb.WriteString("</g>\n<g fill=\"#222\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">\n")
	for _, n := range d.Nodes {
		if n.Label {
			fmt.Fprintf(&sb, `<text x="%.1f" y="%.1f">%s</text>`+"\n", tx(n.X)+n.R*s+2, ty(n.Y)+3, escapeAttr(truncate(n.Name, 28)))
		}
	}
	sb.WriteString("</g>\n</svg>\n")
	return &Drawing{Name: "org-network-static.svg", SVG: []byte(sb.String()), Nodes: len(d.Nodes), Edges: len(d.Edges)}
}
