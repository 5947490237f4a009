package loader

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"

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
	keys  []string // sorted, for suggestions
}

// Codes that ISO 3166-1 does not assign but CLDR lists as regions
// (exceptional reservations), left out so they cannot be matched by name.
var notCountries = map[string]bool{"AC": true, "CP": true, "DG": true, "EA": true, "IC": true, "TA": true}

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
	"Hong Kong": "HK", "Macau": "MO", "Macao": "MO",
	"People's Republic of China": "CN", "PRC": "CN", "Mainland China": "CN",
	"中国大陆": "CN", "中国内地": "CN", "香港": "HK", "澳门": "MO", "沙特": "SA",
	"UAE": "AE", "The Netherlands": "NL", "Holland": "NL", "The Gambia": "GM", "The Bahamas": "BS",
	"Vietnam": "VN", "Viet Nam": "VN", "Iran, Islamic Republic of": "IR", "Syrian Arab Republic": "SY",
}

// NewCountries builds the resolver. extra maps more names (from the
// configuration) to ISO codes; it is checked like the rest.
func NewCountries(extra map[string]string) (*Countries, error) {
	c := &Countries{byKey: map[string]string{}, names: map[string]*graph.Country{}}
	en := display.English.Regions()
	namers := []display.Namer{en,
		display.Regions(language.SimplifiedChinese), display.Regions(language.TraditionalChinese)}
	zh := display.Regions(language.SimplifiedChinese)
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
				c.addName(n.Name(r), code)
			}
		}
	}
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

// stRE matches the abbreviation "St." so that "Saint Lucia" meets CLDR's "St. Lucia".
var stRE = regexp.MustCompile(`(?i)\bst\.?\s`)

func countryKey(s string) string {
	s = strings.ReplaceAll(s, "&", " and ")
	s = stRE.ReplaceAllString(s, "saint ")
	return NameKey(s, true)
}

func (c *Countries) add(name, code string) { c.byKey[countryKey(name)] = code }

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
// A value "Region, Country" (as in "England, United Kingdom") resolves by
// its last part when the whole does not resolve.
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
	if i := strings.LastIndexAny(s, ",，"); i >= 0 {
		if code, ok := c.byKey[countryKey(s[i+1:])]; ok && strings.TrimSpace(s[i+1:]) != "" {
			return code, nil
		}
	}
	if sug := c.suggest(s); sug != "" {
		return "", fmt.Errorf("unknown country %q (did you mean %s?)", s, sug)
	}
	return "", fmt.Errorf("unknown country %q (use an ISO 3166-1 code, an English or Chinese name, or declare an alias under countries.aliases)", s)
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

// suggest finds the nearest known name by edit distance on matching keys.
func (c *Countries) suggest(s string) string {
	k := countryKey(s)
	if k == "" {
		return ""
	}
	best, bestD := "", len([]rune(k))/3+1
	for _, cand := range c.keys {
		if len(cand) < 3 {
			continue // codes make poor suggestions for names
		}
		if d := levenshtein(k, cand); d < bestD {
			best, bestD = cand, d
		}
	}
	if best == "" {
		return ""
	}
	code := c.byKey[best]
	return fmt.Sprintf("%s = %s", c.names[code].NameEN, code)
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
