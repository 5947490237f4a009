package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The table output keeps its columns aligned in a terminal when names are
// Chinese: a Chinese character takes two columns (Unicode's East Asian
// Width), so 中关村 pads as six columns, not three. The lines below are
// written by hand: "cn:中关村" is 9 columns wide, the widest of its column,
// and every column is two spaces wider than its widest cell. Before, the
// padding counted characters and every column after a Chinese name
// started three columns early.
func TestTableAlignsChinese(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "w.csv"), []byte("party_a,country_a,party_b,country_b,type\n中关村,CN,Org B,DE,mou\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := run(t, dir, "list", "organizations", "-i", "w.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"id         name    name_en  kind   country  part_of  agreements  evidence",
		"cn:中关村  中关村           other  CN                1           stated",
		"de:orgb    Org B            other  DE                1           stated",
	}
	var got []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "id ") || strings.HasPrefix(l, "cn:") || strings.HasPrefix(l, "de:") {
			got = append(got, l)
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("table:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := displayWidth("e\u0301中ａ"); n != 1+2+2 {
		t.Errorf("displayWidth(e + combining acute + 中 + full-width a) = %d, want 5", n)
	}
}
