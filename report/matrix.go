package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// MaxMatrixCountries is the most countries the tie matrix shows: those
// with the largest total (international and domestic) tie weight.
const MaxMatrixCountries = 30

// matrixCountry is a row (and column) of the tie matrix.
type matrixCountry struct {
	Code, Label string
	Community   int
	Strength    float64
	Domestic    float64
}

// colour scales: white to dark, on the square root of value/max so that
// small values stay visible.
var (
	blues   = [2][3]float64{{0xf1, 0xf5, 0xfb}, {0x08, 0x30, 0x6b}}
	oranges = [2][3]float64{{0xfd, 0xf0, 0xe2}, {0xa6, 0x36, 0x03}}
)

func scaleColour(s [2][3]float64, v, maxv float64) (fill string, dark bool) {
	if v <= 0 || maxv <= 0 {
		return "#ffffff", false
	}
	t := 0.12 + 0.88*math.Sqrt(math.Min(1, v/maxv))
	var c [3]int
	for i := range 3 {
		c[i] = int(math.Round(s[0][i] + (s[1][i]-s[0][i])*t))
	}
	return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2]), t > 0.55
}

// drawMatrix draws the country-to-country tie matrix as a heat map: cell
// (i, j) is the weight of the ties between countries i and j (blue), the
// diagonal the weight of the domestic ties (orange, its own scale).
func drawMatrix(name, alt string, cs []matrixCountry, weight map[[2]string]float64, legendIntl, legendDom string) *Drawing {
	d := &Drawing{Name: name, Nodes: len(cs)}
	n := len(cs)
	if n == 0 {
		return d
	}
	slices.SortStableFunc(cs, func(a, b matrixCountry) int {
		return cmp.Or(cmp.Compare(a.Community, b.Community), cmp.Compare(b.Strength, a.Strength), strings.Compare(a.Code, b.Code))
	})
	const fs = 11.0
	cell := math.Max(13, math.Min(34, 560/float64(n)))
	labelW := 0.0
	for _, c := range cs {
		labelW = math.Max(labelW, textWidth(c.Label, fs))
	}
	left := labelW + 12
	top := 26.0
	maxI, maxD := 0.0, 0.0
	for k, w := range weight {
		if k[0] != k[1] {
			maxI = math.Max(maxI, w)
		}
	}
	for _, c := range cs {
		maxD = math.Max(maxD, c.Domestic)
	}
	gridW := cell * float64(n)
	legendY := top + gridW + 18
	width := left + gridW + 10
	for _, l := range []string{legendIntl, legendDom} {
		width = math.Max(width, 12+5*22+6+textWidth(l+" (0 – 0000)", fs)+10)
	}
	height := legendY + 46
	var sb strings.Builder
	fmt.Fprintf(&sb, `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s" font-family="%s" font-size="%g">
<rect width="100%%" height="100%%" fill="#ffffff"/>
`, width, height, width, height, escapeAttr(alt), escapeAttr(svgFonts), fs)
	showValues := cell >= 20
	for i, a := range cs {
		y := top + float64(i)*cell
		fmt.Fprintf(&sb, `<text x="%.1f" y="%.1f" text-anchor="end" fill="#333333">%s</text>`+"\n", left-6, y+cell/2+fs*0.35, escapeAttr(a.Label))
		for j, b := range cs {
			x := left + float64(j)*cell
			var v float64
			var fill string
			var dark bool
			if i == j {
				v = a.Domestic
				fill, dark = scaleColour(oranges, v, maxD)
			} else {
				v = weight[[2]string{a.Code, b.Code}]
				fill, dark = scaleColour(blues, v, maxI)
			}
			fmt.Fprintf(&sb, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" stroke="#e6e6e6" stroke-width="0.5"><title>%s – %s: %s</title></rect>`+"\n",
				x, y, cell, cell, fill, escapeAttr(a.Label), escapeAttr(b.Label), fmtNum(v))
			if showValues && v > 0 {
				tc := "#222222"
				if dark {
					tc = "#ffffff"
				}
				fmt.Fprintf(&sb, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="%g" fill="%s">%s</text>`+"\n",
					x+cell/2, y+cell/2+3.5, math.Min(10, cell*0.4), tc, fmtNum(v))
			}
		}
	}
	// Column heads: ISO codes, turned when the cells are narrow.
	for j, b := range cs {
		x := left + float64(j)*cell + cell/2
		if cell >= 18 {
			fmt.Fprintf(&sb, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#333333">%s</text>`+"\n", x, top-8, escapeAttr(b.Code))
		} else {
			fmt.Fprintf(&sb, `<text x="%.1f" y="%.1f" text-anchor="start" fill="#333333" transform="rotate(-90 %.1f %.1f)" font-size="9">%s</text>`+"\n",
				x+3, top-4, x+3, top-4, escapeAttr(b.Code))
		}
	}
	// Legend: five steps of each scale.
	lx := math.Min(left, 12)
	for k, sc := range []struct {
		s     [2][3]float64
		label string
		maxv  float64
	}{{blues, legendIntl, maxI}, {oranges, legendDom, maxD}} {
		y := legendY + float64(k)*22
		for s := range 5 {
			v := sc.maxv * float64(s+1) / 5
			fill, _ := scaleColour(sc.s, v, sc.maxv)
			if sc.maxv <= 0 {
				fill = "#ffffff"
			}
			fmt.Fprintf(&sb, `<rect x="%.1f" y="%.1f" width="22" height="13" fill="%s" stroke="#cccccc" stroke-width="0.5"/>`+"\n", lx+float64(s)*22, y, fill)
		}
		scale := "0 – " + fmtNum(sc.maxv)
		if sc.maxv <= 0 {
			scale = "–"
		}
		fmt.Fprintf(&sb, `<text x="%.1f" y="%.1f" fill="#333333">%s (%s)</text>`+"\n", lx+5*22+6, y+10, escapeAttr(sc.label), scale)
	}
	sb.WriteString("</svg>\n")
	d.SVG = []byte(sb.String())
	return d
}
