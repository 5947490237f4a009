package export

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"testing"

	"github.com/collabnet/collabnet/graph"
)

// viz:color by a float property is the viridis scale from its smallest to
// its largest value (the stops are matplotlib's viridis at 0, ½ and 1);
// by a string property, a palette colour per distinct value in sorted
// order; nodes without the property get none.
func TestGEXFOverlayColours(t *testing.T) {
	g := &sliceGraph{nodes: []graph.PropNode{
		{ID: "a", Props: []graph.Prop{p("avg_year", 2014.0), p("kind", "university")}},
		{ID: "b", Props: []graph.Prop{p("avg_year", 2017.0), p("kind", "company")}},
		{ID: "c", Props: []graph.Prop{p("avg_year", 2020.0), p("kind", "university")}},
		{ID: "d"},
	}}
	colours := func(by string) map[string]string {
		var buf bytes.Buffer
		if err := WriteGEXF(context.Background(), &buf, g, GEXFOptions{Direction: Undirected, ColorBy: by}); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Nodes []struct {
				ID    string `xml:"id,attr"`
				Color *struct {
					R int `xml:"r,attr"`
					G int `xml:"g,attr"`
					B int `xml:"b,attr"`
				} `xml:"color"`
			} `xml:"graph>nodes>node"`
		}
		if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, n := range doc.Nodes {
			if n.Color != nil {
				out[n.ID] = fmt.Sprintf("#%02x%02x%02x", n.Color.R, n.Color.G, n.Color.B)
			}
		}
		return out
	}
	if got, want := colours("avg_year"), map[string]string{"a": "#440154", "b": "#21918c", "c": "#fde725"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("avg_year colours %v, want %v", got, want)
	}
	// company < university: Kelly's first two colours (vivid yellow F3C300,
	// strong purple 875692).
	if got, want := colours("kind"), map[string]string{"a": "#875692", "b": "#f3c300", "c": "#875692"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("kind colours %v, want %v", got, want)
	}
}
