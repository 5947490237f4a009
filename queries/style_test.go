package queries_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/queries"
)

// Every label collabnet writes has its own rule in the Browser style sheet:
// a colour and a caption by name (agreements, which mostly have no title,
// by their ID; the size bands only a diameter), so that Browser never falls
// back to its own colours or to element IDs as captions.
func TestStyleCoversEveryLabel(t *testing.T) {
	style := queries.Style()
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
		case l == graph.LabelAgreement && !strings.Contains(r, "caption: '{id}';"):
			t.Errorf("node.%s has no caption by id", l)
		case l != graph.LabelAgreement && !strings.Contains(r, "caption: '{name}';"):
			t.Errorf("node.%s has no caption by name", l)
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
