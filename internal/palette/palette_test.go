package palette

import (
	"image/color"
	"math"
	"testing"
)

// lab converts sRGB to CIELAB (D65), by the sRGB (IEC 61966-2-1) and CIE
// 1976 formulas.
func lab(c color.RGBA) [3]float64 {
	lin := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	r, g, b := lin(c.R), lin(c.G), lin(c.B)
	x := (0.4124*r + 0.3576*g + 0.1805*b) / 0.95047
	y := 0.2126*r + 0.7152*g + 0.0722*b
	z := (0.0193*r + 0.1192*g + 0.9505*b) / 1.08883
	f := func(t float64) float64 {
		if t > 0.008856 {
			return math.Cbrt(t)
		}
		return 7.787*t + 16.0/116
	}
	return [3]float64{116*f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))}
}

// At least 20 community colours, every two of them (and "other") at least
// ΔE*ab 10 apart, about four times the just-noticeable difference (2.3,
// Sharma 2003): no two communities look alike, and none looks like "other".
func TestCommunityColoursAreDistinct(t *testing.T) {
	if Size < 20 {
		t.Fatalf("%d colours, want at least 20", Size)
	}
	cs := append(Kelly[:], Other)
	for i := range cs {
		for j := i + 1; j < len(cs); j++ {
			a, b := lab(cs[i]), lab(cs[j])
			if d := math.Sqrt((a[0]-b[0])*(a[0]-b[0]) + (a[1]-b[1])*(a[1]-b[1]) + (a[2]-b[2])*(a[2]-b[2])); d < 10 {
				t.Errorf("%s and %s are %.1f apart (ΔE*ab), want at least 10", Hex(cs[i]), Hex(cs[j]), d)
			}
		}
	}
	for _, k := range []int64{-1, int64(Size), int64(Size) + 5} {
		if Community(k) != Other {
			t.Errorf("Community(%d) = %s, want other", k, Hex(Community(k)))
		}
	}
}
