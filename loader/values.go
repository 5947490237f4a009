package loader

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/collabnet/collabnet/internal/names"
)

// missingMarkers are what exports write for "no value", compared without
// regard to case: R and pandas (NA, NaN, <NA>), Excel (#N/A, #NULL!, the
// "(blank)" of pivot tables), databases (NULL, nil, None), and what people
// type (N/A, n.a., -, --, dashes, ?). README.md, "Inputs", lists them.
var missingMarkers = map[string]bool{
	"": true, "na": true, "n/a": true, "n.a.": true, "n.a": true, "#n/a": true, "<na>": true,
	"null": true, "#null!": true, "nil": true, "none": true, "nan": true, "(blank)": true,
	"-": true, "--": true, "\u2013": true, "\u2014": true, "?": true, "/": true,
	// Chinese office sheets: none, none yet, unknown (simplified and traditional).
	"无": true, "暂无": true, "不详": true, "未知": true, "無": true, "暫無": true, "不詳": true,
}

// placeholderNames are what people and exports write where a partner's
// name is not known yet, besides the missing-value markers: unknown, to be
// determined/confirmed/announced, anonymous, and in Chinese 待定 (to be
// fixed), 未定, 不明 (unclear), 暂缺 (wanting), 空 (empty), 匿名, 保密
// (confidential), 某单位/某公司 (a certain organisation). As a name, each
// would make one organisation of every row that writes it, the hub of the
// network. Compared after isPlaceholderName's folding.
var placeholderNames = map[string]bool{
	"unknown": true, "unk": true, "tbd": true, "tbc": true, "tba": true, "to be determined": true,
	"to be confirmed": true, "to be announced": true, "anonymous": true, "not known": true, "not available": true,
	"not applicable": true, "missing": true, "blank": true, "empty": true, "x": true, "xx": true, "xxx": true,
	"待定": true, "未定": true, "不明": true, "暂缺": true, "空": true, "匿名": true, "保密": true, "某单位": true,
	"某公司": true, "某机构": true, "待定單位": true, "待定单位": true, "未知单位": true, "暫缺": true,
}

// isPlaceholderName reports whether a cleaned name is a placeholder: a
// missing-value marker or one of placeholderNames, compared in lower case
// without the brackets and punctuation around it ("(none)", "<unknown>",
// "n/a.", "【待定】").
func isPlaceholderName(name string) bool {
	if len(name) > 32 {
		return false
	}
	f := strings.ToLower(strings.TrimFunc(name, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r) }))
	return placeholderNames[f] || isMissing(f) || isMissing(strings.TrimRight(strings.ToLower(name), "."))
}

// lostCharacters reports whether a name shows the question marks that
// stand for characters an encoding could not hold, when a sheet with
// Chinese or accented names was saved as an 8-bit CSV (Excel's "CSV (Comma
// delimited)" on Western Windows, LibreOffice in an ASCII locale): two in a
// row ("??? Science Park") or one before a letter or digit ("Z?rich",
// "?cole"). Such names would match every other name that lost the same
// number of characters. A question mark ending a word ("Who? Labs") is
// left alone.
func lostCharacters(s string) bool {
	if strings.IndexByte(s, '?') < 0 {
		return false
	}
	if strings.Contains(s, "??") {
		return true
	}
	for i := 0; i < len(s)-1; i++ {
		if s[i] != '?' {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(s[i+1:]); unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

const lostCharactersMsg = "question marks where characters were lost: the file was saved in an encoding without them (Excel's \"CSV (Comma delimited)\" on Western Windows writes ? for each Chinese or accented letter it cannot hold); save it as \"CSV UTF-8\" or as .xlsx, and load that"

// listsSeveral reports whether a name cell lists several organisations as
// Chinese writes a list: names separated by the enumeration comma 、
// (which no name holds), or by a full-width comma or semicolon between
// Chinese names (清华大学，北京大学). ASCII commas and semicolons are left
// alone: names hold them ("University of California, Berkeley"). An
// organisation the native files name so (北京市科学技术委员会、中关村科技园区管理委员会,
// one body with two names) is not a list: the readers ask only about
// names no organisation has.
func listsSeveral(s string) bool {
	if isASCII(s) {
		return false
	}
	han := func(p string) bool {
		return strings.ContainsFunc(p, func(r rune) bool { return unicode.Is(unicode.Han, r) })
	}
	for _, sep := range []string{"、", "，", "；"} {
		parts := strings.Split(s, sep)
		if len(parts) < 2 {
			continue
		}
		several := true
		for _, p := range parts {
			if p = strings.TrimSpace(p); p == "" || (sep != "、" && !han(p)) {
				several = false
			}
		}
		if several {
			return true
		}
	}
	return false
}

// isMissing reports whether a (trimmed) cell is a missing-value marker,
// after NFKC (so that the full-width ／ and Ｎ/Ａ are markers too).
func isMissing(s string) bool {
	if len(s) > 7 {
		// Longer markers are ASCII, or full-width forms (ＮＵＬＬ), whose
		// first byte is not.
		if len(s) <= 24 && s[0] >= 0x80 {
			return missingMarkers[strings.ToLower(names.Clean(s))]
		}
		return false
	}
	// Lower-cased on the stack: this runs for most cells of every row.
	var buf [7]byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return missingMarkers[strings.ToLower(names.Clean(s))]
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return missingMarkers[string(buf[:len(s)])]
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// hasLetterOrDigit reports whether s has a letter or a digit (any script):
// a name without one ("..", "……", "？？", "***") identifies nothing.
func hasLetterOrDigit(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsNumber(r) {
			return true
		}
	}
	return false
}

// canonicalID is the one form of an identifier cell (PIC, project ID)
// that IDs are compared in (README.md, "Identifiers"):
//   - NFKC (full-width digits ９９９ are 999), invisible characters removed,
//     spaces trimmed;
//   - an integer written with a zero fraction, as pandas writes an integer
//     column with a gap (999640007.0), is the integer;
//   - a missing-value marker, or a value without a letter or digit, is no
//     ID ("").
//
// An ID that Excel has visibly damaged is an error: scientific notation
// (9.11101E+17), more than 15 digits ending in zeros (Excel keeps 15
// significant digits), an Excel error value (#VALUE!, #REF!, ...) or a
// cell too narrow to show (####).
func canonicalID(s string) (string, error) {
	if s != "" && s[0] != '0' && allDigits(s) && len(s) <= 15 {
		return s, nil // the common case: a plain number
	}
	if isASCII(s) {
		s = strings.TrimSpace(s)
	} else {
		s = names.Clean(s)
	}
	if isMissing(s) || !hasLetterOrDigit(s) {
		if strings.Trim(s, "#") == "" && s != "" {
			return "", fmt.Errorf("the cell shows #### (too narrow to show its value in Excel); %s", keepIDsAsText)
		}
		return "", nil
	}
	if i := strings.IndexByte(s, '.'); i > 0 && i < len(s)-1 && allDigits(s[:i]) && strings.Trim(s[i+1:], "0") == "" {
		s = s[:i]
	}
	// A spreadsheet's number format written out with the value (Excel and
	// LibreOffice save a CSV as the cells show): a zero fraction after a
	// decimal comma (999640007,00; not 1,000, which is a thousand), and
	// thousands separators in two groups or more (999,640,007, 999.640.007,
	// 999 640 007, 999'640'007), which nothing else writes.
	if i := strings.IndexByte(s, ','); i > 0 && i < len(s)-1 && allDigits(s[:i]) && strings.Trim(s[i+1:], "0") == "" && (i > 3 || len(s)-i-1 != 3) {
		s = s[:i]
	}
	// The regular expressions only after a cheap test of the characters
	// they need: most IDs that get this far (project codes such as
	// 12345c1 or H2020-MSCA-7) have none, and three regular expressions a
	// row took 6% of a whole analyze run's CPU on such IDs.
	if s[0] >= '0' && s[0] <= '9' && strings.ContainsAny(s, ",.' \u2019") {
		if m := groupedRE.FindStringSubmatchIndex(s); m != nil {
			if r := strings.ReplaceAll(s, s[m[2]:m[3]], ""); allDigits(r) { // one separator throughout
				s = r
			}
		}
	}
	switch {
	case strings.ContainsAny(s, "eE") && sciRE.MatchString(s):
		return "", fmt.Errorf("an ID in scientific notation has lost its digits (Excel or pandas wrote a long number as a float); %s", keepIDsAsText)
	case len(s) > 15 && allDigits(s) && strings.Trim(s[15:], "0") == "":
		return "", fmt.Errorf("an ID of %d digits ending in zeros: Excel keeps only 15 significant digits of a number and fills the rest with zeros; %s", len(s), keepIDsAsText)
	case isSpreadsheetError(s):
		return "", fmt.Errorf("an Excel error value, not an ID; fix the formula or type the ID")
	}
	return s, nil
}

const keepIDsAsText = "keep IDs as text: in Excel format the column as Text before pasting or typing (or import the CSV with the column as Text), in pandas read with dtype=str, then export again"

var (
	groupedRE = regexp.MustCompile(`^[0-9]{1,3}([,.' \x{2019}])[0-9]{3}([,.' \x{2019}][0-9]{3})+$`)
	sciRE     = regexp.MustCompile(`^[+-]?[0-9]+([.,][0-9]+)?[eE][+-]?[0-9]+$`)
)

// spreadsheetErrorRE is the shape of the error values spreadsheet programs
// write into a cell whose formula failed, in every language Excel writes
// them in (#REF!, #VALUE!, #NAME?, #DIV/0!, #SPILL!; German #WERT!, #BEZUG!,
// #NV; French #VALEUR!, #NOM?; Spanish #¡VALOR!, #¿NOMBRE?), Google Sheets'
// #ERROR! and LibreOffice's Err:502: a # and capitals ending in ! or ?.
var spreadsheetErrorRE = regexp.MustCompile(`^#[¡¿]?\p{Lu}[\p{Lu}/0-9_]*[!?]$|^#NV$|^#GETTING_DATA$|^Err:[0-9]{3}$`)

// isSpreadsheetError reports whether a trimmed cell is a spreadsheet's
// error value. #N/A and #NULL! are missing-value markers instead (a lookup
// that found nothing means "no value"), as README.md says.
func isSpreadsheetError(s string) bool {
	if len(s) < 2 || len(s) > 20 || (s[0] != '#' && !strings.HasPrefix(s, "Err:")) {
		return false // what the expression's first characters rule out
	}
	return !isMissing(s) && spreadsheetErrorRE.MatchString(s)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// countryCell is a country cell with the markers taken out: the two letters
// NA are Namibia's ISO code there, every other marker means "not known".
func countryCell(s string) string {
	if strings.EqualFold(s, "NA") {
		return s
	}
	if isMissing(s) {
		return ""
	}
	return s
}

// DateExcelSerial is the --date-format value that reads Excel's serial day
// numbers (43586 is 2019-05-01).
const DateExcelSerial = "excel-serial"

// dateParser reads table dates: always ISO 8601 (YYYY, YYYY-MM, YYYY-MM-DD,
// or a date and time, of which the date is kept), and the layouts the user
// names with --date-format (DD/MM/YYYY style, or excel-serial).
type dateParser struct {
	layouts []dateLayout
	serial  bool
}

// dateLayout is one --date-format layout: as the user wrote it, as a Go
// layout, and its one-or-two-digit form (D/M/YYYY for DD/MM/YYYY), which is
// only suggested, never read, so that DD means two digits.
type dateLayout struct {
	name, layout     string
	loose, looseName string // "" when the layout has no DD or MM
}

func newDateParser(formats []string) (*dateParser, error) {
	p := &dateParser{}
	for _, f := range formats {
		f = strings.TrimSpace(f)
		switch {
		case f == "":
		case strings.EqualFold(f, DateExcelSerial):
			p.serial = true
		default:
			layout, err := goLayout(f)
			if err != nil {
				return nil, err
			}
			dl := dateLayout{name: f, layout: layout}
			if ln := strings.NewReplacer("DD", "D", "MM", "M").Replace(f); ln != f {
				dl.looseName = ln
				dl.loose, _ = goLayout(ln) // the same tokens, shorter
			}
			p.layouts = append(p.layouts, dl)
		}
	}
	return p, nil
}

// goLayout turns DD/MM/YYYY (tokens YYYY, YY, MM, M, DD, D) into a Go layout.
func goLayout(f string) (string, error) {
	var b strings.Builder
	hasY, hasM, hasD := false, false, false
	for i := 0; i < len(f); {
		rest := f[i:]
		switch {
		case strings.HasPrefix(rest, "YYYY"):
			b.WriteString("2006")
			i, hasY = i+4, true
		case strings.HasPrefix(rest, "YY"):
			b.WriteString("06")
			i, hasY = i+2, true
		case strings.HasPrefix(rest, "MM"):
			b.WriteString("01")
			i, hasM = i+2, true
		case strings.HasPrefix(rest, "M"):
			b.WriteString("1")
			i, hasM = i+1, true
		case strings.HasPrefix(rest, "DD"):
			b.WriteString("02")
			i, hasD = i+2, true
		case strings.HasPrefix(rest, "D"):
			b.WriteString("2")
			i, hasD = i+1, true
		case strings.ContainsRune("/.-: ", rune(f[i])):
			b.WriteByte(f[i])
			i++
		case strings.HasPrefix(rest, "年"), strings.HasPrefix(rest, "月"), strings.HasPrefix(rest, "日"):
			b.WriteString(rest[:len("年")]) // Chinese and Japanese dates: 2025年9月17日
			i += len("年")
		default:
			return "", fmt.Errorf("date format %q: use YYYY, MM, DD (or YY, M, D) with / . - separators (or 年 月 日), e.g. DD/MM/YYYY, or %s", f, DateExcelSerial)
		}
	}
	if !hasY || !hasM || !hasD {
		return "", fmt.Errorf("date format %q: needs a year, a month and a day (e.g. DD/MM/YYYY)", f)
	}
	return b.String(), nil
}

// parse returns the ISO form of a date cell ("" for a missing value) or an
// error message for the problem. A value that the named layouts read as
// different dates (01/02/2023 under DD/MM/YYYY and MM/DD/YYYY) is an error:
// which one the file means is not ours to guess.
func (p *dateParser) parse(v string) (string, error) {
	if isMissing(v) {
		return "", nil
	}
	v = narrow(v)
	if iso, ok := isoDate(v); ok {
		return iso, nil
	}
	var read []string // "2023-02-01 under DD/MM/YYYY", one per layout that reads v
	iso, differ := "", false
	got := func(d, name string) {
		if iso == "" {
			iso = d
		} else if d != iso {
			differ = true
		}
		read = append(read, d+" under "+name)
	}
	unreal := ""
	for _, l := range p.layouts {
		t, err := time.Parse(l.layout, v)
		switch {
		case err == nil:
			got(t.Format("2006-01-02"), l.name)
		case outOfRange(err) && unreal == "":
			unreal = l.name
		}
	}
	if p.serial {
		if d, ok := excelSerialDate(v); ok {
			got(d, DateExcelSerial)
		}
	}
	switch {
	case differ:
		return "", fmt.Errorf("ambiguous: %s; keep only the layout the file uses in --date-format", strings.Join(read, ", "))
	case iso != "":
		return iso, nil
	case unreal != "":
		return "", fmt.Errorf("not a real date (read as %s)", unreal)
	}
	for _, l := range p.layouts {
		if l.loose == "" {
			continue
		}
		_, err := time.Parse(l.loose, v)
		switch {
		case err == nil:
			return "", fmt.Errorf("does not match %s, whose DD and MM are two digits; name %s in --date-format to read one or two", l.name, l.looseName)
		case outOfRange(err):
			return "", fmt.Errorf("not a real date (read as %s)", l.looseName)
		}
	}
	if dateRE.MatchString(v) {
		return "", fmt.Errorf("not a real date")
	}
	if len(p.layouts) > 0 || p.serial {
		return "", fmt.Errorf("a date is YYYY, YYYY-MM, YYYY-MM-DD or one of the --date-format layouts (%s)%s", p.names(), suggestDateFormat(v))
	}
	if hint := suggestDateFormat(v); hint != "" {
		return "", fmt.Errorf("a date is YYYY, YYYY-MM or YYYY-MM-DD%s", hint)
	}
	return "", fmt.Errorf("a date is YYYY, YYYY-MM or YYYY-MM-DD; name another layout with --date-format (e.g. DD/MM/YYYY, or %s for Excel's day numbers)", DateExcelSerial)
}

// dateShapes are the layouts suggestDateFormat tries: the one-or-two-digit
// forms (D reads 9 and 09), so that a suggestion reads every value of its
// shape.
var dateShapes = []string{"YYYY/M/D", "YYYY.M.D", "YYYY-M-D", "YYYY年M月D日", "D/M/YYYY", "M/D/YYYY", "D.M.YYYY", "D-M-YYYY", "M-D-YYYY", "D/M/YY", "M/D/YY"}

// suggestDateFormat names the --date-format layouts that read v as a real
// date, from its shape: one ("; this looks like YYYY/M/D: use --date-format
// YYYY/M/D"), or several that read it as different days (1/2/2025: D/M/YYYY
// or M/D/YYYY, which the value alone cannot tell), or "" when none does.
// Never a layout that does not read v.
func suggestDateFormat(v string) string {
	var fits []string
	read := map[string]string{}
	for _, f := range dateShapes {
		layout, err := goLayout(f)
		if err != nil {
			continue
		}
		if t, err := time.Parse(layout, v); err == nil {
			fits = append(fits, f)
			read[f] = t.Format("2006-01-02")
		}
	}
	switch len(fits) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("; %s reads it as %s: name it with --date-format %s", fits[0], read[fits[0]], fits[0])
	}
	var alts []string
	for _, f := range fits {
		alts = append(alts, fmt.Sprintf("%s (%s)", f, read[f]))
	}
	return fmt.Sprintf("; it could be %s: the value alone cannot tell, name the one the file uses with --date-format (a day above 12 in other rows tells them apart)", strings.Join(alts, " or "))
}

// names lists the layouts named with --date-format.
func (p *dateParser) names() string {
	var ns []string
	for _, l := range p.layouts {
		ns = append(ns, l.name)
	}
	if p.serial {
		ns = append(ns, DateExcelSerial)
	}
	return strings.Join(ns, ", ")
}

// outOfRange reports whether time.Parse read every field but found no such
// day or month (31/02, 13 as a month): the value has the layout's shape.
func outOfRange(err error) bool {
	var pe *time.ParseError
	return errors.As(err, &pe) && strings.HasSuffix(pe.Message, "out of range")
}

// isoDate accepts YYYY, YYYY-MM and YYYY-MM-DD (real dates only), and a
// date with a time (2019-05-01T10:00:00, 2019-05-01 10:00:00), whose date it
// returns.
func isoDate(v string) (string, bool) {
	if len(v) > 10 && (v[10] == 'T' || v[10] == ' ') {
		for _, l := range []string{"2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04"} {
			if _, err := time.Parse(l, v); err == nil {
				return v[:10], true
			}
		}
		return "", false
	}
	return v, isoDay(v)
}

// isoDay checks YYYY, YYYY-MM and YYYY-MM-DD, real dates only, without
// allocating (it runs on every row of a table with dates).
func isoDay(v string) bool {
	num := func(s string) (int, bool) {
		n := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
			n = n*10 + int(s[i]-'0')
		}
		return n, true
	}
	if len(v) != 4 && len(v) != 7 && len(v) != 10 {
		return false
	}
	y, ok := num(v[:4])
	if !ok || len(v) == 4 {
		return ok
	}
	m, ok := num(v[5:7])
	if !ok || v[4] != '-' || m < 1 || m > 12 {
		return false
	}
	if len(v) == 7 {
		return true
	}
	d, ok := num(v[8:10])
	return ok && v[7] == '-' && d >= 1 && d <= time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// excelSerialDate reads Excel's day number (1900 date system: day 1 is
// 1900-01-01, and Excel counts a 29 February 1900 that never was, so serials
// from 61 on are days since 1899-12-30). A fraction is the time of day.
func excelSerialDate(v string) (string, bool) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 61 || f >= 2958466 || math.IsNaN(f) { // 2958465 is 9999-12-31
		return "", false
	}
	return excelEpoch.AddDate(0, 0, int(f)).Format("2006-01-02"), true
}

var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// parseNumber reads a number cell: a decimal point, or a decimal comma when
// the table's delimiter is not a comma (CORDIS's semicolon files written in
// a European locale).
func parseNumber(v string, comma rune) (float64, error) {
	v = narrow(v)
	f, err := strconv.ParseFloat(v, 64)
	if err == nil {
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return 0, fmt.Errorf("not a finite number")
		}
		return f, nil
	}
	if comma != ',' && strings.Count(v, ",") == 1 && !strings.Contains(v, ".") {
		if f, err2 := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64); err2 == nil && !math.IsInf(f, 0) {
			return f, nil
		}
	}
	return 0, fmt.Errorf("not a number")
}

// narrow is a number or date cell after NFKC, which writes the full-width
// digits and signs of a Chinese or Japanese sheet (２０２５年３月２７日,
// １２３４．５) as ASCII ones; an ASCII cell is returned as it is.
func narrow(v string) string {
	if isASCII(v) {
		return v
	}
	return names.Clean(v)
}

// foldCode is the form of an enumerated value (agreement type, organisation
// kind) we compare: lower case, ends trimmed, inner runs of spaces and
// hyphens an underscore, so that "MoU", " MOU " and "mou" are one type and
// "Science Park" is science_park.
func foldCode(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(strings.TrimSpace(s)), func(r rune) bool {
		return r == ' ' || r == '-' || r == '_' || r == '\t'
	}), "_")
}
