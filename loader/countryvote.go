package loader

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
)

// The rows of a table say each party's country, and an office writes the
// names of its own country's organisations in its own code page. Where the
// bytes alone leave the encoding open, that settles it: Czech, Croatian,
// Slovene and Romanian names in windows-1250 read as windows-1252 are
// letters too (Èeské, Sveuèilište, Brãila), and two rows of Greek read
// plausibly as Greek and as Cyrillic.

// localCodePage is the legacy code page in which a country's offices write
// names (Windows' ANSI code page for its language; Excel's "CSV" on
// Windows), for the countries whose code page is not windows-1252.
// Countries of two scripts (Serbia, Bosnia) or none are left out.
var localCodePage = map[string]string{
	"PL": "windows-1250", "CZ": "windows-1250", "SK": "windows-1250", "HU": "windows-1250",
	"HR": "windows-1250", "SI": "windows-1250", "RO": "windows-1250", "AL": "windows-1250",
	"RU": "windows-1251", "UA": "windows-1251", "BG": "windows-1251", "BY": "windows-1251",
	"MK": "windows-1251", "KZ": "windows-1251", "KG": "windows-1251",
	"GR": "windows-1253", "CY": "windows-1253",
	"TR": "windows-1254", "AZ": "windows-1254",
	"CN": "gb18030", "TW": "big5", "HK": "big5", "MO": "big5",
	"JP": "shift_jis", "KR": "euc-kr",
}

// westernCountries write windows-1252: a name of theirs is a vote for it.
var westernCountries = strings.Fields("AD AR AT AU BE BO BR CA CH CL CO CR CU DE DK DO EC ES FI FO FR GB GL GT HN IE IS IT LI LU MC MT MX NI NL NO NZ PA PE PR PT PY SE SM SV US UY VA VE ZA")

// codePageOf is the code page of a country's offices, "" if not known.
func codePageOf(code string) string {
	if cp, ok := localCodePage[code]; ok {
		return cp
	}
	if slices.Contains(westernCountries, code) {
		return "windows-1252"
	}
	return ""
}

// countryVote returns the encoding that the countries of a table's parties
// choose for it, or "" when they do not choose one over current ("" when
// there is no current reading: then the choice must read every name
// plausibly). Each name with a byte above 0x7F votes
// for its country's code page (codePageOf), the country read from its row.
// The header may have title rows above it (skipTitles); a country cell
// that is not UTF-8 (Türkiye, România in their code pages) names the
// country its readings agree on (countryOfCell).
// The choice must be the code page of the office's country (the country
// the rows name most, strictly), have more votes than the names that
// read otherwise in it (Köln, the same in windows-1250 and 1252, votes
// for neither), decode the sample
// cleanly, read its voters' names no less plausibly than current, and read
// every other name with a byte above 0x7F as current does: a French
// office's file naming a few Czech partners keeps the French names' è, and
// a Korean office's Korean name for Guam (US) stays Korean.
func (l *Loader) countryVote(head []byte, eof bool, current string) (string, map[string]int) {
	sample := wholeLines(head, eof)
	comma := byte(sniffDelimiter(head))
	lines := bytes.Split(bytes.TrimRight(sample, "\r\n"), []byte("\n"))
	header := func(line []byte) []string {
		var cols []string
		for _, f := range splitFields(bytes.TrimRight(line, "\r"), comma) {
			cols = append(cols, strings.Trim(string(f), `" `))
		}
		return cols
	}
	// Title rows above the header, as skipTitles passes over them.
	for i := 0; i < 3 && len(lines) > 2 && titleRow(header(lines[0])); i++ {
		lines = lines[1:]
	}
	if len(lines) < 2 {
		return "", nil
	}
	h := l.mapHeader(header(lines[0]))
	type pair struct{ name, country int }
	var pairs []pair
	for _, p := range [][2]string{{"name", "country"}, {"party_a", "country_a"}, {"party_b", "country_b"}} {
		if h.has(p[0], p[1]) {
			pairs = append(pairs, pair{h[p[0]], h[p[1]]})
		}
	}
	if len(pairs) == 0 {
		return "", nil
	}
	type vote struct {
		name []byte
		cp   string
	}
	var votes []vote
	count := map[string]int{}
	office := map[string]int{} // every party's country, ASCII names too
	for _, line := range lines[1:] {
		fields := splitFields(bytes.TrimRight(line, "\r"), comma)
		for _, p := range pairs {
			if p.name >= len(fields) || p.country >= len(fields) {
				continue
			}
			cp := ""
			if code, ok := l.countryOfCell(fields[p.country]); ok {
				cp = codePageOf(code)
				if code != "" {
					office[code]++
				}
			}
			if !isASCII(string(fields[p.country])) {
				votes = append(votes, vote{fields[p.country], ""}) // a country cell must read as before too
			}
			if isASCII(string(fields[p.name])) {
				continue
			}
			votes = append(votes, vote{fields[p.name], cp}) // "": no vote, but read all the same
			if cp != "" {
				count[cp]++
			}
		}
	}
	// The office's own country is the one its rows name most: its own
	// organisation is a party to most of its agreements. Its code page
	// must be the one the names vote for; else the file may be, say, a
	// French office's, naming a Czech university in French (Université
	// technique tchèque, CZ), which windows-1250 would read tchčque.
	top, second := "", ""
	for code, n := range office {
		switch {
		case top == "" || n > office[top] || n == office[top] && code < top:
			top, second = code, top
		case second == "" || n > office[second] || n == office[second] && code < second:
			second = code
		}
	}
	if top == "" || second != "" && office[second] == office[top] {
		return "", count
	}
	best := codePageOf(top)
	if best == "" || best == current {
		return "", count
	}
	// More than half the votes that tell best from another code page: a
	// German partner's Köln, the same bytes in windows-1250 and 1252,
	// votes against a Czech office's code page for nothing.
	against := 0
	for _, v := range votes {
		if v.cp == "" || v.cp == best {
			continue
		}
		mine, ok1 := decodeAll(v.cp, v.name)
		alt, ok2 := decodeAll(best, v.name)
		if !ok1 || !ok2 || mine != alt {
			against++
		}
	}
	if count[best] <= against {
		return "", count
	}
	for _, v := range votes {
		alt, ok := decodeAll(best, v.name)
		if !ok {
			return "", count
		}
		if current == "" {
			if implausibility(alt) > 0 {
				return "", count
			}
			continue
		}
		now, ok := decodeAll(current, v.name)
		switch {
		case !ok:
		case v.cp != best && alt != now:
			// A name of another country, or of one whose code page is
			// not known, must read as it did.
			return "", count
		case implausibility(alt) > implausibility(now):
			return "", count
		}
	}
	if _, ok := decodeAll(best, sample); !ok {
		return "", count
	}
	return best, count
}

// countryOfCell is the country a raw country cell names: read as it is,
// or, for a cell with bytes above 0x7F that is not UTF-8 (Türkiye,
// România, Россия in their offices' code pages), in the one country its
// readings in our code pages name.
func (l *Loader) countryOfCell(cell []byte) (string, bool) {
	raw := strings.Trim(string(cell), `" `)
	if utf8.ValidString(raw) {
		code, err := l.countries.Resolve(raw)
		return code, err == nil
	}
	found := ""
	for _, name := range append(slices.Clone(fallbackSingleByte), doubleByte...) {
		text, ok := decodeAll(name, []byte(raw))
		if !ok {
			continue
		}
		if code, err := l.countries.Resolve(text); err == nil && code != "" {
			if found != "" && code != found {
				return "", false
			}
			found = code
		}
	}
	return found, found != ""
}

// votesText says how the countries voted, most votes first: "CZ, HR: 12
// names for windows-1250".
func votesText(count map[string]int, chosen string) string {
	var others []string
	for cp, n := range count {
		if cp != chosen {
			others = append(others, fmt.Sprintf("%d for %s", n, cp))
		}
	}
	slices.Sort(others)
	s := fmt.Sprintf("%d of its names are of countries that write %s", count[chosen], chosen)
	if len(others) > 0 {
		s += " (" + strings.Join(others, ", ") + ")"
	}
	return s
}

// settleByCountries is detectEncoding's result reconsidered with the
// table's countries (countryVote): a legacy reading, or an ambiguity
// between readings, gives way to the code page the names' countries
// write. It returns the encoding, its name, and what the warning adds.
func (l *Loader) settleByCountries(head []byte, eof bool, enc encoding.Encoding, name string, err error) (encoding.Encoding, string, string, error) {
	var amb *ambiguousEncoding
	switch {
	case errors.As(err, &amb):
		if cp, count := l.countryVote(head, eof, ""); cp != "" {
			return mustEncoding(cp), cp, "; " + votesText(count, cp), nil
		}
		return nil, "", "", err
	case err != nil || enc == nil || strings.HasPrefix(name, "utf-") || name == "macintosh":
		return enc, name, "", err
	}
	if cp, count := l.countryVote(head, eof, name); cp != "" {
		return mustEncoding(cp), cp, "; " + votesText(count, cp), nil
	}
	return enc, name, "", nil
}
