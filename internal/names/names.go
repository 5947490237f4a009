// Package names is the one Unicode normalisation of organisation names that
// the loader (stored names, matching keys) and the Neo4j writer (the
// search_names of the full-text index) share, so that a name that prints
// alike is stored, matched and found alike.
package names

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Clean returns s as it is stored:
//   - format characters (Unicode category Cf: zero-width space, zero-width
//     joiner and non-joiner, LRM/RLM and the other bidi controls, word
//     joiner, soft hyphen, a byte-order mark inside a cell) and variation
//     selectors are removed, with nothing in their place;
//   - every other control character and every Unicode space (no-break,
//     narrow no-break, ideographic U+3000, ...) becomes a space;
//   - the result is NFKC-normalised (full-width letters, compatibility
//     forms), runs of spaces collapse into one, and the ends are trimmed.
//
// A format character between two letters ("Org\u00adE") is removed, not
// turned into a space: a soft hyphen or joiner inside a word is how such
// characters are normally used ("Uni\u00adversity"). Names that differ only
// in spacing ("Org E" and "OrgE") still match, because matching keys ignore
// spaces (see loader.NameKey). Clean is idempotent: Clean(Clean(s)) == Clean(s).
func Clean(s string) string {
	if plain(s) {
		return s
	}
	s = strip(s)
	s = norm.NFKC.String(s)
	// NFKC can produce spaces (U+2000..U+200A are compatibility spaces)
	// and never format characters we keep; strip again to collapse.
	s = strip(s)
	if !norm.NFKC.IsNormalString(s) {
		s = strip(norm.NFKC.String(s))
	}
	return s
}

// plain reports whether s is printable ASCII with single inner spaces and no
// space at either end: the common case, which Clean leaves as it is.
func plain(s string) bool {
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f {
			return false
		}
		if c == ' ' {
			if prevSpace {
				return false
			}
			prevSpace = true
		} else {
			prevSpace = false
		}
	}
	return !prevSpace || s == ""
}

// Invisible reports whether r is removed by Clean without a trace: a format
// character (Cf) or a variation selector.
func Invisible(r rune) bool {
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r)
}

// strip removes invisible characters, maps spaces and controls to one space,
// collapses runs of spaces and trims the ends.
func strip(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			// Kept: it marks bytes that were not text, and a name must not
			// silently lose them.
		case Invisible(r):
			continue
		case unicode.IsSpace(r) || unicode.Is(unicode.Zs, r) || unicode.IsControl(r):
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// Trim removes spaces, controls and invisible characters at both ends of a
// table cell (a BOM or a no-break space before an ID), keeping the inside.
func Trim(s string) string {
	if s == "" || (s[0] > ' ' && s[0] < 0x7f && s[len(s)-1] > ' ' && s[len(s)-1] < 0x7f) {
		return s
	}
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.Is(unicode.Zs, r) || unicode.IsControl(r) || Invisible(r)
	})
}
