package loader

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/collabnet/collabnet/graph"
)

// Countries resolves what inputs write for a country (ISO codes, EU codes,
// English and Chinese names) to ISO 3166-1 alpha-2 codes, with names from
// CLDR (golang.org/x/text). It never guesses: an unknown value is an error
// that carries the closest known name as a suggestion.
type Countries struct {
	byKey map[string]string // NameKey of a name or code -> ISO code
	names map[string]*graph.Country
	keys  []string        // sorted, for suggestions
	clash map[string]bool // while building: keys two codes claim
}

// Codes that ISO 3166-1 does not assign but CLDR lists as regions
// (exceptional reservations), left out so they cannot be matched by name.
var notCountries = map[string]bool{"AC": true, "CP": true, "DG": true, "EA": true, "IC": true, "TA": true}

//go:generate go run ../tools/gencountries -o countries_gen.go

// builtinAliases are established alternative names that CLDR's display names
// do not include. Each is a name for one country, not a guess: a constituent
// country of the UK is in the UK, a former name names the same state.
var builtinAliases = map[string]string{
	"EL": "GR", "UK": "GB", // EU codes (Eurostat, CORDIS)
	"England": "GB", "Scotland": "GB", "Wales": "GB", "Northern Ireland": "GB",
	"Great Britain": "GB", "Britain": "GB",
	"USA": "US", "U.S.": "US", "U.S.A.": "US", "United States of America": "US",
	"Republic of Korea": "KR", "Korea, Republic of": "KR", "Korea (South)": "KR",
	"Democratic People's Republic of Korea": "KP",
	"Czech Republic":                        "CZ", "Türkiye": "TR", "Turkiye": "TR", "Russian Federation": "RU",
	"Republic of Ireland": "IE", "Georgia (country)": "GE",
	"Ivory Coast": "CI", "Cote d'Ivoire": "CI", "East Timor": "TL", "Cape Verde": "CV",
	"Swaziland": "SZ", "Burma": "MM", "Macedonia": "MK", "Republic of North Macedonia": "MK",
	"Saint Vincent and the Grenadines": "VC",
	"North Macedonia":                  "MK", "Eswatini": "SZ", // CLDR's newer names, newer than x/text's tables
	"Moldavia": "MD", "Palestine": "PS", "State of Palestine": "PS", "West Bank": "PS",
	"Laos": "LA", "Brunei": "BN", "Federated States of Micronesia": "FM", "Surinam": "SR",
	"Bosnia and Hercegovina": "BA", "Vatican": "VA", "Holy See": "VA",
	"Democratic Republic of the Congo": "CD", "DR Congo": "CD", "Republic of the Congo": "CG",
	"Hong Kong": "HK", "Macau": "MO", "Macao": "MO", "Chinese Taipei": "TW",
	"People's Republic of China": "CN", "PRC": "CN", "Mainland China": "CN",
	"中国大陆": "CN", "中国内地": "CN", "香港": "HK", "澳门": "MO", "沙特": "SA",
	"UAE": "AE", "The Netherlands": "NL", "Holland": "NL", "The Gambia": "GM", "The Bahamas": "BS",
	"Vietnam": "VN", "Viet Nam": "VN", "Iran, Islamic Republic of": "IR", "Syrian Arab Republic": "SY",
	// The World Bank's names that are not an inversion (see stateForms).
	"West Bank and Gaza": "PS", "P.R. China": "CN",
	// Official and administrative names in Chinese (CLDR gives the short
	// ones): the People's Republic, the Republic of Korea, and Taiwan, Hong
	// Kong and Macao as Chinese documents write them ("中国台湾省" and
	// "中国香港地区" are then resolved as a state and a territory).
	"中华人民共和国": "CN", "大韩民国": "KR", "台湾省": "TW", "台湾地区": "TW", "香港地区": "HK", "澳门地区": "MO",
}

// stateForms are the abbreviations of forms of state in the World Bank's
// country names ("Korea, Rep.", "Egypt, Arab Rep.", "Congo, Dem. Rep.",
// "Micronesia, Fed. Sts.", "Venezuela, RB", "Lao PDR"), written out so that
// the name meets ISO's ("Republic of Korea", "Lao People's Democratic
// Republic"); see Resolve.
var stateForms = map[string]string{"rep.": "Republic", "dem.": "Democratic", "fed.": "Federal", "sts.": "States",
	"pdr": "People's Democratic Republic", "rb": "Bolivarian Republic"}

// expandStateForms writes out the words of s that are stateForms (in any
// case: "KOREA, REP.").
func expandStateForms(s string) string {
	ws := strings.Fields(strings.ReplaceAll(s, ",", " , "))
	changed := false
	for i, w := range ws {
		if e, ok := stateForms[strings.ToLower(w)]; ok {
			if e == "Federal" && i+1 < len(ws) && strings.EqualFold(ws[i+1], "sts.") {
				e = "Federated" // Micronesia, Fed. Sts.; Somalia, Fed. Rep. is Federal
			}
			ws[i], changed = e, true
		}
	}
	if !changed {
		return s
	}
	return strings.ReplaceAll(strings.Join(ws, " "), " , ", ", ")
}

// NewCountries builds the resolver. extra maps more names (from the
// configuration) to ISO codes; it is checked like the rest.
//
// The names are CLDR's (x/text's display names, and the CLDR 41 and ISO
// 3166-1 names of countries_gen.go, every alt form, in English and Chinese),
// the established aliases above, and the names of territories written as
// their sovereign writes them, derived from those: CLDR's "Hong Kong SAR
// China" and "中国香港特别行政区" also give "Hong Kong SAR", "香港特别行政区"
// and ISO's "Hong Kong Special Administrative Region of China" gives "Hong
// Kong Special Administrative Region".
func NewCountries(extra map[string]string) (*Countries, error) {
	c := &Countries{byKey: map[string]string{}, names: map[string]*graph.Country{}, clash: map[string]bool{}}
	en := display.English.Regions()
	namers := []display.Namer{en,
		display.Regions(language.SimplifiedChinese), display.Regions(language.TraditionalChinese)}
	zh := display.Regions(language.SimplifiedChinese)
	all := map[string][]string{} // code -> every name, for the derived names
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			r, err := language.ParseRegion(code)
			if err != nil || !r.IsCountry() || r.Canonicalize() != r || notCountries[code] {
				continue
			}
			name := en.Name(r)
			if name == "" {
				continue
			}
			c.names[code] = &graph.Country{Code: code, NameEN: name, NameZH: zh.Name(r)}
			c.add(code, code)
			c.add(r.ISO3(), code)
			for _, n := range namers {
				if n := n.Name(r); n != "" {
					c.addName(n, code)
					all[code] = append(all[code], n)
				}
			}
			for _, n := range cldrNames[code] {
				c.addName(n, code)
				all[code] = append(all[code], n)
			}
		}
	}
	c.addTerritoryNames(all)
	// A name that CLDR or ISO give two countries ("Congo": ISO's short name
	// of CG, the start of CLDR's "Congo (DRC)") names neither.
	for k := range c.clash {
		delete(c.byKey, k)
	}
	c.clash = nil
	for name, code := range builtinAliases {
		c.add(name, code)
	}
	for name, code := range extra {
		if _, ok := c.names[strings.ToUpper(code)]; !ok {
			return nil, fmt.Errorf("country alias %q: %q is not an ISO 3166-1 alpha-2 code", name, code)
		}
		c.add(name, strings.ToUpper(code))
	}
	for k := range c.byKey {
		c.keys = append(c.keys, k)
	}
	sort.Strings(c.keys)
	return c, nil
}

// addTerritoryNames adds, for every territory (a code that is not a member
// of the United Nations), its names without the name of the state they
// carry: a CLDR or ISO name that starts or ends with a UN member's name
// ("Hong Kong SAR China", "中国香港特别行政区", "Hong Kong Special
// Administrative Region of China") also names the territory without it.
func (c *Countries) addTerritoryNames(all map[string][]string) {
	states := map[string]bool{}
	for code, ns := range all {
		if unMembers[code] {
			for _, n := range ns {
				states[n] = true
			}
		}
	}
	for code, ns := range all {
		if unMembers[code] {
			continue
		}
		for _, n := range ns {
			// Every split of the name into a head and a tail, one of which
			// may be a state's name.
			for i := range n {
				if i == 0 {
					continue
				}
				for _, s := range [2]string{n[:i], n[i:]} {
					if !states[s] {
						continue
					}
					if rest, ok := withoutState(n, s); ok {
						c.add(rest, code)
					}
				}
			}
		}
	}
}

// withoutState returns name without the state name s at its start or end,
// separated by a space, a comma or " of " (or nothing, in Chinese).
func withoutState(name, s string) (string, bool) {
	if len(s) >= len(name) {
		return "", false
	}
	han := func(r rune) bool { return unicode.Is(unicode.Han, r) }
	if rest, ok := strings.CutPrefix(name, s); ok {
		r, _ := utf8.DecodeRuneInString(rest)
		if rest[0] == ' ' || rest[0] == ',' || han(r) {
			return strings.Trim(rest, " ,"), true
		}
	}
	if rest, ok := strings.CutSuffix(name, s); ok {
		r, _ := utf8.DecodeLastRuneInString(rest)
		if strings.HasSuffix(rest, " ") || strings.HasSuffix(rest, ",") || han(r) {
			return strings.TrimSuffix(strings.Trim(rest, " ,"), " of"), true
		}
	}
	return "", false
}

// stRE matches the abbreviation "St." so that "Saint Lucia" meets CLDR's "St. Lucia".
var stRE = regexp.MustCompile(`(?i)\bst\.?\s`)

func countryKey(s string) string {
	s = strings.ReplaceAll(s, "&", " and ")
	s = stRE.ReplaceAllString(s, "saint ")
	return NameKey(s, true)
}

func (c *Countries) add(name, code string) {
	k := countryKey(name)
	if c.clash != nil {
		if prev, ok := c.byKey[k]; ok && prev != code {
			c.clash[k] = true
		}
	}
	c.byKey[k] = code
}

// addName adds a CLDR display name and, for names like "Myanmar (Burma)" or
// "Congo - Kinshasa", its parts before the bracket or dash.
func (c *Countries) addName(name, code string) {
	if name == "" {
		return
	}
	c.add(name, code)
	if i := strings.IndexAny(name, "(（"); i > 0 {
		c.add(name[:i], code)
	}
}

// Resolve returns the ISO code for s. An empty s resolves to "" (unknown).
// A value of two parts, "X, Y" or, in Chinese, "YX", resolves when the
// whole does not (README.md, "Countries"):
//   - a place and its country ("Shanghai, China", "England, United
//     Kingdom"): the country;
//   - a territory and its sovereign state, or the state and the territory,
//     as the World Bank, the WTO, the UN and ISO write them ("Hong Kong,
//     China", "Macao SAR, China", "Puerto Rico, USA", "China, Hong Kong
//     SAR", "中国台湾"): the territory's own code, where one part is a member
//     of the United Nations (CLDR's group UN) and the other is not;
//   - two member states ("Georgia, USA": the country or the US state?):
//     an error, for the user to say which.
func (c *Countries) Resolve(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if code, ok := c.byCode(s); ok {
		return code, nil
	}
	if code, ok := c.byKey[countryKey(s)]; ok {
		return code, nil
	}
	if code, ok := c.inverted(s); ok {
		return code, nil
	}
	if code, err, ok := c.twoParts(s); ok {
		return code, err
	}
	if sug := c.suggest(s); sug != "" {
		return "", fmt.Errorf("unknown country %q (did you mean %s?)", s, sug)
	}
	return "", fmt.Errorf("unknown country %q (use an ISO 3166-1 code, an English or Chinese name, or declare an alias under countries.aliases)", s)
}

// inverted resolves a name written with its form of state after a comma,
// as ISO ("Korea, Republic of", "China, People's Republic of") and the World
// Bank ("Korea, Rep.", "Gambia, The", "Congo, Dem. Rep.") sort them, and the
// World Bank's abbreviations ("Lao PDR"): the value with the abbreviations
// written out, and "X, Q" read as "Q X", "Q of X" and "Q of the X", is
// looked up among the names (ISO's official names among them). Only a
// known name resolves: nothing is guessed.
func (c *Countries) inverted(s string) (string, bool) {
	full := expandStateForms(s)
	tries := []string{full}
	if i := strings.LastIndexAny(full, ",，"); i > 0 {
		_, size := utf8.DecodeRuneInString(full[i:])
		x, q := strings.TrimSpace(full[:i]), strings.TrimSpace(full[i+size:])
		if q != "" && x != "" {
			tries = append(tries, q+" "+x, q+" of "+x, q+" of the "+x)
		}
	}
	for _, t := range tries {
		if t == s {
			continue
		}
		if code, ok := c.byKey[countryKey(t)]; ok {
			return code, true
		}
	}
	return "", false
}

// twoParts resolves "X, Y" and Chinese "YX" (see Resolve); ok is false
// when s is not of that form.
func (c *Countries) twoParts(s string) (code string, err error, ok bool) {
	lookup := func(p string) (string, bool) {
		p = strings.TrimSpace(p)
		if p == "" {
			return "", false
		}
		code, ok := c.byKey[countryKey(p)]
		return code, ok
	}
	// "X (Y)", as the World Bank writes "Puerto Rico (US)", is "X, Y".
	v := s
	if t := strings.TrimSpace(s); strings.HasSuffix(t, ")") || strings.HasSuffix(t, "）") {
		if i := strings.LastIndexAny(t, "(（"); i > 0 {
			_, opening := utf8.DecodeRuneInString(t[i:])
			_, closing := utf8.DecodeLastRuneInString(t)
			v = t[:i] + "," + t[i+opening:len(t)-closing]
		}
	}
	if i := strings.LastIndexAny(v, ",，"); i >= 0 {
		_, size := utf8.DecodeRuneInString(v[i:])
		a, aok := lookup(v[:i])
		b, bok := lookup(v[i+size:])
		switch {
		case aok && bok:
			return c.combine(s, a, b)
		case bok:
			return b, nil, true // a place in a country
		}
		return "", nil, false
	}
	// Chinese: the state first, then the territory, without a separator.
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		return "", nil, false
	}
	for i := range s {
		if i == 0 {
			continue
		}
		a, aok := lookup(s[:i])
		b, bok := lookup(s[i:])
		if aok && bok {
			return c.combine(s, a, b)
		}
	}
	return "", nil, false
}

// combine decides a value whose two parts name the countries a and b.
func (c *Countries) combine(s, a, b string) (string, error, bool) {
	switch {
	case a == b:
		return a, nil, true
	case !unMembers[a] && unMembers[b]:
		return a, nil, true
	case unMembers[a] && !unMembers[b]:
		return b, nil, true
	}
	return "", fmt.Errorf("%q names two countries, %s (%s) and %s (%s): write the one you mean, or declare %q under countries.aliases",
		s, c.names[a].NameEN, a, c.names[b].NameEN, b, s), true
}

// byCode looks up a code of two or three ASCII letters, whose key is the
// code in lower case, without building the key: tables repeat codes on every row.
func (c *Countries) byCode(s string) (string, bool) {
	if len(s) < 2 || len(s) > 3 {
		return "", false
	}
	var buf [3]byte
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case 'a' <= ch && ch <= 'z':
		case 'A' <= ch && ch <= 'Z':
			ch += 'a' - 'A'
		default:
			return "", false
		}
		buf[i] = ch
	}
	code, ok := c.byKey[string(buf[:len(s)])]
	return code, ok
}

// hanNames returns the folded keys of the Chinese names of a country
// (CLDR's simplified and traditional names and the built-in aliases), the
// forms an article in Chinese names it by.
func (c *Countries) hanNames(code string) []string {
	var out []string
	for _, k := range c.keys {
		if c.byKey[k] == code && strings.IndexFunc(k, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0 {
			out = append(out, k)
		}
	}
	return out
}

// Country returns the country's record with its CLDR names.
func (c *Countries) Country(code string) *graph.Country { return c.names[code] }

// suggest names the countries whose names s is the start of ("GER":
// Germany), or else the one name nearest to s by edit distance when at
// most one letter in eight differs ("Grece": Greece; never "Republic of
// China": Republic of Chile). Codes are never
// suggested for names: the nearest code is another country.
func (c *Countries) suggest(s string) string {
	k := countryKey(s)
	n := utf8.RuneCountInString(k)
	if n < 3 {
		return ""
	}
	var prefixed []string
	for _, cand := range c.keys {
		if len(cand) > 3 && strings.HasPrefix(cand, k) {
			if code := c.byKey[cand]; !slices.Contains(prefixed, code) {
				prefixed = append(prefixed, code)
			}
		}
	}
	show := func(code string) string { return fmt.Sprintf("%s = %s", c.names[code].NameEN, code) }
	if len(prefixed) > 0 && len(prefixed) <= 3 {
		slices.Sort(prefixed)
		var out []string
		for _, code := range prefixed {
			out = append(out, show(code))
		}
		return strings.Join(out, " or ")
	}
	best, bestD := "", max(1, n/8)+1
	for _, cand := range c.keys {
		if len(cand) <= 3 {
			continue // codes make poor suggestions for names
		}
		if d := levenshtein(k, cand); d < bestD {
			best, bestD = cand, d
		}
	}
	if best == "" {
		return ""
	}
	return show(c.byKey[best])
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
