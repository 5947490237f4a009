package loader

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/internal/names"
)

// Column names we recognise, per field, after folding case, spaces,
// underscores and hyphens. Configuration (Options.Columns) adds more.
var columnSynonyms = map[string][]string{
	// participations
	"project":      {"project", "projectid", "project_id", "rcn", "projectrcn", "grant", "grantid"},
	"org":          {"org", "orgid", "org_id", "organisationid", "organizationid", "pic", "participantid", "partyid"},
	"name":         {"name", "orgname", "organisation", "organization", "organisationname", "organizationname", "legalname", "participant"},
	"country":      {"country", "countrycode", "country_code"},
	"role":         {"role"},
	"type":         {"type", "activitytype", "orgtype"},
	"contribution": {"contribution", "eccontribution", "eucontribution", "netcontribution"},
	"date":         {"date", "startdate", "start_date", "signed", "signeddate"},
	// pairs
	"party_a":   {"party_a", "partya", "city1", "org1", "organisation1", "organization1", "partner1", "partnera", "a"},
	"country_a": {"country_a", "countrya", "country1"},
	"party_b":   {"party_b", "partyb", "city2", "org2", "organisation2", "organization2", "partner2", "partnerb", "b"},
	"country_b": {"country_b", "countryb", "country2"},
	"kind_a":    {"kind_a", "kinda", "kind1"},
	"kind_b":    {"kind_b", "kindb", "kind2"},
	"event":     {"event"},
	"programme": {"programme", "program"},
	"title":     {"title"},
}

// columnFields lists the fields a columns: mapping may name, sorted.
func columnFields() []string {
	var fs []string
	for f := range columnSynonyms {
		fs = append(fs, f)
	}
	slices.Sort(fs)
	return fs
}

func foldHeader(s string) string {
	s = strings.ToLower(names.Trim(s))
	return strings.NewReplacer("_", "", "-", "", " ", "", ".", "").Replace(s)
}

// textFields are the fields whose cells are names or titles, which
// question marks for lost characters (lostCharacters) would make match.
var textFields = map[string]bool{"party_a": true, "party_b": true, "name": true, "event": true, "programme": true, "title": true}

var preferredColumn = map[string]string{"project": "projectid"}

// header maps our field names to column indexes.
type header map[string]int

func (l *Loader) mapHeader(cols []string) header {
	h := header{}
	folded := map[string]int{}
	for i, c := range cols {
		folded[foldHeader(c)] = i
	}
	for field, name := range l.opts.Columns { // configuration wins
		field = strings.ToLower(field)
		if i, ok := folded[foldHeader(name)]; ok {
			h[field] = i
		}
	}
	for field, syns := range columnSynonyms {
		if _, done := h[field]; done {
			continue
		}
		for _, s := range syns {
			if i, ok := folded[foldHeader(s)]; ok {
				h[field] = i
				break
			}
		}
	}
	return h
}

// ambiguousColumns finds the fields that two or more columns of cols give
// by our names for them (Start date and Signed date are both a date; pic and
// organisationID both the organisation's ID), unless the configuration's
// columns: names the one meant. Taking one of them would silently drop the
// other's values: each is a problem at the header's line.
//
// preferredColumn names the one column that settles it where a published
// format has two: CORDIS's organization.csv has projectID and rcn, and
// mapHeader takes projectID.
func (l *Loader) ambiguousColumns(cols []string) []string {
	var msgs []string
	for _, field := range columnFields() {
		if _, set := l.opts.Columns[field]; set {
			continue
		}
		var at []int
		for i, c := range cols {
			if k := foldHeader(c); k != "" && slices.ContainsFunc(columnSynonyms[field], func(s string) bool { return foldHeader(s) == k }) {
				at = append(at, i)
			}
		}
		if i := slices.IndexFunc(at, func(i int) bool { return foldHeader(cols[i]) == preferredColumn[field] }); i >= 0 {
			continue // CORDIS: projectID is the project, rcn the row's record
		}
		if len(at) > 1 {
			var named []string
			for _, i := range at {
				named = append(named, fmt.Sprintf("%d (%q)", i+1, cols[i]))
			}
			msgs = append(msgs, fmt.Sprintf("columns %s all give the field %s: which one is meant cannot be told; name it under columns: in collabnet.yaml (%s: %s), or rename the others",
				strings.Join(named, " and "), field, field, cols[at[0]]))
		}
	}
	return msgs
}

func (h header) has(fields ...string) bool {
	for _, f := range fields {
		if _, ok := h[f]; !ok {
			return false
		}
	}
	return true
}

// detect chooses the table format from the header.
func (l *Loader) detect(h header) string {
	switch {
	case l.opts.Format != "":
		return l.opts.Format
	case h.has("party_a", "party_b"):
		return FormatPairs
	case h.has("project") && (h.has("org") || h.has("name")):
		return FormatParticipations
	}
	return ""
}

// table is one table input being read: where problems point, and its header.
type table struct {
	file  string
	ref   string // the file's name in the graph (Input.Ref)
	sheet string // the worksheet of an .xlsx file, "" for text files
	// sheets: the workbook has more than one worksheet read, so each is a
	// source of its own.
	sheets bool
	cols   []string
	h      header
	comma  rune // the delimiter, for decimal commas
	// decoded is set when the file was converted from encoding to UTF-8.
	decoded  bool
	encoding string
	// nulHint names the UTF-16 byte order a file with NUL bytes, but not
	// clearly UTF-16, most likely has.
	nulHint string
	fr      int // index of its FileReport in the load's report
	src     string
	// extras: the table has an event or a programme column.
	extras bool
	// used marks the columns mapped to one of our fields: only those are
	// checked for spreadsheet error values; text those of textFields.
	used, text []bool
}

// at locates a problem at a field (our name) of the row at line.
func (t *table) at(line int, field, value, msg string) Problem {
	p := Problem{File: t.file, Sheet: t.sheet, Line: line, Field: field, Value: value, Msg: msg}
	if i, ok := t.h[field]; ok {
		p.Column = i + 1
		p.Field = t.cols[i]
	}
	return p
}

// row is one data row with its line number in the file (row number in a
// worksheet).
type row struct {
	t    *table
	line int
	rec  []string
}

// get returns a cell with spaces, controls and invisible characters trimmed
// at both ends.
func (r *row) get(field string) string { return r.cell(r.t.col(field)) }

// cell is get by column index (-1 for none): the readers look their
// columns up once per table, not once per cell.
func (r *row) cell(i int) string {
	if i >= 0 && i < len(r.rec) {
		return names.Trim(r.rec[i])
	}
	return ""
}

// col is the index of a field's column, -1 when the table has none.
func (t *table) col(field string) int {
	if i, ok := t.h[field]; ok {
		return i
	}
	return -1
}

func (r *row) problem(field, msg string) Problem {
	return r.t.at(r.line, field, r.get(field), msg)
}

// tableSink receives a table's rows; it returns problems for a bad row.
type tableSink interface {
	row(r *row) []Problem
}

// records is where a table's rows come from: a delimited text file or a
// worksheet. next returns io.EOF after the last row; a *rowError is a bad
// row the reading can continue after.
type records interface {
	next() (rec []string, line int, err error)
	close() error
}

type rowError struct{ p Problem }

func (e *rowError) Error() string { return e.p.String() }

// fatalRowError ends the reading of a table with a located problem.
type fatalRowError struct{ p Problem }

func (e *fatalRowError) Error() string { return e.p.String() }

// errProblem is the located problem an error of a records source carries.
func errProblem(file string, err error) Problem {
	var re *rowError
	var fe *fatalRowError
	var le *limitError
	switch {
	case errors.As(err, &re):
		return re.p
	case errors.As(err, &fe):
		return fe.p
	case errors.As(err, &le):
		return le.p
	}
	return Problem{File: file, Msg: err.Error()}
}

// readTable reads a table (delimited text, gzip or not, or an .xlsx
// worksheet) row by row into the load's mentions. Problems in a row are
// collected; with SkipInvalid the row is dropped and its problems become
// warnings.
func (st *state) readTable(ctx context.Context, in Input) {
	st.report.Files = append(st.report.Files, FileReport{Name: in.Name})
	fri := len(st.report.Files) - 1
	newTable := func(sheet string) *table {
		return &table{file: in.Name, ref: in.ref(), sheet: sheet, fr: fri, comma: ','}
	}
	if isXLSX(in.Name) {
		sheets, skipped, err := openXLSX(ctx, in, st.l.opts.Sheet, st.l.lim)
		if err != nil {
			st.problem(errProblem(in.Name, err))
			return
		}
		fr := &st.report.Files[fri]
		fr.SheetsSkipped = skipped
		for _, ws := range sheets {
			fr.Sheets = append(fr.Sheets, ws.name)
		}
		if len(sheets) > 1 || len(skipped) > 0 {
			msg := fmt.Sprintf("read worksheet(s) %s", strings.Join(fr.Sheets, ", "))
			if len(skipped) > 0 {
				msg += "; not read: " + strings.Join(skipped, "; ") + " (--sheet NAME reads another)"
			}
			fr.Warnings = append(fr.Warnings, Problem{File: in.Name, Msg: msg})
		}
		for _, ws := range sheets {
			if n := len(ws.hidden); n > 0 {
				var rows []string
				for _, r := range ws.hidden[:min(n, 20)] {
					rows = append(rows, fmt.Sprint(r))
				}
				if n > 20 {
					rows = append(rows, fmt.Sprintf("and %d more", n-20))
				}
				fr.Warnings = append(fr.Warnings, Problem{File: in.Name, Sheet: ws.name, Line: ws.hidden[0],
					Msg: fmt.Sprintf("%d row(s) hidden in Excel (hidden, or filtered out) are read as the others: %s; delete them from the sheet if they are not data", n, strings.Join(rows, ", "))})
			}
		}
		for _, ws := range sheets {
			t := newTable(ws.name)
			t.sheets = len(sheets) > 1
			if !st.readRecords(ctx, in, t, ws.recs) {
				return
			}
		}
		return
	}
	t := newTable("")
	src, err := st.openText(ctx, in, t)
	if err != nil {
		st.problem(errProblem(in.Name, err))
		return
	}
	st.readRecords(ctx, in, t, src)
}

// titleRow reports whether a row holds one value at most, in one cell or
// merged across several: a sheet's title ("2025年对外合作协议一览表") above
// its header, which no header of ours can be (both formats need two
// columns).
func titleRow(cols []string) bool {
	v := ""
	for _, c := range cols {
		if c = names.Trim(c); c != "" {
			if v != "" && c != v {
				return false
			}
			v = c
		}
	}
	return true
}

// widthResetter is a records source whose rows are checked against the
// width of its first row, which a title row is not.
type widthResetter interface{ resetWidth() }

// skipTitles passes over title rows above the header (at most 3), when the
// row after them is a header of ours; the file's report says which rows
// were taken as titles. Otherwise the first row stays the header, and its
// problems are reported as they are.
func (st *state) skipTitles(t *table, src records, cols []string, line int) ([]string, int) {
	if !titleRow(cols) {
		return cols, line
	}
	first, firstLine := append([]string(nil), cols...), line
	var titles []string
	for len(titles) < 3 && titleRow(cols) {
		v := ""
		for _, c := range cols {
			if v = names.Trim(c); v != "" {
				break
			}
		}
		titles = append(titles, fmt.Sprintf("%d (%q)", line, v))
		if w, ok := src.(widthResetter); ok {
			w.resetWidth()
		}
		var err error
		if cols, line, err = src.next(); err != nil {
			return first, firstLine
		}
	}
	if titleRow(cols) || st.l.detect(st.l.mapHeader(cols)) == "" {
		return first, firstLine
	}
	st.report.Files[t.fr].Warnings = append(st.report.Files[t.fr].Warnings, Problem{File: t.file, Sheet: t.sheet, Line: firstLine,
		Msg: fmt.Sprintf("row(s) %s above the header taken as the title, not read; the header is row %d", strings.Join(titles, ", "), line)})
	return cols, line
}

// readRecords reads one table's records (a text file or a worksheet); it
// returns false when the table could not be read at all.
func (st *state) readRecords(ctx context.Context, in Input, t *table, src records) bool {
	fr := &st.report.Files[t.fr]
	defer func() { _ = src.close() }() // closing what was only read: nothing to lose
	cols, hl, err := src.next()
	if err != nil {
		if errors.Is(err, io.EOF) {
			st.problem(Problem{File: in.Name, Sheet: t.sheet, Line: 1, Msg: "the file is empty: want a header line"})
		} else {
			st.problem(errProblem(in.Name, err))
		}
		return false
	}
	cols, hl = st.skipTitles(t, src, cols, hl)
	t.cols = append([]string(nil), cols...)
	for i, c := range t.cols {
		if strings.ContainsRune(c, 0) {
			hint := cmp.Or(t.nulHint, "utf-16le")
			st.problem(Problem{File: in.Name, Sheet: t.sheet, Line: hl, Column: i + 1, Value: strings.ReplaceAll(c, "\x00", ""),
				Msg: fmt.Sprintf("the header has NUL bytes: the file looks like %s without a byte-order mark: use --encoding %s", strings.ToUpper(hint), hint)})
			return false
		}
		if !utf8.ValidString(c) {
			st.problem(invalidText(in.Name, hl, i+1, c))
			return false
		}
	}
	seen := map[string]int{}
	for i, c := range t.cols {
		k := foldHeader(c)
		if k == "" {
			continue // Excel writes empty headers for empty columns
		}
		if j, dup := seen[k]; dup {
			st.problem(Problem{File: in.Name, Sheet: t.sheet, Line: hl, Column: i + 1, Field: c,
				Msg: fmt.Sprintf("column %d repeats the header of column %d (%q): which one is meant cannot be told; rename or delete one", i+1, j+1, t.cols[j])})
			return false
		}
		seen[k] = i
	}
	t.h = st.l.mapHeader(t.cols)
	if msgs := st.l.ambiguousColumns(t.cols); len(msgs) > 0 {
		for _, m := range msgs {
			st.problem(Problem{File: in.Name, Sheet: t.sheet, Line: hl, Msg: m})
		}
		return false
	}
	t.used, t.text = make([]bool, len(t.cols)), make([]bool, len(t.cols))
	for f, i := range t.h {
		t.used[i] = true
		t.text[i] = textFields[f]
	}
	t.extras = t.h.has("event") || t.h.has("programme")
	fr.Format = st.l.detect(t.h)
	hdr := strings.Join(t.cols, ",")
	var sink tableSink
	switch fr.Format {
	case FormatPairs:
		if !t.h.has("party_a", "party_b") {
			st.problem(Problem{File: in.Name, Sheet: t.sheet, Line: hl, Msg: fmt.Sprintf("header %q: a pairs table needs columns for party A and party B (e.g. party_a, country_a, party_b, country_b or city1, country1, city2, country2); map others under columns: in the configuration", hdr)})
			return false
		}
		sink = st.newPairs(t)
	case FormatParticipations:
		if !t.h.has("project") || !(t.h.has("org") || t.h.has("name")) {
			st.problem(Problem{File: in.Name, Sheet: t.sheet, Line: hl, Msg: fmt.Sprintf("header %q: a participations table needs a project column (project, rcn, projectID) and an organisation column (org, pic, organisationID or name); map others under columns: in the configuration", hdr)})
			return false
		}
		sink = st.newParticipations(t)
	case FormatAgreements:
		st.problem(Problem{File: in.Name, Msg: "the agreements format is YAML; this file is read as a table"})
		return false
	default:
		st.problem(Problem{File: in.Name, Sheet: t.sheet, Line: hl, Msg: fmt.Sprintf("header %q: not a format we know: a participations table needs project and organisation columns, a pairs table party A and party B columns; name the format with --input-format or map the columns in the configuration", hdr)})
		return false
	}
	st.tables = append(st.tables, t)
	for rows := 0; ; rows++ {
		if rows%4096 == 0 && ctx.Err() != nil {
			st.problem(Problem{File: in.Name, Msg: ctx.Err().Error()})
			return false
		}
		rec, line, err := src.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if rows == st.l.lim.Rows {
			st.problem(Problem{File: in.Name, Sheet: t.sheet, Line: line,
				Msg: fmt.Sprintf("more than %d data rows (--max-rows raises the limit)", st.l.lim.Rows)})
			return false
		}
		var re *rowError
		if errors.As(err, &re) {
			fr.Rows++
			st.rowProblems(t, []Problem{re.p})
			continue
		}
		if err != nil {
			p := errProblem(in.Name, err)
			if p.Field == "" && p.Column > 0 && p.Column <= len(t.cols) {
				p.Field = t.cols[p.Column-1]
			}
			st.problem(p)
			return false
		}
		fr.Rows++
		rw := &row{t: t, line: line, rec: rec}
		var ps []Problem
		for i, f := range rec {
			if !utf8.ValidString(f) {
				ps = append(ps, invalidText(in.Name, line, i+1, f))
				ps[len(ps)-1].Field = t.cols[min(i, len(t.cols)-1)]
			} else if t.decoded && strings.ContainsRune(f, utf8.RuneError) {
				ps = append(ps, Problem{File: in.Name, Line: line, Column: i + 1, Field: t.cols[min(i, len(t.cols)-1)], Value: f,
					Msg: fmt.Sprintf("bytes that are not %s (shown as \uFFFD); name the file's encoding with --encoding", t.encoding)})
			} else if i < len(t.used) && t.used[i] {
				if c := strings.TrimSpace(f); c != "" && (c[0] == '#' || c[0] == 'E') && isSpreadsheetError(c) {
					ps = append(ps, Problem{File: in.Name, Sheet: t.sheet, Line: line, Column: i + 1, Field: t.cols[i], Value: c,
						Msg: "a spreadsheet error value: the formula that made this cell failed (a lookup that found nothing, a deleted reference, ...); fix the formula or type the value, or clear the cell"})
				} else if t.text[i] && (strings.Contains(f, "?") || strings.Contains(f, "？")) && lostCharacters(CleanName(f)) && hasLetterOrDigit(CleanName(f)) {
					ps = append(ps, Problem{File: in.Name, Sheet: t.sheet, Line: line, Column: i + 1, Field: t.cols[i], Value: names.Trim(f), Msg: lostCharactersMsg})
				}
			}
		}
		if len(ps) == 0 {
			ps = sink.row(rw)
		}
		st.rowProblems(t, ps)
	}
	return true
}

// rowProblems records a bad row: problems, or with SkipInvalid a skipped row
// and warnings.
func (st *state) rowProblems(t *table, ps []Problem) {
	if len(ps) == 0 {
		return
	}
	if st.l.opts.SkipInvalid {
		fr := &st.report.Files[t.fr]
		fr.Skipped++
		fr.Warnings = append(fr.Warnings, ps...)
		return
	}
	st.problems = append(st.problems, ps...)
}

// sourceID names the Source node that stands for an input file.
//
// It is "file:" and the file's base name, or, when another table input of
// the load has the same base name (partners.csv in 2024/ and in 2025/), the
// shortest end of its path that tells them apart ("file:2024/partners.csv"),
// so that no two files are one source and each row is cited in its own file.
// A workbook read from several worksheets is a source per worksheet
// ("file:book.xlsx!2025"): the rows it cites are that sheet's.
func (st *state) addTableSource(t *table, format string) {
	id, sheet := st.srcNames[t.ref], ""
	if id == "" {
		id = "file:" + filepath.Base(t.ref)
	}
	if t.sheets {
		id += "!" + t.sheet
		sheet = t.sheet
	}
	title := graph.TableSourceTitle(graph.LangEN, format, t.ref, sheet)
	t.src = id
	st.ds.Sources[id] = &graph.Source{ID: id, File: t.ref, Title: title}
}

// tableSourceNames gives each table input the ID of its source (see
// addTableSource): its base name, or the shortest end of its path, in
// slashes, that no other input's path ends in.
func tableSourceNames(files []string) map[string]string {
	type path struct {
		name  string
		parts []string // the absolute path's elements
	}
	byBase := map[string][]path{}
	for _, f := range files {
		abs, err := filepath.Abs(f)
		if err != nil {
			abs = filepath.Clean(f)
		}
		p := path{f, strings.Split(filepath.ToSlash(abs), "/")}
		base := p.parts[len(p.parts)-1]
		if !slices.ContainsFunc(byBase[base], func(q path) bool { return slices.Equal(q.parts, p.parts) }) {
			byBase[base] = append(byBase[base], p)
		}
	}
	ids := map[string]string{}
	for _, f := range files {
		abs, err := filepath.Abs(f)
		if err != nil {
			abs = filepath.Clean(f)
		}
		parts := strings.Split(filepath.ToSlash(abs), "/")
		others := byBase[parts[len(parts)-1]]
		n := 1
		for ; n < len(parts); n++ {
			tail := parts[len(parts)-n:]
			if !slices.ContainsFunc(others, func(q path) bool {
				return !slices.Equal(q.parts, parts) && len(q.parts) >= n && slices.Equal(q.parts[len(q.parts)-n:], tail)
			}) {
				break
			}
		}
		ids[f] = "file:" + strings.TrimPrefix(strings.Join(parts[len(parts)-n:], "/"), "/")
	}
	return ids
}
