package report

import (
	"bytes"
	"context"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/loader"
)

// Names with Markdown's own characters show as written in report.md, as a
// CommonMark renderer with GitHub's tables (goldmark) reads it: no emphasis,
// no HTML tag, no link, no broken table.
func TestMarkdownEscapesNames(t *testing.T) {
	names := []string{"*Star* Org", "<b>Bold</b> Lab", "Under_score_Inst", "[Link](x.html)", "Pipe | Org", "Back\\slash `code`", "#1 Park & Co", "~~Gone~~ Ltd"}
	var csv strings.Builder
	csv.WriteString("party_a,country_a,party_b,country_b,type\n")
	for i, n := range names {
		other := names[(i+1)%len(names)]
		csv.WriteString(`"` + strings.ReplaceAll(n, `"`, `""`) + `",DE,"` + strings.ReplaceAll(other, `"`, `""`) + `",FR,mou` + "\n")
	}
	in := filepath.Join(t.TempDir(), "pairs.csv")
	if err := os.WriteFile(in, []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := loader.New(loader.Options{FoldAccents: true})
	if err != nil {
		t.Fatal(err)
	}
	ds, _, err := l.Load(t.Context(), []loader.Input{loader.FileInput(in)})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := newJob(dir, "en", func() *graph.Dataset { return ds }, clock(time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC))).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	md := read(t, filepath.Join(dir, "report.md"))
	var out bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert([]byte(md), &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, n := range names {
		if !strings.Contains(got, html.EscapeString(n)) {
			t.Errorf("report.md does not show %q as written", n)
		}
	}
	for _, bad := range []string{"<em>Star</em>", "<b>Bold</b>", "<em>score</em>", "<del>Gone</del>", `<a href="x.html"`, "<code>code</code>"} {
		if strings.Contains(got, bad) {
			t.Errorf("report.md renders %s from a name", bad)
		}
	}
}
