package graph_test

import (
	"testing"

	"github.com/collabnet/collabnet/graph"
)

// The loader's titles of table inputs, in the report's language; a
// source's own title is kept as it is.
func TestSourceTitle(t *testing.T) {
	cases := []struct {
		s    graph.Source
		lang string
		want string
	}{
		{graph.Source{File: "h.csv", Title: "participations table h.csv"}, "zh", "项目参与表 h.csv"},
		{graph.Source{File: "h.csv", Title: "participations table h.csv"}, "en", "participations table h.csv"},
		{graph.Source{File: "t.xlsx", Title: "pairs table t.xlsx, sheet 2024"}, "zh", "合作方配对表 t.xlsx，工作表 2024"},
		{graph.Source{File: "a.txt", Title: "中关村论坛"}, "en", "中关村论坛"},
		{graph.Source{File: "x.csv", Title: "pairs table y.csv"}, "zh", "pairs table y.csv"},
	}
	for _, c := range cases {
		if got := graph.SourceTitle(c.lang, &c.s); got != c.want {
			t.Errorf("SourceTitle(%s, %q) = %q, want %q", c.lang, c.s.Title, got, c.want)
		}
	}
}

// Agreements are captioned by type and date; undated, by type and title,
// else type and ID.
func TestAgreementCaption(t *testing.T) {
	cases := []struct{ lang, typ, date, title, id, want string }{
		{"en", "mou", "2019-06-12", "Framework", "a1", "MoU 2019-06-12"},
		{"zh", "mou", "2019-06-12", "", "a1", "谅解备忘录 2019-06-12"},
		{"en", "other", "", "政企联席会", "zgcg-fengtai-joint-mechanism", "agreement 政企联席会"},
		{"zh", "twinning", "", "", "pair:fr:paris|it:rome|twinning", "友好城市 pair:fr:paris|it:rome|twinning"},
		{"en", "", "", "", "", "agreement"},
	}
	for _, c := range cases {
		if got := graph.AgreementCaption(c.lang, c.typ, c.date, c.title, c.id); got != c.want {
			t.Errorf("AgreementCaption(%q, %q, %q, %q, %q) = %q, want %q", c.lang, c.typ, c.date, c.title, c.id, got, c.want)
		}
	}
}
