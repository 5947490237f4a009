package report

import (
	"math"
	"reflect"
	"testing"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/graph"
)

func TestTimeline(t *testing.T) {
	as := []*graph.Agreement{
		{ID: "1", Date: "2023-11-02"}, {ID: "2", Date: "2024-01"}, {ID: "3", Date: "2024-01-30"},
		{ID: "4", Date: "2025"}, {ID: "5", Date: ""}, {ID: "6", Date: "2024-13"}, {ID: "7", Date: "24-01-01"},
		{ID: "8", Date: "2021"},
	}
	tl := BuildTimeline(as)
	want := Timeline{
		Years:    []PeriodCount{{"2021", 1}, {"2022", 0}, {"2023", 1}, {"2024", 2}, {"2025", 1}},
		Months:   []PeriodCount{{"2023-11", 1}, {"2023-12", 0}, {"2024-01", 2}},
		YearOnly: 2, Undated: 3, Dated: 5,
	}
	if !reflect.DeepEqual(tl, want) {
		t.Errorf("got  %+v\nwant %+v", tl, want)
	}
	// No dates at all: empty lists, not null.
	if tl := BuildTimeline([]*graph.Agreement{{ID: "x"}}); tl.Years == nil || tl.Months == nil || tl.Undated != 1 {
		t.Errorf("undated: %+v", tl)
	}
	// Months spanning more than maxTimelineMonths: only those counted.
	tl = BuildTimeline([]*graph.Agreement{{Date: "2000-01"}, {Date: "2020-06"}})
	if !tl.MonthsGap || !reflect.DeepEqual(tl.Months, []PeriodCount{{"2000-01", 1}, {"2020-06", 1}}) {
		t.Errorf("sparse months: %+v", tl)
	}
}

// Competition ranks: ties share a rank and the next rank counts them.
func TestRanked(t *testing.T) {
	l := &analysis.Level{Nodes: []analysis.NodeScore{
		{ID: "a", Values: map[analysis.Measure]float64{analysis.Strength: 1}}, {ID: "b", Values: map[analysis.Measure]float64{analysis.Strength: 3}}, {ID: "c", Values: map[analysis.Measure]float64{analysis.Strength: 3}},
		{ID: "d", Values: map[analysis.Measure]float64{analysis.Strength: 2}}, {ID: "e", Values: map[analysis.Measure]float64{analysis.Strength: 1 + 1e-13}}, {ID: "f", Values: map[analysis.Measure]float64{analysis.Strength: 1}},
	}}
	top, ranks, more := l.Ranked(4, func(n *analysis.NodeScore) float64 { return n.Value(analysis.Strength) })
	var ids []string
	for _, n := range top {
		ids = append(ids, n.ID)
	}
	// e is 1+1e-13: tied with a and f within the tolerance, but sorts first.
	if !reflect.DeepEqual(ids, []string{"b", "c", "d", "e"}) || !reflect.DeepEqual(ranks, []int{1, 1, 3, 4}) || more != 2 {
		t.Errorf("ids %v ranks %v more %d", ids, ranks, more)
	}
	// Unknown scores (NaN) come last.
	l = &analysis.Level{Nodes: []analysis.NodeScore{{ID: "a", Values: map[analysis.Measure]float64{analysis.Closeness: math.NaN()}}, {ID: "b", Values: map[analysis.Measure]float64{analysis.Closeness: 0.5}}}}
	top, ranks, _ = l.Ranked(2, func(n *analysis.NodeScore) float64 { return n.Value(analysis.Closeness) })
	if top[0].ID != "b" || ranks[0] != 1 || ranks[1] != 2 {
		t.Errorf("NaN: %v %v", top, ranks)
	}
}

func TestTruncateAndWidth(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"Zhongguancun Life Science Park", 40, "Zhongguancun Life Science Park"},
		{"Zhongguancun Life Science Park", 12, "Zhongguancu…"},
		{"中关村生命科学园", 16, "中关村生命科学园"},
		{"中关村生命科学园", 10, "中关村生…"},
	} {
		if got := truncate(c.in, c.n); got != c.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
	// A CJK character is one em; Latin letters are narrower.
	if w := textWidth("中关村", 10); w != 30 {
		t.Errorf("width of 中关村 at 10: %g", w)
	}
	if w := textWidth("iii", 10); w <= 0 || w >= 10 {
		t.Errorf("width of iii at 10: %g", w)
	}
}

func TestSegmentHitsRect(t *testing.T) {
	r := rect{0, 0, 10, 10}
	for _, c := range []struct {
		x0, y0, x1, y1 float64
		want           bool
	}{
		{-5, 5, 15, 5, true},    // straight through
		{-5, -5, -1, 20, false}, // left of it
		{2, 2, 3, 3, true},      // inside
		{-5, 12, 12, -5, true},  // across a corner
		{-5, 30, 30, -5, false},
	} {
		if got := segmentHitsRect(c.x0, c.y0, c.x1, c.y1, r); got != c.want {
			t.Errorf("%v: %v", c, got)
		}
	}
}

// The drawing is deterministic and no two labels overlap.
func TestDrawNetwork(t *testing.T) {
	mk := func() ([]drawNode, []drawEdge) {
		var ns []drawNode
		var es []drawEdge
		// A star of 8, a triangle, a pair and a long path.
		for i := range 20 {
			ns = append(ns, drawNode{ID: string(rune('a' + i)), Label: "組織 organisation " + string(rune('A'+i)), Strength: float64(1 + i%4)})
		}
		for i := 1; i < 8; i++ {
			es = append(es, drawEdge{0, i, float64(i)})
		}
		es = append(es, drawEdge{8, 9, 1}, drawEdge{9, 10, 1}, drawEdge{8, 10, 2}, drawEdge{11, 12, 1})
		for i := 13; i < 19; i++ {
			es = append(es, drawEdge{i, i + 1, 1})
		}
		return ns, es
	}
	n1, e1 := mk()
	communityColours(n1, make([]int, len(n1)), make([]string, len(n1)))
	d1 := drawNetwork("x.svg", "x", n1, e1, 4, 16, 11)
	n2, e2 := mk()
	communityColours(n2, make([]int, len(n2)), make([]string, len(n2)))
	d2 := drawNetwork("x.svg", "x", n2, e2, 4, 16, 11)
	if string(d1.SVG) != string(d2.SVG) {
		t.Error("two drawings of the same network differ")
	}
	var boxes []rect
	for _, n := range n1 {
		if !n.labelled {
			continue
		}
		w := textWidth(n.Label, 11)
		x0 := n.LX
		switch n.Anchor {
		case "end":
			x0 -= w
		case "middle":
			x0 -= w / 2
		}
		b := rect{x0 + 0.5, n.LY - 11*0.8 + 0.5, x0 + w - 0.5, n.LY + 11*0.2 - 0.5}
		for _, o := range boxes {
			if b.overlaps(o) {
				t.Errorf("label %q overlaps another", n.Label)
			}
		}
		boxes = append(boxes, b)
	}
	if len(boxes) < 15 {
		t.Errorf("only %d of 20 labels placed", len(boxes))
	}
}
