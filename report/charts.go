package report

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	tableau "github.com/collabnet/collabnet/internal/palette"
)

// svgFonts is the font stack of every chart and drawing: Liberation Sans,
// whose metrics the layout is computed with (and which is metric-compatible
// with Arial and Helvetica), then CJK fonts for the characters it lacks.
const svgFonts = `'Liberation Sans',Arial,Helvetica,'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Hiragino Sans GB','Microsoft YaHei','WenQuanYi Zen Hei',sans-serif`

var sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// Colours.
var (
	colBar     = tableau.Tableau10[0]
	colBarSoft = color.RGBA{0xd5, 0xdd, 0xe6, 0xff}
	colGrid    = color.RGBA{0xe4, 0xe4, 0xe4, 0xff}
	colText    = color.RGBA{0x33, 0x33, 0x33, 0xff}
)

// isWide reports whether r takes a full em: CJK ideographs, kana, hangul,
// full-width forms. Liberation Sans has none of them, so their width is
// taken as one em, which is what CJK fonts give them.
func isWide(r rune) bool {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return true
	}
	return false
}

// textWidth is the width of s set in Liberation Sans at size, wide
// characters counted as one em.
func textWidth(s string, size float64) float64 {
	face := font.DefaultCache.Lookup(sansFont, vg.Length(size))
	w := 0.0
	start := 0
	flush := func(end int) {
		if end > start {
			w += face.Width(s[start:end]).Points()
		}
	}
	for i, r := range s {
		if isWide(r) {
			flush(i)
			w += size
			start = i + utf8.RuneLen(r)
		}
	}
	flush(len(s))
	return w
}

// truncate shortens s to at most n display columns (wide characters count
// two), ending it with "…" when cut.
func truncate(s string, n int) string {
	cols := 0
	for i, r := range s {
		c := 1
		if isWide(r) {
			c = 2
		}
		if cols+c > n-1 {
			if cols+c+len([]rune(s[i:]))-1 <= n { // the rest fits after all
				return s
			}
			return strings.TrimSpace(s[:i]) + "…"
		}
		cols += c
	}
	return s
}

// cjkText is gonum's plain text handler with widths that count CJK
// characters as one em, so that labels are laid out and aligned for the
// fonts the browser will draw them with.
type cjkText struct{ text.Plain }

func (h cjkText) Box(txt string, fnt font.Font) (w, ht, depth vg.Length) {
	_, ht, depth = h.Plain.Box(txt, fnt)
	return vg.Length(textWidth(txt, fnt.Size.Points())), ht, depth
}

func (h cjkText) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	txt = strings.TrimRight(txt, "\n")
	if txt == "" {
		return
	}
	fnt := h.Fonts.Lookup(sty.Font, sty.Font.Size)
	c.SetColor(sty.Color)
	if sty.Rotation != 0 {
		c.Push()
		c.Rotate(sty.Rotation)
	}
	sin, cos := math.Sincos(sty.Rotation)
	pt.X, pt.Y = pt.Y*vg.Length(sin)+pt.X*vg.Length(cos), pt.Y*vg.Length(cos)-pt.X*vg.Length(sin)
	lines := h.Lines(txt)
	ht := sty.Height(txt)
	pt.Y += ht*vg.Length(sty.YAlign) - fnt.Extents().Ascent
	for i, line := range lines {
		xoffs := vg.Length(sty.XAlign) * vg.Length(textWidth(line, sty.Font.Size.Points()))
		n := vg.Length(len(lines) - i)
		c.FillString(fnt, pt.Add(vg.Point{X: xoffs, Y: n * sty.Font.Size}), line)
	}
	if sty.Rotation != 0 {
		c.Pop()
	}
}

var textHandler = cjkText{text.Plain{Fonts: font.DefaultCache}}

// newPlot is a plot in the report's style: sans-serif text measured by
// cjkText, no axis lines, light grid.
func newPlot(title string) *plot.Plot {
	p := plot.New()
	p.TextHandler = textHandler
	style := func(s *text.Style, size float64) {
		s.Handler = textHandler
		s.Font = sansFont
		s.Font.Size = vg.Length(size)
		s.Color = colText
	}
	style(&p.Title.TextStyle, 13)
	p.Title.Text = title
	p.Title.Padding = 6
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		style(&a.Label.TextStyle, 11)
		style(&a.Tick.Label, 11)
		a.LineStyle.Width = 0
		a.Tick.LineStyle.Color = colGrid
	}
	style(&p.Legend.TextStyle, 11)
	p.Legend.Top = true
	return p
}

// Chart is one rendered chart: the SVG document, its file name beside
// report.md and a short description.
type Chart struct {
	Name string // file name under charts/
	Alt  string
	SVG  []byte // a standalone SVG document
	// Note replaces the chart when there is nothing to draw.
	Note string
}

// Inline is the chart as an <svg> element for the HTML page: no XML
// declaration, scaled to the width of its box.
func (c *Chart) Inline() string { return inlineSVG(c.SVG) }

var (
	xmlDeclRE = regexp.MustCompile(`(?s)^<\?xml[^>]*\?>\s*(<!--.*?-->\s*)?`)
	svgSizeRE = regexp.MustCompile(`<svg width="([0-9.]+)pt" height="([0-9.]+)pt"`)
	fontFamRE = regexp.MustCompile(`font-family:Liberation Sans;`)
	svgOpenRE = regexp.MustCompile(`^<svg `)
)

// finishSVG turns gonum's SVG output into the report's: sizes in pixels
// (one point of the plot is one pixel), the font stack, an accessible title.
func finishSVG(b []byte, alt string) []byte {
	s := svgSizeRE.ReplaceAllString(string(b), `<svg width="$1" height="$2" role="img" aria-label="`+escapeAttr(alt)+`"`)
	s = fontFamRE.ReplaceAllLiteralString(s, "font-family:"+svgFonts+";")
	return []byte(s)
}

func inlineSVG(b []byte) string {
	s := xmlDeclRE.ReplaceAllString(string(b), "")
	s = svgOpenRE.ReplaceAllString(s, `<svg class="chart" `)
	return s
}

func escapeAttr(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")
	return r.Replace(s)
}

func render(p *plot.Plot, w, h float64, alt string) ([]byte, error) {
	c := vgsvg.New(vg.Length(w), vg.Length(h))
	dc := draw.New(c)
	dc.SetColor(color.White) // the padding, like the plot, is white
	dc.Fill(dc.Rectangle.Path())
	p.Draw(draw.Crop(dc, 6, -8, 4, -6))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, err
	}
	return finishSVG(buf.Bytes(), alt), nil
}

// hbarChart draws one horizontal bar per label, the first at the top, with
// the value written at the end of each bar.
func hbarChart(title string, labels []string, values []float64, format func(float64) string, w float64) ([]byte, error) {
	n := len(values)
	p := newPlot(title)
	rev := make(plotter.Values, n)
	names := make([]string, n)
	maxv := 0.0
	for i, v := range values {
		rev[n-1-i] = v
		names[n-1-i] = labels[i]
		maxv = math.Max(maxv, v)
	}
	bars, err := plotter.NewBarChart(rev, vg.Points(13))
	if err != nil {
		return nil, err
	}
	bars.Horizontal = true
	bars.Color = colBar
	bars.LineStyle.Width = 0
	p.Add(gridX())
	p.Add(bars)
	p.NominalY(names...)
	p.Y.Tick.Length = 0
	p.X.Min = 0
	if maxv <= 0 {
		maxv = 1
	}
	p.X.Max = maxv * 1.18
	p.X.Tick.Marker = plot.TickerFunc(func(lo, hi float64) []plot.Tick { return niceTicks(0, maxv, 4, format) })
	lab := plotter.XYLabels{XYs: make(plotter.XYs, n), Labels: make([]string, n)}
	for i := range n {
		lab.XYs[i] = plotter.XY{X: rev[i], Y: float64(i)}
		lab.Labels[i] = format(rev[i])
	}
	ls, err := valueLabels(lab, true)
	if err != nil {
		return nil, err
	}
	p.Add(ls)
	return render(p, w, 40+float64(n)*21+24, title)
}

// stackedHBar draws, per label, a bar of part (dark) and of whole-part
// (light) stacked on it, with "part / whole" at its end. The page gives the
// legend (colBar, colBarSoft).
func stackedHBar(title string, labels []string, part, whole []float64, w float64) ([]byte, error) {
	n := len(labels)
	p := newPlot(title)
	a, b := make(plotter.Values, n), make(plotter.Values, n)
	names := make([]string, n)
	maxv := 0.0
	lab := plotter.XYLabels{XYs: make(plotter.XYs, n), Labels: make([]string, n)}
	for i := range n {
		j := n - 1 - i
		a[j] = part[i]
		b[j] = math.Max(0, whole[i]-part[i])
		names[j] = labels[i]
		maxv = math.Max(maxv, math.Max(whole[i], part[i]))
		lab.XYs[j] = plotter.XY{X: math.Max(whole[i], part[i]), Y: float64(j)}
		lab.Labels[j] = fmt.Sprintf("%s / %s", fmtNum(part[i]), fmtNum(whole[i]))
	}
	ba, err := plotter.NewBarChart(a, vg.Points(14))
	if err != nil {
		return nil, err
	}
	bb, err := plotter.NewBarChart(b, vg.Points(14))
	if err != nil {
		return nil, err
	}
	for _, x := range []*plotter.BarChart{ba, bb} {
		x.Horizontal = true
		x.LineStyle.Width = 0
	}
	ba.Color, bb.Color = colBar, colBarSoft
	bb.StackOn(ba)
	p.Add(gridX(), ba, bb)
	p.NominalY(names...)
	p.Y.Tick.Length = 0
	p.X.Min = 0
	if maxv <= 0 {
		maxv = 1
	}
	p.X.Max = maxv * 1.2
	p.X.Tick.Marker = plot.TickerFunc(func(lo, hi float64) []plot.Tick { return niceTicks(0, maxv, 4, fmtNum) })
	ls, err := valueLabels(lab, true)
	if err != nil {
		return nil, err
	}
	p.Add(ls)
	return render(p, w, 46+float64(n)*28+24, title)
}

// vbarChart draws one vertical bar per period; labels may be "" to leave a
// bar unlabelled.
func vbarChart(title string, labels []string, values []float64, w float64) ([]byte, error) {
	n := len(values)
	p := newPlot(title)
	vs := make(plotter.Values, n)
	copy(vs, values)
	maxv := 0.0
	for _, v := range values {
		maxv = math.Max(maxv, v)
	}
	bw := math.Max(2, math.Min(28, (w-70)/float64(n)*0.7))
	bars, err := plotter.NewBarChart(vs, vg.Points(bw))
	if err != nil {
		return nil, err
	}
	bars.Color = colBar
	bars.LineStyle.Width = 0
	g := plotter.NewGrid()
	g.Vertical.Width = 0
	g.Horizontal.Color = colGrid
	p.Add(g, bars)
	p.NominalX(labels...)
	p.X.Tick.Length = 0
	p.Y.Min = 0
	if maxv <= 0 {
		maxv = 1
	}
	p.Y.Max = maxv * 1.15
	p.Y.Tick.Marker = plot.TickerFunc(func(lo, hi float64) []plot.Tick {
		return niceTicks(0, maxv, 4, func(f float64) string { return fmtNum(f) })
	})
	if n <= 24 {
		lab := plotter.XYLabels{XYs: make(plotter.XYs, 0, n)}
		for i, v := range values {
			if v > 0 {
				lab.XYs = append(lab.XYs, plotter.XY{X: float64(i), Y: v})
				lab.Labels = append(lab.Labels, fmtNum(v))
			}
		}
		if len(lab.Labels) > 0 {
			ls, err := valueLabels(lab, false)
			if err != nil {
				return nil, err
			}
			p.Add(ls)
		}
	}
	return render(p, w, 220, title)
}

func gridX() *plotter.Grid {
	g := plotter.NewGrid()
	g.Horizontal.Width = 0
	g.Vertical.Color = colGrid
	return g
}

// niceTicks are about n ticks from lo to hi at a round step (1, 2 or 5
// times a power of ten; whole numbers only when hi is at least 1 and every
// value is whole).
func niceTicks(lo, hi float64, n int, format func(float64) string) []plot.Tick {
	if hi <= lo {
		return []plot.Tick{{Value: lo, Label: format(lo)}}
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	if hi >= 1 && step < 1 && isWhole(hi) {
		step = 1
	}
	var ts []plot.Tick
	for v := lo; v <= hi*1.0000001+step/2 && len(ts) < 50; v += step {
		ts = append(ts, plot.Tick{Value: v, Label: format(v)})
		if v >= hi {
			break
		}
	}
	return ts
}

func isWhole(f float64) bool { return f == math.Trunc(f) }

// fmtNum writes a figure with up to 4 significant digits, whole numbers without decimals.
func fmtNum(f float64) string {
	switch {
	case math.IsNaN(f):
		return "–"
	case isWhole(f) && math.Abs(f) < 1e15:
		return fmt.Sprintf("%.0f", f)
	}
	return fmt.Sprintf("%.4g", f)
}

// valueLabels writes each bar's value at its end, in the report's text
// style: right of horizontal bars, above vertical ones.
func valueLabels(lab plotter.XYLabels, horizontal bool) (*plotter.Labels, error) {
	ls, err := plotter.NewLabels(lab)
	if err != nil {
		return nil, err
	}
	for i := range ls.TextStyle {
		ls.TextStyle[i].Handler = textHandler
		ls.TextStyle[i].Font = sansFont
		ls.TextStyle[i].Font.Size = 10
		ls.TextStyle[i].Color = colText
		if horizontal {
			ls.TextStyle[i].YAlign = draw.YCenter
		} else {
			ls.TextStyle[i].XAlign = draw.XCenter
		}
	}
	ls.Offset = vg.Point{X: 3}
	if !horizontal {
		ls.Offset = vg.Point{Y: 3}
	}
	return ls, nil
}
