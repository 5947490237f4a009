package report

import (
	"reflect"
	"testing"
)

// The map's classes: few distinct values get a class each (the curated
// data: many countries of strength 1, China far above), more get Jenks'
// natural breaks as jenkspy 0.4 computes them
// (jenkspy.jenks_breaks(values, n_classes=k): the lowest value, then each
// class's highest).
func TestMapBreaks(t *testing.T) {
	cases := []struct {
		values []float64
		k      int
		want   [][2]float64
	}{
		{[]float64{1, 1, 1, 2, 1, 3, 1, 42, 2}, 6, [][2]float64{{1, 1}, {2, 2}, {3, 3}, {42, 42}}},
		// jenkspy: [1, 9, 25, 43, 90, 120, 150]
		{[]float64{150, 1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 18, 25, 40, 42, 43, 90, 120}, 6,
			[][2]float64{{1, 9}, {12, 25}, {40, 43}, {90, 90}, {120, 120}, {150, 150}}},
		// jenkspy: [0.5, 3.75, 11.5, 30.0]
		{[]float64{0.5, 1.25, 2.0, 2.5, 3.75, 10.0, 11.5, 30.0}, 3, [][2]float64{{0.5, 3.75}, {10, 11.5}, {30, 30}}},
		{nil, 6, nil},
	}
	for _, c := range cases {
		if got := mapBreaks(c.values, c.k); !reflect.DeepEqual(got, c.want) {
			t.Errorf("mapBreaks(%v, %d) = %v, want %v", c.values, c.k, got, c.want)
		}
	}
}
