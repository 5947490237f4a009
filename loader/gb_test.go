package loader

import (
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// A Chinese office sheet saved as GB18030 (Excel on Chinese Windows) that
// also names European partners with accented letters: Łódź is four-byte
// GB18030, é and ü two-byte GBK pinyin letters, among the Chinese names.
// It reads as the UTF-8 file does, without --encoding.
func TestGB18030WithAccentedLatin(t *testing.T) {
	text := "party_a,country_a,party_b,country_b,type\n" +
		"中关村科技园区,CN,Łódź Special Economic Zone,PL,合作备忘录\n" +
		"苏州工业园区,CN,Société Générale de Belgique,BE,框架协议\n" +
		"张江高科技园区,CN,Technopark Zürich,CH,战略合作协议\n"
	h := "party_a,country_a,party_b,country_b,type\n"
	for _, c := range []struct {
		name string
		text string
	}{
		{"three rows", text},
		{"one row, four-byte letters", h + "中关村,CN,Łódź,PL,mou\n"},
		{"one row, GBK pinyin letters", h + "中关村,CN,Société Générale,BE,mou\n"},
		{"mostly Latin", h + "北京,CN,Université de Lyon,FR,mou\nBeijing,CN,Łódź,PL,mou\nBeijing,CN,München,DE,mou\nBeijing,CN,Société Générale,BE,mou\n"},
		{"Polish and Czech", h + "中关村科技园区,CN,Kraków Gdańsk Poznań Wrocław,PL,mou\n中关村,CN,Škoda Plzeň,CZ,mou\n中关村,CN,Kölner Straße,DE,mou\n"},
		{"one letter", h + "园区,CN,é,FR,mou\n"},
	} {
		enc, err := simplifiedchinese.GB18030.NewEncoder().String(c.text)
		if err != nil {
			t.Fatal(err)
		}
		want := canonical(t, loadDS(t, Options{FoldAccents: true}, writeFile(t, "utf8.csv", []byte(c.text))))
		p := writeFile(t, "gb.csv", []byte(enc))
		got := canonical(t, loadDS(t, Options{FoldAccents: true}, p))
		if got != want {
			t.Errorf("%s: the GB18030 file reads otherwise than the UTF-8 one: %s", c.name, firstDiff(want, got))
		}
	}
}
