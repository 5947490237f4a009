// Package opencc converts between traditional and simplified Chinese with
// OpenCC's own dictionaries (TSCharacters, TSPhrases, STCharacters;
// Apache-2.0, taken from Debian's libopencc-data by scripts/update-opencc;
// see COPYING.debian).
//
// It does what OpenCC's t2s does for matching purposes: longest phrase match
// first, then character by character, taking the first candidate.
package opencc

import (
	_ "embed"
	"strings"
	"sync"
)

//go:embed TSCharacters.txt
var tsCharacters string

//go:embed TSPhrases.txt
var tsPhrases string

//go:embed STCharacters.txt
var stCharacters string

var (
	once      sync.Once
	chars     map[rune]string
	phrases   map[string]string
	toTrad    map[rune]string
	maxPhrase int // longest phrase, in runes
)

func load() {
	chars = map[rune]string{}
	phrases = map[string]string{}
	toTrad = map[rune]string{}
	parse(stCharacters, func(from, to string) {
		if r := []rune(from); len(r) == 1 {
			toTrad[r[0]] = to
		}
	})
	parse(tsCharacters, func(from, to string) {
		r := []rune(from)
		if len(r) == 1 {
			chars[r[0]] = to
		}
	})
	parse(tsPhrases, func(from, to string) {
		phrases[from] = to
		if n := len([]rune(from)); n > maxPhrase {
			maxPhrase = n
		}
	})
}

// parse reads OpenCC's text format: "from<TAB>to1 to2 ...", one entry a line.
func parse(text string, add func(from, to string)) {
	for line := range strings.SplitSeq(text, "\n") {
		from, tos, ok := strings.Cut(line, "\t")
		if !ok || from == "" {
			continue
		}
		to, _, _ := strings.Cut(tos, " ")
		add(from, to)
	}
}

// ToSimplified converts traditional-script text to simplified script. Text
// already in simplified script, and non-Chinese text, is returned unchanged.
func ToSimplified(s string) string {
	if !hasCJK(s) {
		return s // every key of the dictionaries has a character from U+2E80 on
	}
	once.Do(load)
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(rs); {
		matched := false
		for n := min(maxPhrase, len(rs)-i); n >= 2; n-- {
			if to, ok := phrases[string(rs[i:i+n])]; ok {
				b.WriteString(to)
				i += n
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		if to, ok := chars[rs[i]]; ok {
			b.WriteString(to)
		} else {
			b.WriteRune(rs[i])
		}
		i++
	}
	return b.String()
}

// ToTraditional converts simplified-script text to traditional script
// character by character, taking OpenCC's first candidate. It is for
// search only (so that a name can be found as either script writes it):
// where one simplified character stands for several traditional ones, the
// first is not always right.
func ToTraditional(s string) string {
	once.Do(load)
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	for _, r := range s {
		if to, ok := toTrad[r]; ok {
			b.WriteString(to)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// hasCJK reports whether s has a character from U+2E80 (CJK radicals) on:
// text without one (Latin names, most of every table) has nothing to convert.
func hasCJK(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0xE2 { // the first byte of U+2000 and above in UTF-8
			for _, r := range s[i:] {
				if r >= 0x2E80 {
					return true
				}
			}
			return false
		}
	}
	return false
}
