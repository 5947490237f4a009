package loader

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/collabnet/collabnet/internal/names"

	"github.com/saintfish/chardet"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// bomEncoding recognises a byte-order mark: UTF-8 (which spreadsheet
// programs write) or UTF-16 (Excel's "Unicode text"). It returns nil for no
// BOM. The decoders it returns drop the mark.
func bomEncoding(head []byte) (encoding.Encoding, string) {
	switch {
	case bytes.HasPrefix(head, utf8BOM):
		return nil, "utf-8" // read as it is, after the BOM
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "utf-16le"
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), "utf-16be"
	}
	return nil, ""
}

// namedEncoding looks up an --encoding value (WHATWG labels: utf-8,
// utf-16le, gb18030, gbk, big5, windows-1252, iso-8859-1, shift_jis, ...).
func namedEncoding(name string) (encoding.Encoding, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "utf-8", "utf8":
		return nil, nil // read as it is; a BOM, if any, is dropped
	case "utf-16", "utf16":
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), nil
	}
	e, err := htmlindex.Get(name)
	if err != nil {
		return nil, fmt.Errorf("encoding %q: not one we know; use e.g. utf-8, utf-16le, gb18030, big5, windows-1252", name)
	}
	return e, nil
}

// utf16NoBOM recognises UTF-16 without a byte-order mark from the NUL bytes
// that ASCII and Latin-1 characters have in it (a text file in any 8-bit
// encoding or UTF-8 has none): in UTF-16LE the odd bytes, in UTF-16BE the
// even ones. It returns the decoder and its name when at least half the
// characters have their NUL on one side and hardly any on the other, and the
// sample decodes to text without NULs or stray controls; otherwise, when
// there are NULs at all, it returns only the more likely name, as a hint.
func utf16NoBOM(head []byte) (e encoding.Encoding, name, hint string) {
	n := len(head) &^ 1
	var nul [2]int
	for i := 0; i < n; i++ {
		if head[i] == 0 {
			nul[i&1]++
		}
	}
	if nul[0]+nul[1] == 0 {
		return nil, "", ""
	}
	order, name := unicode.LittleEndian, "utf-16le"
	if nul[0] > nul[1] {
		order, name = unicode.BigEndian, "utf-16be"
	}
	hi, lo := max(nul[0], nul[1]), min(nul[0], nul[1])
	if hi*2 < n/2 || lo*10 > hi {
		return nil, "", name
	}
	e = unicode.UTF16(order, unicode.IgnoreBOM)
	text, err := e.NewDecoder().Bytes(head[:n])
	if err != nil {
		return nil, "", name
	}
	// The sample may end inside a surrogate pair.
	text = bytes.TrimSuffix(text, []byte(string(utf8.RuneError)))
	for _, r := range string(text) {
		if r == utf8.RuneError || (r < 0x20 && r != '\t' && r != '\n' && r != '\r') {
			return nil, "", name
		}
	}
	return e, name, ""
}

// detectEncoding guesses the encoding of a text file from its first bytes:
// a byte-order mark; else UTF-8 if they are valid UTF-8; else the most
// likely encoding by ICU's charset detector (saintfish/chardet, a Go port
// of ICU's CharsetDetector: byte n-gram statistics per language) among
// those it names that decode the bytes cleanly. Bytes that mix valid UTF-8
// characters with invalid ones are UTF-8 with damage, not another
// encoding: nil, and the file fails at its first bad cell with a
// suggestion. nil means UTF-8.
func detectEncoding(head []byte, eof bool) (encoding.Encoding, string, error) {
	if e, name := bomEncoding(head); name != "" {
		return e, name, nil
	}
	sample := head
	if !eof {
		// The sample may end inside a character.
		for i := 0; i < 3 && len(sample) > 0 && !utf8.Valid(sample); i++ {
			sample = sample[:len(sample)-1]
		}
	}
	if utf8.Valid(sample) {
		// Legacy bytes can be valid UTF-8 by accident: Slovak ášť in
		// windows-1250 (E1 9A 9D) is the Ogham ᚝, so Plášťovce read as
		// Pl᚝ovce. A single-byte reading that explains such names is
		// taken; anything less certain stays UTF-8.
		if isASCII(string(sample)) {
			return nil, "", nil
		}
		if name, err := plausibleReading(head, eof, "utf-8", nil, nil); err == nil && name != "utf-8" {
			return mustEncoding(name), name, nil
		}
		return nil, "", nil
	}
	if hasUTF8Multibyte(sample) {
		return nil, "", nil
	}
	// Lines that end in a lone CR are Excel for Mac's "CSV (Macintosh)",
	// which is written in Mac Roman (the detector does not know it: it took
	// Société for SociŽtŽ, windows-1252's reading); its Chinese files are Mac
	// Chinese, read as GB18030 below.
	if loneCR(sample) && !chineseRuns(sample) {
		return charmap.Macintosh, "macintosh", nil
	}
	results, err := chardet.NewTextDetector().DetectAll(sample)
	if err != nil {
		return nil, "", nil
	}
	// The detector runs its recognisers concurrently and returns ties in
	// the order they finished: the same two rows of Shift_JIS read as
	// Japanese in one run and as GB18030 in the next. Ties go in one order.
	slices.SortStableFunc(results, func(a, b chardet.Result) int {
		return cmp.Or(cmp.Compare(b.Confidence, a.Confidence), cmp.Compare(encodingRank(chardetLabels[a.Charset]), encodingRank(chardetLabels[b.Charset])), strings.Compare(a.Charset, b.Charset))
	})
	// The detector's candidates in its order, those that decode cleanly.
	// On a few lines its statistics are thin: where the bytes above 0x80
	// come in runs of pairs, as Chinese words do, and not one by one, as
	// accented letters do, a double-byte candidate goes first.
	// On a few lines its statistics are thin, and double-byte candidates
	// tie: the likelier for our users goes first (doubleByte's order; Big5
	// before GB18030 where its telltale second bytes show).
	var first encoding.Encoding
	var firstName, cjkName string
	firstConf := 0
	var tied []string  // clean candidates as confident as the first
	var named []string // every candidate that decodes cleanly, in the detector's order
	cjkConf, cjkRank := -1, len(doubleByte)
	for _, r := range results {
		name, ok := chardetLabels[r.Charset]
		if !ok || r.Confidence == 0 {
			continue
		}
		e := mustEncoding(name)
		if !decodesCleanly(e, head, eof) {
			continue
		}
		switch {
		case first == nil:
			first, firstName, firstConf = e, name, r.Confidence
		case r.Confidence == firstConf && name != firstName:
			tied = append(tied, name)
		}
		named = append(named, name)
		rank := slices.Index(doubleByte, name)
		if name == "big5" && big5Evidence(head) {
			rank = -1
		}
		if rank >= 0 || name == "big5" {
			if r.Confidence > cjkConf || r.Confidence == cjkConf && rank < cjkRank {
				cjkConf, cjkRank, cjkName = r.Confidence, rank, name
			}
		}
	}
	// Where the bytes above 0x80 come in runs of pairs, as Chinese words
	// do, and not one by one, as accented letters do, a double-byte
	// candidate goes before a single-byte one.
	if cjkName != "" && chineseRuns(head) {
		// Bytes like Chinese: its ties are settled by doubleByte's order.
		first, firstName, tied = mustEncoding(cjkName), cjkName, nil
	}
	if first == nil {
		// No reading the detector names decodes every byte: Slovak ť is
		// 9D in windows-1250, a byte windows-1252 lacks. A single-byte
		// code page that reads the file plausibly, alone, is taken; several
		// are ambiguous (the rows' countries may settle it).
		return plausibleSingleByte(head, eof)
	}
	// One Polish name whose Łó is a GB18030 pair (Politechnika ｓdzka)
	// looks like Chinese runs; its reading says otherwise.
	name, err := plausibleReading(head, eof, firstName, tied, named)
	if err != nil {
		return nil, "", err
	}
	if pastedIntoUTF8(head, eof, name) {
		return nil, "", nil
	}
	return mustEncoding(name), name, nil
}

// pastedIntoUTF8 reports whether head is UTF-8 with a few bytes of another
// encoding (a row pasted from a legacy file) rather than a file in the
// encoding name: some field is valid UTF-8 with a character beyond ASCII,
// reads as words in UTF-8 and not in name (Práce as Pr谩ce in GB18030).
// Such a file is UTF-8, refused at its first field that is not.
func pastedIntoUTF8(head []byte, eof bool, name string) bool {
	sample := wholeLines(head, eof)
	comma := byte(sniffDelimiter(head))
	for _, line := range bytes.Split(sample, []byte("\n")) {
		for _, f := range splitFields(bytes.TrimRight(line, "\r"), comma) {
			if isASCII(string(f)) || !utf8.Valid(f) || implausibility(string(f)) > 0 {
				continue
			}
			if alt, ok := decodeAll(name, f); ok && implausibility(alt) > 0 {
				return true
			}
		}
	}
	return false
}

// doubleByte are the double-byte encodings the detector names, likeliest
// first for a Chinese office's files.
var doubleByte = []string{"gb18030", "big5", "shift_jis", "euc-kr", "euc-jp"}

// chardetLabels maps the detector's charset names to WHATWG labels
// (golang.org/x/text/encoding/htmlindex); ISO-8859-1 is read as
// windows-1252, its superset, as browsers do.
var chardetLabels = map[string]string{
	"GB-18030": "gb18030", "Big5": "big5", "Shift_JIS": "shift_jis", "EUC-JP": "euc-jp", "EUC-KR": "euc-kr",
	"ISO-8859-1": "windows-1252", "windows-1252": "windows-1252", "ISO-8859-2": "iso-8859-2", "windows-1250": "windows-1250",
	"ISO-8859-5": "iso-8859-5", "windows-1251": "windows-1251", "KOI8-R": "koi8-r", "ISO-8859-7": "iso-8859-7",
	"windows-1253": "windows-1253", "ISO-8859-9": "windows-1254", "windows-1254": "windows-1254",
}

// hasUTF8Multibyte reports whether b is mostly UTF-8: more valid
// characters of two or more bytes than bytes that are not UTF-8 (a UTF-8
// file with a stray byte; legacy double-byte text forms a valid UTF-8
// sequence only now and then).
func hasUTF8Multibyte(b []byte) bool {
	valid, invalid := 0, 0
	for i := 0; i < len(b); {
		if b[i] < 0x80 {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			invalid++
			i++
			continue
		}
		valid++
		i += size
	}
	return valid > invalid
}

// decodesCleanly reports whether b decodes without a replacement character,
// and has at least one double-byte character (lead byte 0x81 or above,
// followed by one in the trail range) rather than isolated high bytes as
// Latin-1 text has.
func decodesCleanly(e encoding.Encoding, b []byte, eof bool) bool {
	if !eof && len(b) > 4 {
		b = b[:len(b)-4] // may end inside a character
	}
	out, err := e.NewDecoder().Bytes(b)
	return err == nil && !bytes.ContainsRune(out, utf8.RuneError)
}

// chineseRuns reports whether the bytes at or above 0x80 come mostly as
// multi-byte characters: two high bytes together (a GBK, Big5 or Shift_JIS
// character: 北 is B1 B1, and GBK's pinyin letters too: é is A8 A6) or a
// GB18030 four-byte sequence (Ł is 81 30 86 38: high, digit, high,
// digit), rather than one high byte between ASCII letters, as the accented
// letters of windows-1252 and ISO-8859 text are ("K\xF6ln", "Soci\xE9t\xE9"):
// a Western file must not be read as Chinese, and a Chinese sheet that names
// Łódź or Société must not be read as Western.
func chineseRuns(b []byte) bool {
	multi, single := 0, 0
	for i := 0; i < len(b); {
		switch {
		case b[i] < 0x80:
			i++
		case i+3 < len(b) && b[i] >= 0x81 && isDigit(b[i+1]) && b[i+2] >= 0x81 && isDigit(b[i+3]):
			multi++
			i += 4
		case i+1 < len(b) && b[i] >= 0x81 && b[i+1] >= 0x40 && b[i+1] != 0x7F:
			if b[i+1] >= 0x80 {
				multi++
			} else {
				single++ // a lead byte with an ASCII trail byte: rarer in Chinese text, and what "\xE9t" looks like
			}
			i += 2
		default:
			single++
			i++
		}
	}
	return multi > 0 && multi >= 2*single
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// big5Evidence counts double-byte characters whose second byte is 0x40-0x7E:
// a third or more of Big5 text's common characters, rare characters in GBK.
func big5Evidence(b []byte) bool {
	pairs, low := 0, 0
	for i := 0; i+1 < len(b); i++ {
		if b[i] < 0x81 {
			continue
		}
		pairs++
		if b[i+1] >= 0x40 && b[i+1] <= 0x7E {
			low++
		}
		i++
	}
	return pairs > 0 && low*5 >= pairs
}

// invalidText locates a cell (or header name) that is not valid text in the
// file's encoding, shows its bytes and suggests encodings that read it.
func invalidText(file string, line, col int, cell string) Problem {
	i := 0
	for i < len(cell) {
		r, size := utf8.DecodeRuneInString(cell[i:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		i += size
	}
	from := max(0, i-6)
	bad := cell[from:min(len(cell), i+8)]
	return Problem{File: file, Line: line, Column: col, Value: strings.ToValidUTF8(cell, "\uFFFD"),
		Msg: fmt.Sprintf("invalid UTF-8 (bytes % X at byte %d)%s", []byte(bad), i, suggestEncoding([]byte(cell)))}
}

// suggestEncoding names the encodings that read b, with what they read.
func suggestEncoding(b []byte) string {
	type candidate struct {
		name, what string
		e          encoding.Encoding
	}
	cands := []candidate{
		{"gb18030", "Chinese, simplified, Excel on Windows", simplifiedchinese.GB18030},
		{"big5", "Chinese, traditional", traditionalchinese.Big5},
		{"windows-1252", "Western European, Excel on Windows", mustEncoding("windows-1252")},
	}
	if !chineseRuns(b) { // isolated high bytes: accented letters, most likely
		cands = append(cands[2:], cands[:2]...)
		// Excel for Mac's "CSV (Macintosh)" is Mac Roman, which reads every
		// byte: named after windows-1252 for accented letters only.
		cands = slices.Insert(cands, 1, candidate{"macintosh", "Mac Roman, Excel's CSV (Macintosh)", charmap.Macintosh})
	}
	// Central European, Cyrillic, Greek and Turkish offices' code pages
	// too (a Czech file's ť is a byte windows-1252 lacks).
	for _, name := range fallbackSingleByte[1:] {
		cands = append(cands, candidate{name, singleByteWhat[name], mustEncoding(name)})
	}
	// What each reads, those that read words first: where some do, only
	// they are named; readings that are the same are named together.
	type reading struct {
		text  string
		names []string
	}
	var plausible, other []reading
	for _, c := range cands {
		s, err := c.e.NewDecoder().Bytes(b)
		if err != nil || bytes.ContainsRune(s, utf8.RuneError) {
			continue
		}
		list := &other
		if implausibility(string(s)) == 0 {
			list = &plausible
		}
		label := fmt.Sprintf("%s (%s)", c.name, c.what)
		if i := slices.IndexFunc(*list, func(r reading) bool { return r.text == string(s) }); i >= 0 {
			(*list)[i].names = append((*list)[i].names, label)
			continue
		}
		*list = append(*list, reading{string(s), []string{label}})
	}
	if len(plausible) == 0 {
		plausible = other
	}
	var out []string
	for _, r := range plausible {
		verb := "reads"
		if len(r.names) > 1 {
			verb = "read"
		}
		out = append(out, fmt.Sprintf("%s %s it as %q", strings.Join(r.names, " or "), verb, r.text))
	}
	if len(out) == 0 {
		return "; name the file's encoding with --encoding, or save it as UTF-8"
	}
	return "; the file may be in another encoding: " + strings.Join(out, ", ") + "; load it with --encoding NAME, or save it as UTF-8"
}

// singleByteWhat says whose code page each of fallbackSingleByte's
// others is, for suggestEncoding.
var singleByteWhat = map[string]string{
	"windows-1250": "Central European", "windows-1251": "Cyrillic",
	"windows-1253": "Greek", "windows-1254": "Turkish",
}

func mustEncoding(name string) encoding.Encoding {
	e, err := htmlindex.Get(name)
	if err != nil {
		panic(err) // a constant name
	}
	return e
}

// sniffDelimiter picks the delimiter of a header line: the most frequent of
// , ; tab | outside quotes (a comma on a tie or when there is none).
func sniffDelimiter(head []byte) rune {
	if i := bytes.IndexAny(head, "\r\n"); i >= 0 {
		head = head[:i]
	}
	counts := map[byte]int{}
	quoted := false
	for _, c := range head {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '\t' || c == '|'):
			counts[c]++
		}
	}
	best := byte(',')
	for _, c := range []byte{';', '\t', '|'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return rune(best)
}

// openText opens a delimited text table: gzip read transparently, the
// encoding detected (or Options.Encoding), the delimiter sniffed from the
// header (or Options.Delimiter).
func (st *state) openText(ctx context.Context, in Input, t *table) (records, error) {
	lim := st.l.lim
	r, rc, err := openGuarded(ctx, in, lim, lim.InputBytes, "--max-input-bytes")
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(r, 64<<10)
	head, perr := br.Peek(64 << 10)
	eof := perr != nil
	enc, encName := st.l.enc, st.l.opts.Encoding
	if encName == "" {
		var hint string
		if _, bom := bomEncoding(head); bom == "" {
			enc, encName, hint = utf16NoBOM(head)
		}
		switch {
		case enc != nil:
			fr := &st.report.Files[t.fr]
			fr.Warnings = append(fr.Warnings, Problem{File: in.Name, Msg: fmt.Sprintf(
				"read as %s: the file has no byte-order mark, but every other byte is NUL, as in UTF-16 text (--encoding %s says so)", strings.ToUpper(encName), encName)})
		case hint != "":
			t.nulHint = hint
		default:
			var err error
			var why string
			enc, encName, err = detectEncoding(head, eof)
			if enc, encName, why, err = st.l.settleByCountries(head, eof, enc, encName, err); err != nil {
				_ = rc.Close()
				var amb *ambiguousEncoding
				if errors.As(err, &amb) {
					return nil, &rowError{p: amb.problem(in.Name)}
				}
				return nil, err
			}
			if enc != nil && !strings.HasPrefix(encName, "utf-") {
				fr := &st.report.Files[t.fr]
				fr.Warnings = append(fr.Warnings, Problem{File: in.Name, Msg: fmt.Sprintf(
					"read as %s (detected: the file is not UTF-8%s); if names look wrong, name the encoding with --encoding", encName, why)})
			}
		}
	}
	if enc == nil && bytes.HasPrefix(head, utf8BOM) {
		_, _ = br.Discard(len(utf8BOM)) // spreadsheet programs write it; it is not part of the header
	}
	var text io.Reader = br
	if enc != nil {
		t.decoded = encName != "utf-8" && encName != "utf8"
		t.encoding = encName
		br = bufio.NewReaderSize(transform.NewReader(br, enc.NewDecoder()), 64<<10)
		text = br
		head, _ = br.Peek(64 << 10)
	}
	comma := st.l.comma
	if comma == 0 {
		comma = sniffDelimiter(head)
	}
	if loneCR(head) {
		// "CSV (Macintosh)": every line ends with a lone CR, which
		// encoding/csv does not take for a line end.
		text = &crReader{r: text}
	}
	tg := newTextGuard(text, in.Name, lim, comma)
	cr := csv.NewReader(tg)
	cr.Comma = comma
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1 // short rows are padded, long ones checked in next
	t.comma = comma
	return &csvRecords{name: in.Name, cr: cr, c: rc, in: r, text: tg}, nil
}

// loneCR reports whether the first line of head ends with a CR that no LF
// follows: the line ends of classic Mac OS and Excel's "CSV (Macintosh)".
func loneCR(head []byte) bool {
	i := bytes.IndexAny(head, "\r\n")
	return i >= 0 && head[i] == '\r' && (i+1 == len(head) || head[i+1] != '\n')
}

// crReader turns every CR into an LF.
type crReader struct{ r io.Reader }

func (c *crReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}

type csvRecords struct {
	name string
	cr   *csv.Reader
	c    io.Closer
	in   *inputGuard // the bytes of the file
	text *textGuard  // its text, as the CSV reader reads it
	line int         // the last complete row
	n    int         // fields of the header
}

// limitProblem is the problem of a limit the file reached, located at the
// line being read, or nil.
func (c *csvRecords) limitProblem() *Problem {
	for _, err := range []error{c.text.err, c.in.err} {
		var le *limitError
		if errors.As(err, &le) {
			p := le.p
			if p.Line == 0 {
				p.Line = c.text.line
			}
			return &p
		}
		if err != nil { // cancelled
			return &Problem{File: c.name, Line: c.text.line, Msg: "reading stopped: " + err.Error()}
		}
	}
	return nil
}

func (c *csvRecords) close() error { return c.c.Close() }

// resetWidth makes the next row the one whose width rows are checked
// against: the header below a title row.
func (c *csvRecords) resetWidth() { c.n = 0 }

func (c *csvRecords) next() ([]string, int, error) {
	rec, err := c.cr.Read()
	if err == nil {
		c.line, _ = c.cr.FieldPos(0)
		switch {
		case c.n == 0:
			c.n = len(rec)
		case len(rec) < c.n:
			// Excel leaves out the trailing empty fields of some rows.
			rec = append(rec, make([]string, c.n-len(rec))...)
		case len(rec) > c.n:
			extra := rec[c.n:]
			if slices.ContainsFunc(extra, func(f string) bool { return names.Trim(f) != "" }) {
				return nil, 0, &rowError{Problem{File: c.name, Line: c.line, Column: c.n + 1,
					Msg: fmt.Sprintf("%d fields, the header has %d: a value beyond the last column (a delimiter inside an unquoted value?)", len(rec), c.n)}}
			}
			rec = rec[:c.n] // trailing empty fields, as spreadsheets write
		}
		return rec, c.line, nil
	}
	if p := c.limitProblem(); p != nil {
		return nil, 0, &fatalRowError{*p}
	}
	if errors.Is(err, io.EOF) {
		return nil, 0, io.EOF
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
		c.line, _ = c.cr.FieldPos(0)
		return nil, 0, &rowError{Problem{File: c.name, Line: c.line, Msg: fmt.Sprintf("%d fields, the header has %d", len(rec), c.n)}}
	}
	p := csvProblem(c.name, err)
	if p.Line == 0 && c.line > 0 {
		p.Line = c.line + 1
		p.Msg = fmt.Sprintf("%s; the last complete row was line %d", p.Msg, c.line)
	}
	// Not a row error: the reader cannot continue.
	return nil, 0, &fatalRowError{p}
}

// csvProblem turns a reader error into a located problem; a truncated gzip
// stream surfaces here as an unexpected EOF.
func csvProblem(name string, err error) Problem {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, io.ErrUnexpectedEOF) || errors.Is(pe.Err, gzip.ErrChecksum) {
			return Problem{File: name, Line: pe.StartLine, Msg: fmt.Sprintf("the file is truncated or corrupt after line %d (%v)", pe.StartLine, pe.Err)}
		}
		return Problem{File: name, Line: pe.Line, Column: pe.Column, Msg: pe.Err.Error()}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, gzip.ErrChecksum) {
		return Problem{File: name, Msg: fmt.Sprintf("the file is truncated or corrupt (%v)", err)}
	}
	return Problem{File: name, Msg: err.Error()}
}
