package loader

import (
	"strings"
	"unicode"

	"github.com/mozillazg/go-unidecode"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/collabnet/collabnet/internal/names"
	"github.com/collabnet/collabnet/internal/opencc"
)

var folder = cases.Fold()

// NameKey is the matching key of a name: two spellings of one organisation
// get the same key. It folds
//   - width and compatibility forms (NFKC: （） and () , full-width letters),
//   - traditional to simplified script (OpenCC's dictionaries),
//   - case (Unicode case folding),
//   - accents (Bérat and Berat), when foldAccents is set, and then the
//     Latin letters that NFKC and NFD leave alone (ł ø đ ı ß æ œ þ ...)
//     by Unidecode's transliteration table (mozillazg/go-unidecode, a port
//     of Perl's Text::Unidecode): Łódź and Lodz, Ørsted and Orsted; since
//     Serbo-Croatian đ is romanised both d and dj (Đorđević, Djordjevic),
//     keys read dj as d;
//   - spacing, punctuation and invisible characters, which are dropped
//     altogether ("Org E", "OrgE" and "Org\u200bE" share a key).
//
// The key is for matching only; names are stored as written.
func NameKey(s string, foldAccents bool) string {
	s = names.Clean(s) // NFKC, invisible characters removed
	s = opencc.ToSimplified(s)
	s = folder.String(s)
	if foldAccents {
		s = norm.NFD.String(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), unicode.IsPunct(r), unicode.IsControl(r):
			continue
		case foldAccents && unicode.Is(unicode.Mn, r):
			continue
		case foldAccents && r >= 0x80 && unicode.Is(unicode.Latin, r):
			// Only Latin letters: other scripts (Chinese above all) keep
			// their letters, which are their names.
			b.WriteString(strings.ToLower(unidecode.Unidecode(string(r))))
			continue
		}
		b.WriteRune(r)
	}
	if foldAccents {
		k := norm.NFC.String(b.String())
		if strings.Contains(k, "dj") {
			k = strings.ReplaceAll(k, "dj", "d")
		}
		return k
	}
	return b.String()
}

// CleanName is a name as it is stored: names.Clean (NFKC, invisible
// characters removed, Unicode spaces collapsed); it keeps the script and
// case the input used.
func CleanName(s string) string { return names.Clean(s) }
