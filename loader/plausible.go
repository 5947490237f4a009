package loader

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
)

// The charset detector's statistics are thin on a file of a few lines: it
// took a Polish, a Russian and a Japanese file of two rows each for
// windows-1252 (Politechnika £ódzka, Ìîñêîâñêèé, “Œ‹ž‘åŠw), and the load
// went on with only a warning. A name is made of letters, so a reading
// that puts symbols inside words, or spells words that no language writes,
// is not the file's; when another reading is free of that, it is. When
// several are, and they read differently, the file's encoding cannot be
// told from its bytes, and the load says so rather than guess.

// fallbackSingleByte are the single-byte encodings tried, besides those the
// detector names, when its first reading is implausible: the Windows code
// pages of the spreadsheets our users receive (Western, Central European,
// Cyrillic, Greek, Turkish).
var fallbackSingleByte = []string{"windows-1252", "windows-1250", "windows-1251", "windows-1253", "windows-1254"}

// ambiguousEncoding is a file whose bytes read as plausible text in more
// than one encoding, each reading different.
type ambiguousEncoding struct {
	names []string // the encodings, likeliest first
	head  []byte   // the bytes read
	eof   bool
}

func (a *ambiguousEncoding) Error() string {
	return fmt.Sprintf("cannot tell the file's encoding: its bytes read as %s alike; name it with --encoding", strings.Join(a.names, " or "))
}

// problem locates the ambiguity at the first field whose readings differ,
// and shows them.
func (a *ambiguousEncoding) problem(file string) Problem {
	p := Problem{File: file, Msg: a.Error()}
	comma := byte(sniffDelimiter(a.head))
	for i, line := range bytes.Split(wholeLines(a.head, a.eof), []byte("\n")) {
		for j, field := range splitFields(line, comma) {
			var names, readings []string
			for _, name := range a.names {
				text, ok := decodeAll(name, field)
				if !ok {
					continue
				}
				text = strings.Trim(strings.TrimSpace(text), `"`)
				if !slices.Contains(readings, text) {
					names, readings = append(names, name), append(readings, text)
				}
			}
			if len(readings) < 2 {
				continue
			}
			p.Line, p.Column = i+1, j+1
			var alts []string
			for k, text := range readings {
				alts = append(alts, fmt.Sprintf("%q in %s", text, names[k]))
			}
			p.Msg = fmt.Sprintf("cannot tell the file's encoding: this field reads as %s; name the encoding with --encoding (%s)",
				strings.Join(alts, ", or "), strings.Join(a.names, ", "))
			return p
		}
	}
	return p
}

// splitFields cuts a line, raw bytes or decoded text, at comma outside
// double quotes (the delimiter and quotes are ASCII in every encoding
// tried here, and never part of a UTF-8 character).
func splitFields[S ~string | ~[]byte](line S, comma byte) []S {
	var out []S
	quoted, start := false, 0
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '"':
			quoted = !quoted
		case c == comma && !quoted:
			out = append(out, line[start:i])
			start = i + 1
		}
	}
	return append(out, line[start:])
}

// wholeLines is head without its last line when the file goes on past it
// (eof false): that line may end inside a character.
func wholeLines(head []byte, eof bool) []byte {
	if !eof {
		if i := bytes.LastIndexByte(head, '\n'); i >= 0 {
			return head[:i+1]
		}
	}
	return head
}

// decodeAll decodes b in the named encoding; false if any byte does not
// decode.
func decodeAll(name string, b []byte) (string, bool) {
	out, err := mustEncoding(name).NewDecoder().Bytes(b)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
		return "", false
	}
	return string(out), true
}

// plausibleReading returns the encoding to read head in, given the
// detector's first reading and the other encodings it named (each decodes
// head cleanly), or an *ambiguousEncoding.
//
// The first reading stands unless another explains the difference: read
// field by field, it makes some implausible fields plausible (fewer
// implausibilities), none worse, and at least as many better as merely
// different. So two rows of Polish read as windows-1252 ("£ódzka",
// "Œ¹l¹ski") give way to windows-1250, while a long French file with one
// footnote mark (Müller¹, which windows-1250 reads as Müllerą) stays
// windows-1252: its hundreds of è would all change for one mark. Of the
// readings that explain it, the one with the fewest implausibilities is
// taken; of several that read differently, Big5 where its telltale second
// bytes show (big5Evidence, as in detectEncoding), else none: the file's
// encoding cannot be told.
func plausibleReading(head []byte, eof bool, first string, tied, named []string) (string, error) {
	sample := wholeLines(head, eof)
	comma := byte(sniffDelimiter(head))
	base, ok := readFields(first, sample, comma)
	if !ok {
		return first, nil
	}
	if base.score == 0 {
		// A tie the detector cannot break, between readings both
		// plausible and different, is not ours to break either.
		names, readings := []string{first}, []*fieldReading{base}
		for _, name := range tied {
			if alt, ok := readFields(name, sample, comma); ok && alt.score == 0 && !slices.ContainsFunc(readings, alt.same) {
				names, readings = append(names, name), append(readings, alt)
			}
		}
		if i := slices.Index(names, "shift_jis"); len(names) == 1 || i >= 0 && readings[i].kana() {
			return names[max(i, 0)], nil
		}
		return "", ambiguity(names, head, eof)
	}
	var names []string
	var readings []*fieldReading
	best := base.score
	for _, name := range append(slices.Clone(named), fallbackSingleByte...) {
		if name == first || slices.Contains(names, name) {
			continue
		}
		alt, ok := readFields(name, sample, comma)
		if !ok || alt.score > best || !alt.explains(base) {
			continue
		}
		if alt.score < best {
			best, names, readings = alt.score, nil, nil
		}
		if !slices.ContainsFunc(readings, alt.same) {
			names, readings = append(names, name), append(readings, alt)
		}
	}
	switch {
	case len(names) == 0:
		return first, nil
	case len(names) == 1:
		return names[0], nil
	case slices.Contains(names, "big5") && big5Evidence(head):
		return "big5", nil
	}
	if i := slices.Index(names, "shift_jis"); i >= 0 && readings[i].kana() {
		return "shift_jis", nil
	}
	return "", ambiguity(names, head, eof)
}

// plausibleSingleByte is the one code page of fallbackSingleByte that
// reads head cleanly and plausibly, field by field, for a file no
// detector reading decodes; an *ambiguousEncoding if several read it
// plausibly and differently; nil (UTF-8, whose error then locates the
// first bad cell) if none does.
func plausibleSingleByte(head []byte, eof bool) (encoding.Encoding, string, error) {
	if chineseRuns(head) {
		return nil, "", nil
	}
	sample := wholeLines(head, eof)
	comma := byte(sniffDelimiter(head))
	var names []string
	var readings []*fieldReading
	for _, name := range fallbackSingleByte {
		r, ok := readFields(name, sample, comma)
		if !ok || r.score > 0 || slices.ContainsFunc(readings, r.same) {
			continue
		}
		names, readings = append(names, name), append(readings, r)
	}
	switch len(names) {
	case 0:
		return nil, "", nil
	case 1:
		return mustEncoding(names[0]), names[0], nil
	}
	return nil, "", ambiguity(names, head, eof)
}

// ambiguity is an *ambiguousEncoding of the named encodings, in
// encodingRank's order.
func ambiguity(names []string, head []byte, eof bool) error {
	names = slices.Clone(names)
	slices.SortStableFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(encodingRank(a), encodingRank(b)), strings.Compare(a, b))
	})
	return &ambiguousEncoding{names: names, head: head, eof: eof}
}

// encodingRank orders encodings for ties: the double-byte ones in
// doubleByte's order, then the single-byte ones in fallbackSingleByte's,
// then the rest.
func encodingRank(name string) int {
	if i := slices.Index(doubleByte, name); i >= 0 {
		return i
	}
	if i := slices.Index(fallbackSingleByte, name); i >= 0 {
		return len(doubleByte) + i
	}
	return len(doubleByte) + len(fallbackSingleByte)
}

// fieldReading is a sample read in one encoding: its lines (a line end is
// ASCII in every encoding here, never part of a character) cut into
// fields, each with its implausibility.
type fieldReading struct {
	lines  [][]string
	scores [][]int
	score  int // the sum
}

func readFields(name string, sample []byte, comma byte) (*fieldReading, bool) {
	text, ok := decodeAll(name, sample)
	if !ok {
		return nil, false
	}
	r := &fieldReading{}
	for _, line := range strings.Split(text, "\n") {
		fields := splitFields(line, comma)
		var scores []int
		for _, f := range fields {
			sc := implausibility(f)
			scores = append(scores, sc)
			r.score += sc
		}
		r.lines, r.scores = append(r.lines, fields), append(r.scores, scores)
	}
	return r, true
}

// explains reports whether r, against base, makes fields better and none
// worse, and at least as many better as merely different. A line cut into
// a different number of fields (a double-byte character whose second byte
// is the delimiter) counts as one field.
func (r *fieldReading) explains(base *fieldReading) bool {
	if len(r.lines) != len(base.lines) {
		return false
	}
	better, different := 0, 0
	compare := func(a, b string, sa, sb int) bool {
		switch {
		case a == b:
		case sa > sb:
			return false
		case sa < sb:
			better++
		default:
			different++
		}
		return true
	}
	for i, fields := range r.lines {
		bf := base.lines[i]
		if len(fields) != len(bf) {
			if !compare(strings.Join(fields, ","), strings.Join(bf, ","), sum(r.scores[i]), sum(base.scores[i])) {
				return false
			}
			continue
		}
		for j := range fields {
			if !compare(fields[j], bf[j], r.scores[i][j], base.scores[i][j]) {
				return false
			}
		}
	}
	return better > 0 && better >= different
}

// kana reports whether the reading has two kana or more (hiragana, or
// katakana other than the middle dot and the long-vowel mark): Japanese.
// Shift_JIS reads Chinese bytes as kana only for lead bytes 0x82 and 0x83,
// which GBK and Big5 text hardly uses, and Japanese names are mostly
// written with kana; so two rows of katakana read as Shift_JIS and as rare
// Chinese characters in GB18030 (オファリー, 僆僼傽儕乕) are Japanese.
func (r *fieldReading) kana() bool {
	n := 0
	for _, fields := range r.lines {
		for _, f := range fields {
			for _, c := range f {
				if c >= 0x3041 && c <= 0x3096 || c >= 0x30A1 && c <= 0x30FA {
					if n++; n >= 2 {
						return true
					}
				}
			}
		}
	}
	return false
}

// same reports whether two readings read alike.
func (r *fieldReading) same(o *fieldReading) bool {
	return slices.EqualFunc(r.lines, o.lines, slices.Equal[[]string])
}

func sum(xs []int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}

// implausibility counts what no name in any language has, in a reading of
// a file's bytes:
//   - a C1 control character (U+0080-U+009F: a byte an ISO-8859 reading
//     leaves undefined);
//   - a symbol beside a letter that is not one of the punctuation marks
//     names use (“Œ‹ž”, “£ódzka”, “Œ¹l¹ski”: bytes of another encoding's
//     letters);
//   - a word of five letters or more, three quarters of them accented Latin
//     letters (“Ìîñêîâñêèé”: Cyrillic read as Latin; Western words have an
//     accent here and there, between plain letters);
//   - a word that mixes the Latin, Cyrillic and Greek alphabets, or one of
//     them with another alphabet (Pl᚝ovce), or Latin letters in full width
//     with plain ones (“ｓdzka”);
//   - a Greek final sigma (ς) inside a word;
//   - a Chinese, Japanese or Korean character between ASCII letters or
//     digits, or an ASCII letter between two such characters.
func implausibility(s string) int {
	n := 0
	rs := []rune(s)
	isLetter := func(i int) bool { return i >= 0 && i < len(rs) && (unicode.IsLetter(rs[i]) || unicode.IsMark(rs[i])) }
	// A Chinese, Japanese or Korean character between ASCII letters or
	// digits: a high byte and the ASCII letter after it read as one
	// double-byte character (20°Est in Big5 is 20蚩st).
	// So is an ASCII letter between two such characters (Żarów in Big5 is
	// 畝r闚).
	cjk := func(r rune) bool {
		return r >= 0x2E80 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
	}
	for i := 1; i+1 < len(rs); i++ {
		if cjk(rs[i]) && asciiAlnum(rs[i-1]) && asciiAlnum(rs[i+1]) ||
			rs[i] < 0x80 && unicode.IsLetter(rs[i]) && cjk(rs[i-1]) && cjk(rs[i+1]) {
			n++
		}
	}
	// A half-width katakana beside a Chinese character or a full-width
	// kana: Shift_JIS reads UTF-8's continuation bytes A1-DF as half-width
	// katakana (Práce as Prテ｡ce, € as 竄ｬ); Japanese text that writes them
	// writes a whole word so.
	halfwidth := func(r rune) bool { return r >= 0xFF61 && r <= 0xFF9F }
	for i := 1; i < len(rs); i++ {
		if halfwidth(rs[i]) && cjk(rs[i-1]) && !halfwidth(rs[i-1]) || halfwidth(rs[i-1]) && cjk(rs[i]) && !halfwidth(rs[i]) {
			n++
		}
	}
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r < 0x80:
			i++
			continue
		case r <= 0x9F:
			n++
			i++
			continue
		case !isLetter(i):
			switch {
			case unicode.IsDigit(r) || unicode.IsSpace(r) || strings.ContainsRune(nameMarks, r):
			case r >= 0x2E80:
				// CJK and full-width punctuation (・（）「」＆): what a
				// double-byte reading of names has, never a single-byte one.
			case strings.ContainsRune(wordEndMarks, r) && !isLetter(i+1):
			case strings.ContainsRune(wordStartMarks, r) && !isLetter(i-1):
			case isLetter(i-1) || isLetter(i+1):
				n++
			}
			i++
			continue
		}
		// A word: a run of letters and marks, ASCII letters included.
		j := i
		for j > 0 && isLetter(j-1) {
			j--
		}
		k := i
		for k < len(rs) && isLetter(k) {
			k++
		}
		n += implausibleWord(rs[j:k])
		i = k
	}
	return n
}

// nameMarks are the non-ASCII punctuation and signs that names carry
// beside letters: typographic quotes and apostrophes, dashes, the middle
// dot (Catalan l·l), guillemets, the trade and registered marks, the
// degree sign (N°, 20°Est).
const nameMarks = "‘’‚“”„–—…·«»®™©°"

// wordEndMarks are plausible after a word's last letter (a footnote, H³,
// 1ª), wordStartMarks before its first (Spanish ¡Ya!, ¿Qué?); inside a
// word, where Œ¹l¹ski (Śląski in windows-1252) has them, they are not.
const (
	wordEndMarks   = "¹²³ºª"
	wordStartMarks = "¡¿"
)

func asciiAlnum(r rune) bool {
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

func implausibleWord(w []rune) int {
	n := 0
	letters, accented := 0, 0
	var latin, cyrillic, greek, other, wideLatin, plainLatin bool
	for i, r := range w {
		if unicode.IsMark(r) {
			continue
		}
		letters++
		switch {
		case r >= 0xFF21 && r <= 0xFF5A:
			wideLatin = true
		case r < 0x80:
			latin, plainLatin = true, true
		case unicode.Is(unicode.Latin, r):
			latin = true
			accented++
		case unicode.Is(unicode.Cyrillic, r):
			cyrillic = true
		case unicode.Is(unicode.Greek, r):
			greek = true
			if r == 'ς' && i < len(w)-1 {
				n++
			}
		case !unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Bopomofo) && !(r >= 0x3000 && r <= 0x30FF):
			// Any other alphabet (ášť in windows-1250 is valid UTF-8 for
			// the Ogham ᚝).
			other = true
		}
	}
	// Three accented letters of four are Polish (Łódź); Cyrillic read as
	// Latin has them all.
	if letters >= 5 && accented*4 >= letters*3 {
		n++
	}
	scripts := 0
	for _, b := range []bool{latin, cyrillic, greek, other} {
		if b {
			scripts++
		}
	}
	if scripts > 1 || wideLatin && plainLatin {
		n++
	}
	return n
}
