package queries_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/queries"
)

// Every label collabnet writes has its own rule in the Browser style sheet:
// a colour and a caption by display name (the browser_caption property,
// which the store writes on every node; the size bands only a diameter), so that Browser never falls
// back to its own colours or to element IDs as captions.
func TestStyleCoversEveryLabel(t *testing.T) {
	style := queries.Style("zh")
	rule := func(label string) string {
		i := strings.Index(style, "node."+label+" {")
		if i < 0 {
			return ""
		}
		return style[i : i+strings.Index(style[i:], "\n}")]
	}
	labels := []string{graph.LabelOrganization, graph.LabelCountry, graph.LabelEvent, graph.LabelProgramme,
		graph.LabelAgreement, graph.LabelSource, graph.LabelReportedFigure}
	for _, k := range graph.OrgKinds {
		if l := k.Label(); l != "" {
			labels = append(labels, l)
		}
	}
	colour := regexp.MustCompile(`\n  color: #[0-9A-F]{6};`)
	seen := map[string]string{}
	for _, l := range labels {
		r := rule(l)
		c := colour.FindString(r)
		switch {
		case r == "":
			t.Errorf("no rule node.%s", l)
		case c == "":
			t.Errorf("node.%s has no colour", l)
		case !strings.Contains(r, "caption: '{browser_caption}';"):
			t.Errorf("node.%s has no caption by display name", l)
		case seen[c] != "":
			t.Errorf("node.%s has the colour of node.%s", l, seen[c])
		}
		seen[c] = l
	}
	for _, l := range []string{graph.LabelScoreBand1, graph.LabelScoreBand2} {
		if !strings.Contains(rule(l), "diameter:") {
			t.Errorf("node.%s sets no diameter", l)
		}
	}
}

// --lang en captions every node by its English display name.
func TestStyleEnglish(t *testing.T) {
	en := queries.Style("en")
	if strings.Contains(en, "'{browser_caption}'") || strings.Count(en, "'{browser_caption_en}'") != strings.Count(queries.Style("zh"), "'{browser_caption}'") {
		t.Errorf("the English style sheet does not caption every node by caption_en")
	}
}
