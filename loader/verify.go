package loader

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/internal/names"
	"github.com/collabnet/collabnet/internal/opencc"
)

// SourceCheck is one fact checked against the paragraphs it cites.
type SourceCheck struct {
	Kind    string // organization, agreement, relation, figure, event, programme
	ID      string // the fact's ID; a relation's is "type:from->to"
	Grade   graph.Grade
	Sources []graph.Citation
	// Missing says what the cited paragraphs do not hold, e.g.
	// `locator "首批推动" not in s003#11`, `party 剑桥启迪科技园`, `number 42`;
	// empty when everything was found.
	Missing []string
}

// Found reports whether every locator, name, number and date was found.
func (c SourceCheck) Found() bool { return len(c.Missing) == 0 }

// article is a source's paragraphs, folded twice: key for names and
// locators (loader.NameKey: NFKC, simplified script, case, no punctuation or
// spaces), plain for numbers and dates (NFKC, simplified script, punctuation
// kept so that numbers in a list stay apart).
type article struct {
	key, plain []string
}

// pinyinGloss matches the readings some articles print after each character
// ("園區(qū)"): lower-case Latin letters with tone marks in brackets. They are
// not part of the text; "(海淀)" and "(IASP)" are, and stay.
var pinyinGloss = regexp.MustCompile(`\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)`)

// thousands joins digit groups ("2,000" is 2000).
var thousands = regexp.MustCompile(`(\d)[,，](\d{3})`)

// readArticle reads a source article: paragraph N is its Nth non-blank line
// (data/README.md, "Citations").
func readArticle(path string) (*article, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	a := &article{}
	for line := range strings.SplitSeq(string(b), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		line = pinyinGloss.ReplaceAllString(line, "")
		a.key = append(a.key, NameKey(line, true))
		plain := strings.ToLower(opencc.ToSimplified(names.Clean(line)))
		a.plain = append(a.plain, thousands.ReplaceAllString(plain, "$1$2"))
	}
	return a, nil
}

// VerifySources checks every fact of ds against the source articles in dir
// (each source's File): that each locator of a citation stands in the
// paragraphs it cites, and that the fact's names, numbers and dates stand in
// the paragraphs of its citations:
//
//   - organisation: its name, English name or an alias;
//   - agreement: every party's name, its date, and the number of each
//     figure it is counted in by a stated link;
//   - relation: both ends' names (an organisation or a programme), its date;
//   - reported figure: its value (digits, Chinese numerals, 成 and 分之一
//     for percentages) and each country it names (by a Chinese name);
//   - event, programme: only that the paragraphs exist and the locators.
//
// Agreements, relations and figures need at least one locator. Script
// (traditional/simplified), width (full/half) and spacing never matter.
// A date YYYY-MM-DD is found as "M月D日", YYYY-MM as "M月", YYYY as the year.
// The result is in the dataset's order (kind, then ID). The error is for a
// source file that cannot be read, naming it; a source without a file is a
// miss of each fact citing it.
func VerifySources(ctx context.Context, ds *graph.Dataset, dir string) ([]SourceCheck, error) {
	arts := map[string]*article{}
	for _, s := range ds.SortedSources() {
		if s.File == "" {
			continue
		}
		a, err := readArticle(filepath.Join(dir, s.File))
		if err != nil {
			return nil, fmt.Errorf("source %s: reading its article: %w", s.ID, err)
		}
		arts[s.ID] = a
	}
	countries, err := NewCountries(nil)
	if err != nil {
		return nil, err
	}
	v := &verifier{ds: ds, arts: arts, countries: countries}
	var out []SourceCheck
	add := func(c SourceCheck) { out = append(out, c) }
	for _, o := range ds.SortedOrganizations() {
		c, text := v.check("organization", o.ID, o.Grade(), o.Sources, false)
		if !v.named(text, orgNames(o)) {
			c.Missing = append(c.Missing, "name "+o.Name)
		}
		add(c)
	}
	for _, a := range ds.SortedAgreements() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c, text := v.check("agreement", a.ID, a.Grade(), a.Sources, true)
		var found [][]string
		for _, p := range a.Parties {
			if o := ds.Organizations[p.Org]; o != nil {
				if v.named(text, orgNames(o)) {
					found = append(found, orgNames(o))
				} else {
					c.Missing = append(c.Missing, "party "+o.Name)
				}
			}
		}
		if len(found) == len(a.Parties) && !together(text.key, found) {
			c.Missing = append(c.Missing, fmt.Sprintf("the parties named together (within %d characters of each other)", partyGap))
		}
		if a.Title != "" && !v.named(text, []string{a.Title}) {
			c.Missing = append(c.Missing, "title "+a.Title)
		}
		c.Missing = append(c.Missing, v.date(text, a.Date)...)
		for _, f := range a.CountedIn {
			if fig := ds.Figures[f]; fig != nil && a.LinkGrade(f).Grade() == graph.GradeStated && !v.number(text, fig.Value, fig.Unit) {
				c.Missing = append(c.Missing, fmt.Sprintf("number %g of %s", fig.Value, f))
			}
		}
		add(c)
	}
	for _, r := range ds.SortedRelations() {
		c, text := v.check("relation", r.Type+":"+r.From+"->"+r.To, r.Grade(), r.Sources, true)
		for _, end := range []string{r.From, r.To} {
			var ns []string
			if o := ds.Organizations[end]; o != nil {
				ns = orgNames(o)
			} else if p := ds.Programmes[end]; p != nil {
				ns = []string{p.Name, p.NameEN}
			}
			if !v.named(text, ns) {
				c.Missing = append(c.Missing, "name of "+end)
			}
		}
		c.Missing = append(c.Missing, v.date(text, r.Date)...)
		add(c)
	}
	for _, f := range ds.SortedFigures() {
		c, text := v.check("figure", f.ID, f.Grade(), f.Sources, true)
		if !v.number(text, f.Value, f.Unit) {
			c.Missing = append(c.Missing, fmt.Sprintf("number %g", f.Value))
		}
		for _, code := range f.Countries {
			if !v.named(text, countries.hanNames(code)) {
				c.Missing = append(c.Missing, "country "+code)
			}
		}
		add(c)
	}
	for _, e := range ds.SortedEvents() {
		c, _ := v.check("event", e.ID, "", e.Sources, false)
		add(c)
	}
	for _, p := range ds.SortedProgrammes() {
		c, _ := v.check("programme", p.ID, "", p.Sources, false)
		add(c)
	}
	return out, nil
}

type verifier struct {
	ds        *graph.Dataset
	arts      map[string]*article
	countries *Countries
}

// cited is the text of a fact's cited paragraphs, both foldings.
type cited struct{ key, plain string }

// check resolves a fact's citations: each paragraph exists and holds the
// citation's locators. It returns the check so far and the cited text.
func (v *verifier) check(kind, id string, g graph.Grade, cs []graph.Citation, needLocator bool) (SourceCheck, cited) {
	c := SourceCheck{Kind: kind, ID: id, Grade: g, Sources: cs}
	var key, plain strings.Builder
	locators := 0
	if len(cs) == 0 {
		c.Missing = append(c.Missing, "no citation")
	}
	for _, cit := range cs {
		a := v.arts[cit.Source]
		if a == nil {
			c.Missing = append(c.Missing, "no article file for source "+cit.Source)
			continue
		}
		if len(cit.Paragraphs) == 0 {
			c.Missing = append(c.Missing, "no paragraph in "+cit.Source)
		}
		var here strings.Builder
		for _, p := range cit.Paragraphs {
			if p < 1 || p > len(a.key) {
				c.Missing = append(c.Missing, fmt.Sprintf("%s#%d: the article has %d paragraphs", cit.Source, p, len(a.key)))
				continue
			}
			here.WriteString(a.key[p-1] + "\n")
			plain.WriteString(a.plain[p-1] + "\n")
		}
		key.WriteString(here.String())
		for _, l := range cit.Locators {
			locators++
			if k := NameKey(l, true); k == "" || !strings.Contains(here.String(), k) {
				c.Missing = append(c.Missing, fmt.Sprintf("locator %q not in %s", l, cit))
			}
		}
	}
	if needLocator && locators == 0 {
		c.Missing = append(c.Missing, "no locator")
	}
	return c, cited{key.String(), plain.String()}
}

func orgNames(o *graph.Organization) []string {
	return append([]string{o.Name, o.NameEN}, o.Aliases...)
}

// named reports whether one of the names stands in the text.
func (v *verifier) named(text cited, ns []string) bool {
	return slices.ContainsFunc(ns, func(n string) bool {
		k := NameKey(n, true)
		return k != "" && strings.Contains(text.key, k)
	})
}

// partyGap is how far apart, in characters of the folded text, the names of
// an agreement's parties may stand: "A与B", "A与印度尼西亚B", "A还联合B、C".
// A partner swapped for another named in the same paragraph is then not
// found.
const partyGap = 12

// together reports whether the parties (each a list of names) are named
// close together: every party within partyGap characters of another, all
// linked.
func together(text string, parties [][]string) bool {
	type span struct{ start, end int }
	occ := make([][]span, len(parties))
	rs := []rune(text)
	for i, ns := range parties {
		for _, n := range ns {
			k := []rune(NameKey(n, true))
			if len(k) == 0 {
				continue
			}
			for j := 0; j+len(k) <= len(rs); j++ {
				if string(rs[j:j+len(k)]) == string(k) {
					occ[i] = append(occ[i], span{j, j + len(k)})
				}
			}
		}
	}
	near := func(a, b int) bool {
		for _, x := range occ[a] {
			for _, y := range occ[b] {
				gap := max(y.start-x.end, x.start-y.end)
				if gap <= partyGap && !strings.ContainsRune(string(rs[min(x.start, y.start):max(x.end, y.end)]), '\n') {
					return true
				}
			}
		}
		return false
	}
	linked := map[int]bool{0: true}
	for changed := true; changed; {
		changed = false
		for i := range parties {
			if linked[i] {
				continue
			}
			for j := range linked {
				if near(i, j) {
					linked[i], changed = true, true
					break
				}
			}
		}
	}
	return len(linked) == len(parties)
}

// date says what of a fact's date the text lacks.
func (v *verifier) date(text cited, d string) []string {
	if d == "" {
		return nil
	}
	parts := strings.Split(d, "-")
	var want string
	switch len(parts) {
	case 1:
		if hasNumber(text.plain, parts[0]) {
			return nil
		}
		want = parts[0]
	case 2:
		m, _ := strconv.Atoi(parts[1])
		want = fmt.Sprintf("%d月", m)
	default:
		m, _ := strconv.Atoi(parts[1])
		day, _ := strconv.Atoi(parts[2])
		want = fmt.Sprintf("%d月%d日", m, day)
	}
	if i := strings.Index(text.plain, want); i >= 0 && (i == 0 || !isDigitBefore(text.plain[:i])) {
		return nil
	}
	return []string{"date " + d}
}

func isDigitBefore(s string) bool {
	r := []rune(s)
	return len(r) > 0 && unicode.IsDigit(r[len(r)-1])
}

// number reports whether the text gives the value in one of the forms
// articles write it in: digits (not part of a longer number), Chinese
// numerals below 100 (四十二) and 千 for 1000, and for a percentage also
// tenths (四成) and unit fractions (四分之一).
func (v *verifier) number(text cited, value float64, unit string) bool {
	s := strconv.FormatFloat(value, 'f', -1, 64)
	if hasNumber(text.plain, s) {
		return true
	}
	var forms []string
	n := int(value)
	if float64(n) == value {
		if z := chineseNumeral(n); z != "" {
			forms = append(forms, z)
		}
		if unit == "percent" {
			if n%10 == 0 && n > 0 && n < 100 {
				forms = append(forms, chineseNumeral(n/10)+"成")
			}
			for d := 2; d <= 10; d++ {
				if 100%d == 0 && 100/d == n {
					forms = append(forms, chineseNumeral(d)+"分之一")
				}
			}
			if n == 50 {
				forms = append(forms, "一半")
			}
		}
	}
	return slices.ContainsFunc(forms, func(f string) bool { return strings.Contains(text.plain, f) })
}

// hasNumber finds the digits s in text as a whole number: no digit right
// before or after.
func hasNumber(text, s string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], s)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(s)
		before := start > 0 && text[start-1] >= '0' && text[start-1] <= '9'
		after := end < len(text) && text[end] >= '0' && text[end] <= '9'
		if !before && !after {
			return true
		}
		i = start + 1
	}
}

// chineseNumeral writes 1..99 as Chinese numerals (七, 十二, 四十二) and
// 1000 as 千 (千余, 近千); "" for other values.
func chineseNumeral(n int) string {
	d := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n == 1000:
		return "千"
	case n <= 0 || n >= 100:
		return ""
	case n < 10:
		return d[n]
	case n < 20:
		return "十" + d[n%10]
	}
	return d[n/10] + "十" + d[n%10]
}

// ErrNotFound is returned (wrapped) by VerifyFailed when a check failed.
var ErrNotFound = errors.New("facts not found in their sources")

// VerifyFailed returns an error counting the failed checks, or nil.
func VerifyFailed(checks []SourceCheck) error {
	n := 0
	for _, c := range checks {
		if !c.Found() {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return fmt.Errorf("%d of %d: %w", n, len(checks), ErrNotFound)
}
