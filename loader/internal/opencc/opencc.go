// Package opencc converts traditional Chinese to simplified with OpenCC's own
// dictionaries (TSCharacters and TSPhrases, Apache-2.0, taken from Debian's
// libopencc-data by scripts/update-opencc; see COPYING.debian).
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

var (
	once      sync.Once
	chars     map[rune]string
	phrases   map[string]string
	maxPhrase int // longest phrase, in runes
)

func load() {
	chars = map[rune]string{}
	phrases = map[string]string{}
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
