package queries

import (
	_ "embed"
	"strings"
)

// style is collabnet's Neo4j Browser style sheet: see Style.
//
//go:embed collabnet.grass
var style string

// Style returns collabnet's style sheet for Neo4j Browser, in Browser's GRASS
// format (CSS-like rules per label and relationship type): a colour per
// label of the graph (graph/labels.go), captions by the display name
// (graph.Caption: agreements by type and date) as the store writes it for
// Browser, with spaces where a line of Chinese may break
// (neo4jstore.BrowserCaptionProp, graph.BrowserCaption: Browser breaks
// captions only at spaces), nodes of organisations, events and programmes
// 80 px wide at 9 px type so that a Chinese name of up to about 24
// characters shows whole, and larger nodes for the ScoreBand1 and
// ScoreBand2 labels that analyze --write sets on the nodes with the highest
// PageRank. lang "en" captions by "browser_caption_en" (English names
// first); any other value, "zh", by "browser_caption" (the names as the data
// give them), as collabnet.grass does. Apply it in
// Browser with `:style URL` or by dropping the file on the `:style` frame.
func Style(lang string) string {
	if lang == "en" {
		return strings.ReplaceAll(style, "'{browser_caption}'", "'{browser_caption_en}'")
	}
	return style
}

// BrowserText returns q as Neo4j Browser 5 takes it in its editor: one
// ":param name => value;" line per declared parameter, with the value in
// params (else the example), a blank line, then the query. Browser runs the
// lines one after the other (multi-statement editing is on by default).
func BrowserText(q Query, params map[string]any) string {
	var b strings.Builder
	for _, p := range q.Params {
		v, ok := params[p.Name]
		if !ok {
			v = p.Example
		}
		b.WriteString(":param " + p.Name + " => " + FormatLiteral(v) + ";\n")
	}
	if len(q.Params) > 0 {
		b.WriteString("\n")
	}
	b.WriteString(q.Text + "\n")
	return b.String()
}
