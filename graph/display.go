package graph

import (
	"strings"
	"unicode"
)

// Languages of display names: LangZH puts the name as the data give it
// (Chinese for Chinese parties) first, LangEN the English name.
const (
	LangZH = "zh"
	LangEN = "en"
)

// DisplayName is the one rule every output (exports, report, Neo4j Browser
// captions) labels a node by, so that no label is ever empty: in LangEN the
// English name, else the name, else the short name; in LangZH (and any other
// value) the name, else the English name, else the short name; without any
// name, the ID with its kind (IDKind): "PIC 999640007", "Organization acme".
// Names are trimmed of spaces; an empty id gives kind alone.
func DisplayName(lang, name, nameEN, short, kind, id string) string {
	name, nameEN, short = strings.TrimSpace(name), strings.TrimSpace(nameEN), strings.TrimSpace(short)
	first, second := name, nameEN
	if lang == LangEN {
		first, second = nameEN, name
	}
	for _, s := range []string{first, second, short} {
		if s != "" {
			return s
		}
	}
	if id == "" {
		return kind
	}
	if kind == "" {
		return id
	}
	return kind + " " + id
}

// IDKind is the kind of ID a node of label carries, for DisplayName: "PIC"
// for an organisation whose ID is nine digits (the EU's Participant
// Identification Code, which CORDIS participation data name organisations
// by), else the label ("Organization", "Agreement", ...).
func IDKind(label, id string) string {
	if label == LabelOrganization && isPIC(id) {
		return "PIC"
	}
	return label
}

func isPIC(id string) bool {
	if len(id) != 9 {
		return false
	}
	for i := range len(id) {
		if id[i] < '0' || id[i] > '9' {
			return false
		}
	}
	return true
}

// agreementTypeNames are the agreement types (AgreementTypes) in English and Chinese.
var agreementTypeNames = map[string][2]string{
	"mou":                   {"MoU", "谅解备忘录"},
	"cooperation_agreement": {"cooperation agreement", "合作协议"},
	"strategic_cooperation": {"strategic cooperation", "战略合作"},
	"pairing":               {"pairing", "结对"},
	"twinning":              {"twinning", "友好城市"},
	"project":               {"project", "项目"},
	"other":                 {"agreement", "协议"},
}

// AgreementTypeName is an agreement type in lang ("MoU", "谅解备忘录"); a
// type outside AgreementTypes as given.
func AgreementTypeName(lang, typ string) string {
	n, ok := agreementTypeNames[typ]
	switch {
	case !ok:
		return typ
	case lang == LangEN:
		return n[0]
	}
	return n[1]
}

// AgreementCaption is how an agreement is labelled: its type and date
// ("MoU 2019-06-12", "谅解备忘录 2019-06-12"); undated, its type and title
// ("agreement 政企联席会"), else its type and ID (which names the parties of
// a pairs table's agreement: "twinning pair:fr:paris|it:rome|twinning");
// never empty.
func AgreementCaption(lang, typ, date, title, id string) string {
	t := AgreementTypeName(lang, typ)
	if t == "" {
		t = AgreementTypeName(lang, "other")
	}
	for _, s := range []string{date, strings.TrimSpace(title), id} {
		if s != "" {
			return t + " " + s
		}
	}
	return t
}

// Caption is the display name of a property-graph node in lang, from the
// properties the View writes: agreements by AgreementCaption (type, date,
// title, id), countries by their Chinese or English name (name_zh and name in the
// full view, name and name_en in the country network), other nodes with a name_zh
// (reported figures) by it in LangZH, the rest by DisplayName over
// name, name_en and short_name with the node's IDKind. label is the node's
// first label; key its own key (the "id" property, or the node ID).
func Caption(lang, label, key string, props []Prop) string {
	str := func(k string) string {
		s, _ := Get(props, k).(string)
		return s
	}
	switch label {
	case LabelAgreement:
		return AgreementCaption(lang, str("type"), str("date"), str("name"), key)
	case LabelCountry:
		// The full view's countries have name (English) and name_zh; the
		// country network's (analysis levels) name (Chinese) and name_en,
		// as organisations have, below.
		if zh := str("name_zh"); zh != "" {
			return DisplayName(lang, zh, str("name"), "", label, key)
		}
		return DisplayName(lang, str("name"), str("name_en"), "", label, key)
	}
	if zh := str("name_zh"); zh != "" && lang != LangEN {
		return zh // a reported figure's description in Chinese
	}
	return DisplayName(lang, str("name"), str("name_en"), str("short_name"), IDKind(label, key), key)
}

// WrapWidth is the widest piece BrowserCaption leaves between two break
// opportunities, in half-width units (a CJK character is 2, other
// characters 1): the 8 CJK characters a line of an Organization node holds
// in collabnet's Neo4j Browser style (80 px wide at font size 9 px,
// queries/collabnet.grass).
const WrapWidth = 16

// captionWords are common words of Chinese organisation and event names,
// generic heads first ("产业园", "有限公司") and then frequent modifiers
// ("国际", "中关村"): BrowserCaption prefers to break a long run before or
// after one of them, so that a line ends where a reader expects a word to
// end ("中关村工业互联网 产业园").
var captionWords = []string{
	"管理委员会", "有限公司", "研究中心", "发展中心", "产业园区", "科技园区", "创新园区", "创新区域",
	"产业园", "科技园", "工业园", "基金会", "委员会", "研究院", "研究所", "促进会", "促进局",
	"孵化器", "实验室", "开发区", "高新区", "互联网", "机器人", "中关村",
	"大学", "学院", "协会", "中心", "园区", "论坛", "大会", "年会", "公司", "集团", "倡议", "会议",
	"国际", "国家", "中国", "北京", "世界", "科技", "创新", "发展", "产业", "工业", "信息", "安全",
	"技术", "交易", "合作", "设计", "文化", "医疗", "网络", "生物", "数字", "领先", "未来", "城市",
}

// BrowserCaption is caption with spaces at break opportunities in its runs of
// Chinese, Japanese or Korean characters, for Neo4j Browser, which breaks a
// node's caption into lines only at spaces (so "中关村工业互联网产业园",
// without one, is cut to the few characters one line holds) and joins the
// words of a line with a space. It breaks before "(", "（" and "“", after
// ")", "）", "”", "、" and "，", between Latin letters and CJK characters, and
// cuts a piece wider than WrapWidth at the last boundary of a captionWord
// that fits, else where the width runs out. Text with no CJK character is
// returned as it is.
func BrowserCaption(caption string) string {
	if !hasCJK(caption) {
		return caption
	}
	var words []string
	for _, w := range strings.Fields(caption) {
		for _, seg := range splitAtMarks(w) {
			words = append(words, splitLong([]rune(seg))...)
		}
	}
	return strings.Join(words, " ")
}

func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF) || r == '“' || r == '”'
}

func hasCJK(s string) bool {
	for _, r := range s {
		if isCJK(r) {
			return true
		}
	}
	return false
}

// runeWidth is r's width in half-width units: 2 for CJK characters.
func runeWidth(r rune) int {
	if isCJK(r) {
		return 2
	}
	return 1
}

func isLatin(r rune) bool { return r < 0x2E80 && unicode.IsLetter(r) }

// splitAtMarks splits a word without spaces at brackets, quotation marks,
// enumeration commas and between Latin letters and CJK characters.
func splitAtMarks(w string) []string {
	var out []string
	rs := []rune(w)
	start := 0
	for i, r := range rs {
		if i == 0 {
			continue
		}
		p := rs[i-1]
		if strings.ContainsRune("(（“", r) || strings.ContainsRune(")）”、，", p) ||
			isLatin(p) && unicode.Is(unicode.Han, r) || unicode.Is(unicode.Han, p) && isLatin(r) {
			out = append(out, string(rs[start:i]))
			start = i
		}
	}
	return append(out, string(rs[start:]))
}

// splitLong cuts a piece wider than WrapWidth at the last captionWords
// boundary that fits, else where the width runs out.
func splitLong(rs []rune) []string {
	width := func(rs []rune) int {
		n := 0
		for _, r := range rs {
			n += runeWidth(r)
		}
		return n
	}
	if width(rs) <= WrapWidth {
		return []string{string(rs)}
	}
	s := string(rs)
	// Boundaries of the words found, except those inside another word
	// found ("科技" in "科技园").
	boundary, inside := map[int]bool{}, map[int]bool{}
	for _, w := range captionWords {
		for off := 0; ; {
			i := strings.Index(s[off:], w)
			if i < 0 {
				break
			}
			b, n := len([]rune(s[:off+i])), len([]rune(w))
			boundary[b], boundary[b+n] = true, true
			for j := b + 1; j < b+n; j++ {
				inside[j] = true
			}
			off += i + len(w)
		}
	}
	for b := range inside {
		delete(boundary, b)
	}
	// The widest prefix that fits, and the last word boundary within it.
	fit, last := 0, 0
	for w := 0; fit < len(rs) && w+runeWidth(rs[fit]) <= WrapWidth; fit++ {
		w += runeWidth(rs[fit])
		if boundary[fit+1] {
			last = fit + 1
		}
	}
	cut := fit
	if last >= fit/2 {
		cut = last
	}
	return append([]string{string(rs[:cut])}, splitLong(rs[cut:])...)
}

// tableSourceNames are the kinds of table inputs a Source stands for, in
// English and Chinese.
var tableSourceNames = map[string][2]string{
	"participations": {"participations table", "项目参与表"},
	"pairs":          {"pairs table", "合作方配对表"},
}

// TableSourceTitle is the title of the Source that stands for a table input
// of format ("participations" or "pairs") read from file (and sheet, of a
// workbook read sheet by sheet; "" for none), in lang: "participations
// table h2020.csv", "pairs table towns.xlsx, sheet 2024", "项目参与表
// h2020.csv". The loader stores the English one.
func TableSourceTitle(lang, format, file, sheet string) string {
	n := tableSourceNames[format]
	if lang == LangEN {
		if sheet != "" {
			return n[0] + " " + file + ", sheet " + sheet
		}
		return n[0] + " " + file
	}
	if sheet != "" {
		return n[1] + " " + file + "，工作表 " + sheet
	}
	return n[1] + " " + file
}

// SourceTitle is a source's title in lang: the title the loader gave a
// table input (TableSourceTitle in English) in lang, any other title as the
// source gives it.
func SourceTitle(lang string, s *Source) string {
	if s.File == "" {
		return s.Title
	}
	for f := range tableSourceNames {
		if s.Title == TableSourceTitle(LangEN, f, s.File, "") {
			return TableSourceTitle(lang, f, s.File, "")
		}
		if sheet, ok := strings.CutPrefix(s.Title, TableSourceTitle(LangEN, f, s.File, "")+", sheet "); ok {
			return TableSourceTitle(lang, f, s.File, sheet)
		}
	}
	return s.Title
}
