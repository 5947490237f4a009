package export

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"

	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/internal/worldmap"
)

// WriteGeoJSON writes a country network (nodes with ISO 3166-1 alpha-2
// IDs, such as analysis.Level.PropGraph of the country level) as a GeoJSON
// FeatureCollection (RFC 7946) for QGIS or kepler.gl: each country as a
// MultiPolygon of Natural Earth 1:50m (internal/worldmap) with its
// properties and "label" (graph's display-name rule in lang), then each tie
// as a MultiLineString along the great circle between the countries'
// centres (split at the antimeridian), with its properties and "source",
// "target" and "label" (the two countries' labels, "China – Germany").
// Countries the atlas has no boundary for are left out, and
// their ties; it returns how many countries it left out.
func WriteGeoJSON(ctx context.Context, w io.Writer, g graph.PropGraph, lang string) (int, error) {
	at, err := worldmap.Load()
	if err != nil {
		return 0, err
	}
	type feature struct {
		Type       string         `json:"type"`
		Geometry   map[string]any `json:"geometry"`
		Properties map[string]any `json:"properties"`
	}
	props := func(ps []graph.Prop) map[string]any {
		m := map[string]any{}
		for _, p := range ps {
			if f, ok := p.Value.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
				continue // JSON has no NaN
			}
			if p.Value != nil {
				m[p.Key] = p.Value
			}
		}
		return m
	}
	round := func(x float64) float64 { return math.Round(x*1e4) / 1e4 }
	var fs []feature
	left := 0
	names := map[string]string{} // countries' labels, for their ties'
	g.Nodes(func(n graph.PropNode) bool {
		c := at.Get(n.ID)
		if c == nil {
			left++
			return true
		}
		var coords [][][][2]float64
		for _, poly := range c.Polygons {
			var rings [][][2]float64
			for _, r := range poly {
				out := make([][2]float64, len(r))
				for i, q := range r {
					out[i] = [2]float64{round(q[0]), round(q[1])}
				}
				rings = append(rings, out)
			}
			coords = append(coords, rings)
		}
		p := props(n.Props)
		p["id"], p["label"] = n.ID, displayName(&n, lang)
		names[n.ID] = p["label"].(string)
		fs = append(fs, feature{"Feature", map[string]any{"type": "MultiPolygon", "coordinates": coords}, p})
		return ctx.Err() == nil
	})
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	g.Edges(func(e graph.PropEdge) bool {
		a, b := at.Get(e.From), at.Get(e.To)
		if a == nil || b == nil {
			return true
		}
		var lines [][][2]float64
		var cur [][2]float64
		for i, q := range worldmap.GreatCircle(a.Centre, b.Centre, 32) {
			if i > 0 && math.Abs(q[0]-cur[len(cur)-1][0]) > 180 {
				lines = append(lines, cur)
				cur = nil
			}
			cur = append(cur, [2]float64{round(q[0]), round(q[1])})
		}
		lines = append(lines, cur)
		p := props(e.Props)
		p["source"], p["target"], p["label"] = e.From, e.To, names[e.From]+" – "+names[e.To]
		fs = append(fs, feature{"Feature", map[string]any{"type": "MultiLineString", "coordinates": lines}, p})
		return true
	})
	enc := json.NewEncoder(w)
	if err := enc.Encode(map[string]any{"type": "FeatureCollection", "features": fs}); err != nil {
		return 0, fmt.Errorf("export: GeoJSON: %w", err)
	}
	return left, nil
}
