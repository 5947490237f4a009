package loader

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"
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

func foldHeader(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.NewReplacer("_", "", "-", "", " ", "", ".", "").Replace(s)
}

// header maps our field names to column indexes.
type header map[string]int

func (l *Loader) mapHeader(cols []string) header {
	h := header{}
	folded := map[string]int{}
	for i, c := range cols {
		folded[foldHeader(c)] = i
	}
	for field, name := range l.opts.Columns { // configuration wins
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

// row is one data row with its line number in the file.
type row struct {
	file string
	line int
	rec  []string
	cols []string // the header, for naming columns in problems
	h    header
}

func (r *row) get(field string) string {
	if i, ok := r.h[field]; ok && i < len(r.rec) {
		return strings.TrimSpace(r.rec[i])
	}
	return ""
}

func (r *row) problem(field, msg string) Problem {
	p := Problem{File: r.file, Line: r.line, Field: field, Value: r.get(field), Msg: msg}
	if i, ok := r.h[field]; ok {
		p.Column = i + 1
		p.Field = r.cols[i]
	}
	return p
}

// maybeGunzip reads gzip transparently, detected by its magic bytes.
func maybeGunzip(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	magic, _ := br.Peek(2)
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("reading gzip: %w", err)
		}
		return zr, nil
	}
	return br, nil
}

// tableSink receives a table's rows; it returns problems for a bad row.
type tableSink interface {
	row(r *row) []Problem
	finish(fr *FileReport)
}

// readTable reads a CSV (or TSV) table, gzip or not, row by row. Problems in
// a row are collected; with SkipInvalid the row is dropped and its problems
// become warnings.
func (st *state) readTable(ctx context.Context, in Input) FileReport {
	fr := FileReport{Name: in.Name}
	fail := func(p Problem) FileReport { st.problem(p); return fr }
	rc, err := in.Open()
	if err != nil {
		return fail(Problem{File: in.Name, Msg: fmt.Sprintf("opening: %v", err)})
	}
	defer rc.Close()
	r, err := maybeGunzip(rc)
	if err != nil {
		return fail(Problem{File: in.Name, Msg: err.Error()})
	}
	br := bufio.NewReader(r)
	if head, _ := br.Peek(3); bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		return fail(Problem{File: in.Name, Line: 1, Msg: "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8"})
	} else if bytes.HasPrefix(head, utf8BOM) {
		br.Discard(3) // spreadsheet programs write a UTF-8 byte-order mark; it is not part of the header
	}
	cr := csv.NewReader(br)
	if strings.HasSuffix(strings.TrimSuffix(strings.ToLower(in.Name), ".gz"), ".tsv") {
		cr.Comma = '\t'
	}
	cr.ReuseRecord = true
	cols, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return fail(Problem{File: in.Name, Line: 1, Msg: "the file is empty: want a header line"})
		}
		return fail(csvProblem(in.Name, err))
	}
	cols = append([]string(nil), cols...)
	for i, c := range cols {
		if !utf8.ValidString(c) {
			return fail(Problem{File: in.Name, Line: 1, Column: i + 1, Msg: "invalid UTF-8 in the header; the file must be UTF-8"})
		}
	}
	h := st.l.mapHeader(cols)
	fr.Format = st.l.detect(h)
	var sink tableSink
	switch fr.Format {
	case FormatPairs:
		if !h.has("party_a", "party_b") {
			return fail(Problem{File: in.Name, Line: 1, Msg: fmt.Sprintf("header %q: a pairs table needs columns for party A and party B (e.g. party_a, country_a, party_b, country_b or city1, country1, city2, country2); map others under columns: in the configuration", strings.Join(cols, ","))})
		}
		sink = st.newPairs(in.Name, cols, h)
	case FormatParticipations:
		if !h.has("project") || !(h.has("org") || h.has("name")) {
			return fail(Problem{File: in.Name, Line: 1, Msg: fmt.Sprintf("header %q: a participations table needs a project column (project, rcn, projectID) and an organisation column (org, pic, organisationID or name); map others under columns: in the configuration", strings.Join(cols, ","))})
		}
		sink = st.newParticipations(in.Name, h)
	case FormatAgreements:
		return fail(Problem{File: in.Name, Msg: "the agreements format is YAML; this file is read as a table"})
	default:
		return fail(Problem{File: in.Name, Line: 1, Msg: fmt.Sprintf("header %q: not a format we know: a participations table needs project and organisation columns, a pairs table party A and party B columns; name the format with --input-format or map the columns in the configuration", strings.Join(cols, ","))})
	}
	line := 1
	for {
		if fr.Rows%4096 == 0 && ctx.Err() != nil {
			return fail(Problem{File: in.Name, Msg: ctx.Err().Error()})
		}
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && (errors.Is(pe.Err, csv.ErrFieldCount)) {
				line, _ = cr.FieldPos(0)
				fr.Rows++
				st.rowProblems(&fr, []Problem{{File: in.Name, Line: line, Msg: fmt.Sprintf("%d fields, the header has %d", len(rec), len(cols))}})
				continue
			}
			p := csvProblem(in.Name, err)
			if p.Line == 0 {
				p.Line = line + 1
				p.Msg = fmt.Sprintf("%s; the last complete row was line %d", p.Msg, line)
			}
			return fail(p)
		}
		line, _ = cr.FieldPos(0)
		fr.Rows++
		rw := &row{file: in.Name, line: line, rec: rec, cols: cols, h: h}
		var ps []Problem
		for i, f := range rec {
			if !utf8.ValidString(f) {
				ps = append(ps, Problem{File: in.Name, Line: line, Column: i + 1, Field: cols[i],
					Msg: "invalid UTF-8; the file must be UTF-8"})
			}
		}
		if len(ps) == 0 {
			ps = sink.row(rw)
		}
		st.rowProblems(&fr, ps)
	}
	sink.finish(&fr)
	return fr
}

func (st *state) rowProblems(fr *FileReport, ps []Problem) {
	if len(ps) == 0 {
		return
	}
	if st.l.opts.SkipInvalid {
		fr.Skipped++
		fr.Warnings = append(fr.Warnings, ps...)
		return
	}
	st.problems = append(st.problems, ps...)
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

// sourceID names the Source node that stands for an input file.
func sourceID(file string) string { return "file:" + filepath.Base(file) }
