package loader

import (
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/collabnet/collabnet/internal/opencc"
)

var folder = cases.Fold()

// NameKey is the matching key of a name: two spellings of one organisation
// get the same key. It folds
//   - width and compatibility forms (NFKC: （） and () , full-width letters),
//   - traditional to simplified script (OpenCC's dictionaries),
//   - case (Unicode case folding),
//   - accents (Bérat and Berat), when foldAccents is set,
//   - spacing and punctuation, which are dropped altogether.
//
// The key is for matching only; names are stored as written.
func NameKey(s string, foldAccents bool) string {
	s = norm.NFKC.String(s)
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
		}
		b.WriteRune(r)
	}
	if foldAccents {
		return norm.NFC.String(b.String())
	}
	return b.String()
}

// CleanName trims a name and collapses runs of white space into one space,
// for storing; it keeps the script, width and case the input used.
func CleanName(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
