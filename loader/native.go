package loader

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/collabnet/collabnet/graph"
)

// The native format's records as written in YAML. data/README.md documents them.
type (
	ySource struct {
		ID        string `yaml:"id"`
		File      string `yaml:"file"`
		Title     string `yaml:"title"`
		Publisher string `yaml:"publisher"`
		Author    string `yaml:"author"`
		Date      string `yaml:"date"`
		URL       string `yaml:"url"`
		Script    string `yaml:"script"`
	}
	yOrg struct {
		ID       string   `yaml:"id"`
		Name     string   `yaml:"name"`
		NameEN   string   `yaml:"name_en"`
		Aliases  []string `yaml:"aliases"`
		Kind     string   `yaml:"kind"`
		Country  string   `yaml:"country"`
		City     string   `yaml:"city"`
		PartOf   string   `yaml:"part_of"`
		Sources  []string `yaml:"sources"`
		Evidence string   `yaml:"evidence"`
		Reason   string   `yaml:"reason"`
	}
	yEvent struct {
		ID         string   `yaml:"id"`
		Name       string   `yaml:"name"`
		NameEN     string   `yaml:"name_en"`
		Start      string   `yaml:"start"`
		End        string   `yaml:"end"`
		City       string   `yaml:"city"`
		Country    string   `yaml:"country"`
		Venue      string   `yaml:"venue"`
		PartOf     string   `yaml:"part_of"`
		Organizers []string `yaml:"organizers"`
		Sources    []string `yaml:"sources"`
	}
	yProgramme struct {
		ID         string   `yaml:"id"`
		Name       string   `yaml:"name"`
		NameEN     string   `yaml:"name_en"`
		Organizers []string `yaml:"organizers"`
		LaunchedAt string   `yaml:"launched_at"`
		Sources    []string `yaml:"sources"`
	}
	yAgreement struct {
		ID        string   `yaml:"id"`
		Parties   []string `yaml:"parties"`
		Type      string   `yaml:"type"`
		Title     string   `yaml:"title"`
		Date      string   `yaml:"date"`
		Event     string   `yaml:"event"`
		Programme string   `yaml:"programme"`
		Fields    []string `yaml:"fields"`
		CountedIn []yLink  `yaml:"counted_in"`
		Sources   []string `yaml:"sources"`
		Evidence  string   `yaml:"evidence"`
		Reason    string   `yaml:"reason"`
	}
	yFigure struct {
		ID        string   `yaml:"id"`
		Value     float64  `yaml:"value"`
		Unit      string   `yaml:"unit"`
		Counts    string   `yaml:"counts"`
		About     string   `yaml:"about"`
		Coverage  bool     `yaml:"coverage"`
		CountsZH  string   `yaml:"counts_zh"`
		Countries []string `yaml:"countries"`
		Sources   []string `yaml:"sources"`
		Evidence  string   `yaml:"evidence"`
		Reason    string   `yaml:"reason"`
	}
	yRelation struct {
		Type     string   `yaml:"type"`
		From     string   `yaml:"from"`
		To       string   `yaml:"to"`
		Date     string   `yaml:"date"`
		Sources  []string `yaml:"sources"`
		Evidence string   `yaml:"evidence"`
		Reason   string   `yaml:"reason"`
	}
	// yLink is one entry of counted_in: a figure ID, or a mapping that
	// grades the link on its own ({figure, evidence, reason}).
	yLink struct {
		Figure   string `yaml:"figure"`
		Evidence string `yaml:"evidence"`
		Reason   string `yaml:"reason"`
		graded   bool
	}
)

// UnmarshalYAML reads a counted_in entry written as a bare figure ID or as
// a mapping with its own grade.
func (l *yLink) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		l.Figure = n.Value
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: a counted_in entry is a figure id or {figure, evidence, reason}", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch k := n.Content[i].Value; k {
		case "figure", "evidence", "reason":
		default:
			return fmt.Errorf("line %d: unknown field %q in counted_in; want figure, evidence, reason", n.Content[i].Line, k)
		}
	}
	type plain struct {
		Figure   string `yaml:"figure"`
		Evidence string `yaml:"evidence"`
		Reason   string `yaml:"reason"`
	}
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	*l = yLink{Figure: p.Figure, Evidence: p.Evidence, Reason: p.Reason, graded: true}
	return nil
}

// rec is one record with the YAML nodes of its fields, so that problems can
// name the line and column of the offending value.
type rec[T any] struct {
	v      T
	file   string
	node   *yaml.Node
	fields map[string]*yaml.Node
}

// at locates a problem at a field of the record (or the record itself).
func (r *rec[T]) at(field, value, msg string) Problem {
	n := r.node
	if f, ok := r.fields[field]; ok {
		n = f
	}
	return Problem{File: r.file, Line: n.Line, Column: n.Column, Field: field, Value: value, Msg: msg}
}

type nativeDoc struct {
	sources    []*rec[ySource]
	orgs       []*rec[yOrg]
	events     []*rec[yEvent]
	programmes []*rec[yProgramme]
	agreements []*rec[yAgreement]
	figures    []*rec[yFigure]
	relations  []*rec[yRelation]
}

var sections = []string{"sources", "organizations", "events", "programmes", "agreements", "figures", "relations"}

// readNative parses one YAML file into records, checking its syntax, its
// encoding and that every key is one we know (a typo is a problem, not a
// silently dropped field).
func (st *state) readNative(ctx context.Context, in Input) (*nativeDoc, *FileReport) {
	fr := &FileReport{Name: in.Name, Format: FormatAgreements}
	data, err := readAll(ctx, in, st.l.lim)
	if err != nil {
		st.problem(errProblem(in.Name, err))
		return nil, fr
	}
	data, p := checkText(in.Name, data)
	if p != nil {
		st.problem(*p)
		return nil, fr
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		st.problem(yamlProblem(in.Name, err))
		return nil, fr
	}
	if n := longScalar(&root, st.l.lim.CellBytes); n != nil {
		st.problem(Problem{File: in.Name, Line: n.Line, Column: n.Column,
			Msg: fmt.Sprintf("a value longer than %s (--max-cell-bytes raises the limit)", FormatSize(int64(st.l.lim.CellBytes)))})
		return nil, fr
	}
	doc := &nativeDoc{}
	if len(root.Content) == 0 {
		return doc, fr // an empty file is an empty dataset
	}
	top := root.Content[0]
	if top.Kind != yaml.MappingNode {
		st.problem(Problem{File: in.Name, Line: top.Line, Column: top.Column,
			Msg: "want a mapping with the keys " + strings.Join(sections, ", ")})
		return nil, fr
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		switch k.Value {
		case "sources":
			doc.sources = readSection[ySource](st, in.Name, k.Value, v)
		case "organizations":
			doc.orgs = readSection[yOrg](st, in.Name, k.Value, v)
		case "events":
			doc.events = readSection[yEvent](st, in.Name, k.Value, v)
		case "programmes":
			doc.programmes = readSection[yProgramme](st, in.Name, k.Value, v)
		case "agreements":
			doc.agreements = readSection[yAgreement](st, in.Name, k.Value, v)
		case "figures":
			doc.figures = readSection[yFigure](st, in.Name, k.Value, v)
		case "relations":
			doc.relations = readSection[yRelation](st, in.Name, k.Value, v)
		default:
			st.problem(Problem{File: in.Name, Line: k.Line, Column: k.Column, Field: k.Value,
				Msg: "unknown section; want one of " + strings.Join(sections, ", ")})
		}
	}
	fr.Rows = len(doc.sources) + len(doc.orgs) + len(doc.events) + len(doc.programmes) +
		len(doc.agreements) + len(doc.figures) + len(doc.relations)
	return doc, fr
}

// readAll reads a native file whole (gzip transparently), at most
// Limits.YAMLBytes of it.
func readAll(ctx context.Context, in Input, lim Limits) ([]byte, error) {
	r, c, err := openGuarded(ctx, in, lim, min(lim.YAMLBytes, lim.InputBytes), "--max-yaml-bytes")
	if err != nil {
		return nil, err
	}
	defer func() { _ = c.Close() }() // closing what was only read: nothing to lose
	data, err := io.ReadAll(r)
	var le *limitError
	if errors.As(err, &le) {
		le.p.Msg = strings.Replace(le.p.Msg, "holds more", "holds more YAML", 1) + "; a YAML file is parsed whole"
		return nil, le
	}
	if err != nil {
		return nil, fmt.Errorf("reading: %w", err)
	}
	return data, nil
}

// longScalar finds the first scalar (key or value) of a YAML tree longer
// than max bytes.
func longScalar(n *yaml.Node, max int) *yaml.Node {
	if n.Kind == yaml.ScalarNode && len(n.Value) > max {
		return n
	}
	for _, c := range n.Content {
		if l := longScalar(c, max); l != nil {
			return l
		}
	}
	return nil
}

// checkText decodes a file with a byte-order mark (UTF-8, or UTF-16 as
// Excel and Windows editors write it) and locates the first invalid UTF-8
// byte, suggesting the encoding that reads it.
func checkText(name string, data []byte) ([]byte, *Problem) {
	if e, _ := bomEncoding(data); e != nil {
		out, err := e.NewDecoder().Bytes(data)
		if err != nil {
			return nil, &Problem{File: name, Line: 1, Msg: fmt.Sprintf("decoding: %v", err)}
		}
		data = out
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if utf8.Valid(data) {
		return data, nil
	}
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			end := bytes.IndexByte(data[i:], '\n')
			if end < 0 {
				end = len(data) - i
			}
			start := bytes.LastIndexByte(data[:i], '\n') + 1
			p := invalidText(name, line, col, string(data[start:i+end]))
			p.Column = col
			return nil, &p
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return data, nil
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

func yamlProblem(name string, err error) Problem {
	p := Problem{File: name, Msg: "invalid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
	}
	return p
}

// readSection decodes a sequence of mappings into records of type T.
func readSection[T any](st *state, file, section string, seq *yaml.Node) []*rec[T] {
	if seq.Kind == yaml.ScalarNode && seq.Tag == "!!null" {
		return nil
	}
	if seq.Kind != yaml.SequenceNode {
		st.problem(Problem{File: file, Line: seq.Line, Column: seq.Column, Field: section,
			Msg: "want a list of records (each starting with \"- \")"})
		return nil
	}
	allowed := yamlKeys(reflect.TypeFor[T]())
	var out []*rec[T]
	for _, item := range seq.Content {
		if item.Kind != yaml.MappingNode {
			st.problem(Problem{File: file, Line: item.Line, Column: item.Column, Field: section,
				Msg: "want a record (key: value lines)"})
			continue
		}
		r := &rec[T]{file: file, node: item, fields: map[string]*yaml.Node{}}
		ok := true
		for i := 0; i+1 < len(item.Content); i += 2 {
			k := item.Content[i]
			if !slices.Contains(allowed, k.Value) {
				st.problem(Problem{File: file, Line: k.Line, Column: k.Column, Field: k.Value,
					Msg: fmt.Sprintf("unknown field in %s; want one of %s", section, strings.Join(allowed, ", "))})
				ok = false
			}
			r.fields[k.Value] = item.Content[i+1]
		}
		if err := item.Decode(&r.v); err != nil {
			st.problem(yamlProblem(file, err))
			ok = false
		}
		if ok {
			out = append(out, r)
		}
	}
	return out
}

func yamlKeys(t reflect.Type) []string {
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		keys = append(keys, t.Field(i).Tag.Get("yaml"))
	}
	return keys
}

// buildNative validates the records of all native files together (references
// may cross files) and adds them to the dataset.
func (st *state) buildNative(docs []*nativeDoc) {
	// Sources and organisations first: everything else cites or names them.
	for _, d := range docs {
		for _, r := range d.sources {
			st.addSource(r)
		}
	}
	for _, d := range docs {
		for _, r := range d.orgs {
			st.addOrg(r)
		}
	}
	for _, d := range docs {
		for _, r := range d.orgs {
			st.checkOrgRefs(r)
		}
		for _, r := range d.events {
			st.addEvent(r)
		}
		for _, r := range d.programmes {
			st.addProgramme(r)
		}
	}
	for _, d := range docs {
		for _, r := range d.events {
			st.checkEventRefs(r)
		}
		for _, r := range d.programmes {
			st.checkProgrammeRefs(r)
		}
		for _, r := range d.figures {
			st.addFigure(r)
		}
	}
	seen := map[string]*rec[yAgreement]{}
	for _, d := range docs {
		for _, r := range d.agreements {
			st.addAgreement(r, seen)
		}
		for _, r := range d.relations {
			st.addRelation(r)
		}
	}
}

var idRE = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}._:/-]*$`)

// claimID checks an ID's form and that no other record of any kind has it.
func claimID[T any](st *state, r *rec[T], id string) bool {
	if id == "" {
		st.problem(r.at("id", "", "an id is required"))
		return false
	}
	if !idRE.MatchString(id) {
		st.problem(r.at("id", id, "an id is letters, digits and . _ : / - (no spaces)"))
		return false
	}
	if prev, dup := st.idLines[id]; dup {
		st.problem(r.at("id", id, fmt.Sprintf("duplicate id: already used at %s:%d", prev.File, prev.Line)))
		return false
	}
	st.idLines[id] = r.at("id", id, "")
	return true
}

func required[T any](st *state, r *rec[T], field, value string) bool {
	if strings.TrimSpace(value) == "" {
		st.problem(r.at(field, "", field+" is required"))
		return false
	}
	return true
}

var citeRE = regexp.MustCompile(`^([^#@\s]+)(?:#(\d+(?:\s*,\s*\d+)*))?(?:\s*@\s*(\S.*))?$`)

// MaxLocator is the longest locator, in characters: a locator finds the
// place in the article, it does not copy the article's prose.
const MaxLocator = 12

// citations parses "source#3", "source#3,5" or "source#3@locator" and checks
// the source exists.
func citations[T any](st *state, r *rec[T], cites []string) []graph.Citation {
	var out []graph.Citation
	for _, c := range cites {
		m := citeRE.FindStringSubmatch(strings.TrimSpace(c))
		if m == nil {
			st.problem(r.at("sources", c, "a citation is SOURCE-ID, SOURCE-ID#PARAGRAPH[,PARAGRAPH...] or SOURCE-ID#PARAGRAPH@LOCATOR"))
			continue
		}
		if m[3] != "" && m[2] == "" {
			st.problem(r.at("sources", c, "a locator needs the paragraph it is in: SOURCE-ID#PARAGRAPH@LOCATOR"))
			continue
		}
		if loc := strings.TrimSpace(m[3]); utf8.RuneCountInString(loc) > MaxLocator {
			st.problem(r.at("sources", c, fmt.Sprintf("a locator is at most %d characters, enough to find the place, not the article's text", MaxLocator)))
			continue
		}
		if _, ok := st.ds.Sources[m[1]]; !ok {
			st.problem(r.at("sources", c, fmt.Sprintf("no source with id %q", m[1])))
			continue
		}
		cit := graph.Citation{Source: m[1]}
		if loc := strings.TrimSpace(m[3]); loc != "" {
			cit.Locators = []string{loc}
		}
		if m[2] != "" {
			for _, p := range strings.Split(m[2], ",") {
				n, _ := strconv.Atoi(strings.TrimSpace(p))
				if n < 1 {
					st.problem(r.at("sources", c, "paragraphs are numbered from 1"))
					continue
				}
				cit.Paragraphs = append(cit.Paragraphs, n)
			}
		}
		out = append(out, cit)
	}
	return out
}

// grade checks an evidence grade: one of graph.Grades (or absent), and an
// inferred fact says why in one line.
func grade[T any](st *state, r *rec[T], field, evidence, reason string) graph.Graded {
	g := graph.Graded{Evidence: graph.Grade(foldCode(evidence)), Reason: strings.TrimSpace(reason)}
	if g.Evidence != "" && !g.Evidence.Valid() {
		st.problem(r.at(field, evidence, fmt.Sprintf("unknown evidence grade; want one of %v", graph.Grades)))
		return graph.Graded{}
	}
	if g.Evidence == graph.GradeInferred && g.Reason == "" {
		st.problem(r.at(field, evidence, "an inferred fact needs a reason: one line saying what it is inferred from"))
	}
	if strings.Contains(g.Reason, "\n") {
		st.problem(r.at("reason", "", "a reason is one line"))
	}
	return g
}

var dateRE = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)

// checkDate accepts YYYY, YYYY-MM and YYYY-MM-DD, real dates only.
func checkDate[T any](st *state, r *rec[T], field, v string) string {
	if v == "" {
		return ""
	}
	if !dateRE.MatchString(v) {
		st.problem(r.at(field, v, "a date is YYYY, YYYY-MM or YYYY-MM-DD"))
		return ""
	}
	if !isoDay(v) {
		st.problem(r.at(field, v, "not a real date"))
		return ""
	}
	return v
}

func (st *state) country(r interface {
	at(string, string, string) Problem
}, field, v string) string {
	code, err := st.l.countries.Resolve(countryCell(strings.TrimSpace(v)))
	if err != nil {
		st.problem(r.at(field, v, err.Error()))
	}
	return code
}

func (st *state) addSource(r *rec[ySource]) {
	v := r.v
	if !claimID(st, r, v.ID) {
		return
	}
	if v.Title == "" && v.File == "" && v.URL == "" {
		st.problem(r.at("title", "", "a source needs a title, a file or a url"))
		return
	}
	if v.Script != "" && v.Script != "simplified" && v.Script != "traditional" {
		st.problem(r.at("script", v.Script, "script is simplified or traditional"))
	}
	st.ds.Sources[v.ID] = &graph.Source{ID: v.ID, File: v.File, Title: CleanName(v.Title),
		Publisher: v.Publisher, Author: v.Author, Date: checkDate(st, r, "date", v.Date), URL: v.URL, Script: v.Script}
}

func (st *state) addOrg(r *rec[yOrg]) {
	v := r.v
	if !claimID(st, r, v.ID) || !required(st, r, "name", v.Name) {
		return
	}
	kind := graph.OrgKind(foldCode(v.Kind))
	if !kind.Valid() {
		st.problem(r.at("kind", v.Kind, fmt.Sprintf("unknown kind; want one of %v", graph.OrgKinds)))
	}
	o := &graph.Organization{ID: v.ID, Name: CleanName(v.Name), NameEN: CleanName(v.NameEN), Kind: kind,
		Country: st.country(r, "country", v.Country), City: v.City, Sources: citations(st, r, v.Sources),
		Graded: grade(st, r, "evidence", v.Evidence, v.Reason)}
	for _, a := range v.Aliases {
		if a = CleanName(a); a != "" {
			o.Aliases = append(o.Aliases, a)
		}
	}
	st.ds.Organizations[o.ID] = o
	st.index(o)
}

// refOrg resolves an organisation reference in a native record.
func refOrg[T any](st *state, r *rec[T], field, ref string) string {
	id, amb, ok := st.resolveOrg(ref, "")
	if !ok {
		if amb != nil {
			st.problem(r.at(field, ref, fmt.Sprintf("ambiguous: the name of %s; use an id", strings.Join(amb, ", "))))
		} else {
			st.problem(r.at(field, ref, "no organisation with this id, name or alias"))
		}
	}
	return id
}

func (st *state) checkOrgRefs(r *rec[yOrg]) {
	o := st.ds.Organizations[r.v.ID]
	if o == nil || r.v.PartOf == "" {
		return
	}
	if o.PartOf = refOrg(st, r, "part_of", r.v.PartOf); o.PartOf == o.ID {
		st.problem(r.at("part_of", r.v.PartOf, "an organisation cannot be part of itself"))
	}
}

func (st *state) addEvent(r *rec[yEvent]) {
	v := r.v
	if !claimID(st, r, v.ID) || !required(st, r, "name", v.Name) {
		return
	}
	e := &graph.Event{ID: v.ID, Name: CleanName(v.Name), NameEN: CleanName(v.NameEN),
		Start: checkDate(st, r, "start", v.Start), End: checkDate(st, r, "end", v.End),
		City: v.City, Country: st.country(r, "country", v.Country), Venue: v.Venue,
		Sources: citations(st, r, v.Sources)}
	if e.Start != "" && e.End != "" && e.End < e.Start {
		st.problem(r.at("end", v.End, "the event ends before it starts"))
	}
	st.ds.Events[e.ID] = e
}

func (st *state) checkEventRefs(r *rec[yEvent]) {
	e := st.ds.Events[r.v.ID]
	if e == nil {
		return
	}
	if p := r.v.PartOf; p != "" {
		if _, ok := st.ds.Events[p]; !ok || p == e.ID {
			st.problem(r.at("part_of", p, "no other event with this id"))
		}
		e.PartOf = p
	}
	for _, o := range r.v.Organizers {
		if id := refOrg(st, r, "organizers", o); id != "" {
			e.Organizers = append(e.Organizers, id)
		}
	}
}

func (st *state) addProgramme(r *rec[yProgramme]) {
	v := r.v
	if !claimID(st, r, v.ID) || !required(st, r, "name", v.Name) {
		return
	}
	st.ds.Programmes[v.ID] = &graph.Programme{ID: v.ID, Name: CleanName(v.Name), NameEN: CleanName(v.NameEN),
		Sources: citations(st, r, v.Sources)}
}

func (st *state) checkProgrammeRefs(r *rec[yProgramme]) {
	p := st.ds.Programmes[r.v.ID]
	if p == nil {
		return
	}
	if ev := r.v.LaunchedAt; ev != "" {
		if _, ok := st.ds.Events[ev]; !ok {
			st.problem(r.at("launched_at", ev, "no event with this id"))
		}
		p.LaunchedAt = ev
	}
	for _, o := range r.v.Organizers {
		if id := refOrg(st, r, "organizers", o); id != "" {
			p.Organizers = append(p.Organizers, id)
		}
	}
}

func (st *state) addFigure(r *rec[yFigure]) {
	v := r.v
	if !claimID(st, r, v.ID) || !required(st, r, "unit", v.Unit) || !required(st, r, "counts", v.Counts) {
		return
	}
	if _, ok := r.fields["value"]; !ok || v.Value <= 0 {
		st.problem(r.at("value", fmt.Sprint(v.Value), "a reported figure needs a positive value"))
	}
	if v.About != "" {
		_, isEvent := st.ds.Events[v.About]
		_, isProg := st.ds.Programmes[v.About]
		if !isEvent && !isProg {
			st.problem(r.at("about", v.About, "no event or programme with this id"))
		}
	}
	f := &graph.ReportedFigure{ID: v.ID, Value: v.Value, Unit: v.Unit, Counts: v.Counts, CountsZH: CleanName(v.CountsZH),
		About: v.About, Coverage: v.Coverage, Sources: citations(st, r, v.Sources),
		Graded: grade(st, r, "evidence", v.Evidence, v.Reason)}
	for _, c := range v.Countries {
		if code := st.country(r, "countries", c); code != "" {
			f.Countries = append(f.Countries, code)
		}
	}
	st.ds.Figures[v.ID] = f
}

var snakeRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// agreementKey identifies an agreement by what it says rather than its ID,
// to catch the same signing entered twice under two IDs.
func agreementKey(a *graph.Agreement) string {
	var ps []string
	for _, p := range a.Parties {
		ps = append(ps, p.Org)
	}
	slices.Sort(ps)
	return strings.Join([]string{strings.Join(ps, "+"), a.Type, a.Date, a.Event, a.Programme}, "|")
}

func (st *state) addAgreement(r *rec[yAgreement], seen map[string]*rec[yAgreement]) {
	v := r.v
	if !claimID(st, r, v.ID) {
		return
	}
	a := &graph.Agreement{ID: v.ID, Type: foldCode(v.Type), Title: CleanName(v.Title),
		Date: checkDate(st, r, "date", v.Date), Sources: citations(st, r, v.Sources),
		Graded: grade(st, r, "evidence", v.Evidence, v.Reason)}
	if !slices.Contains(graph.AgreementTypes, a.Type) {
		st.problem(r.at("type", v.Type, fmt.Sprintf("unknown agreement type; want one of %v", graph.AgreementTypes)))
	}
	if len(v.Parties) < 2 {
		st.problem(r.at("parties", "", "an agreement needs at least two parties"))
	}
	ok := true
	for _, p := range v.Parties {
		if strings.TrimSpace(p) == "" {
			st.problem(r.at("parties", "", "empty party"))
			ok = false
			continue
		}
		id := refOrg(st, r, "parties", p)
		if id == "" {
			ok = false
			continue
		}
		if slices.ContainsFunc(a.Parties, func(x graph.Party) bool { return x.Org == id }) {
			st.problem(r.at("parties", p, fmt.Sprintf("%s is named twice: an organisation cannot agree with itself", id)))
			ok = false
			continue
		}
		a.Parties = append(a.Parties, graph.Party{Org: id})
	}
	if a.Event = v.Event; v.Event != "" {
		if _, found := st.ds.Events[v.Event]; !found {
			st.problem(r.at("event", v.Event, "no event with this id"))
		}
	}
	if a.Programme = v.Programme; v.Programme != "" {
		if _, found := st.ds.Programmes[v.Programme]; !found {
			st.problem(r.at("programme", v.Programme, "no programme with this id"))
		}
	}
	for _, f := range v.Fields {
		if !snakeRE.MatchString(f) {
			st.problem(r.at("fields", f, "a field is a snake_case word such as technology_transfer"))
		}
		a.Fields = append(a.Fields, f)
	}
	for _, l := range v.CountedIn {
		f := l.Figure
		if _, found := st.ds.Figures[f]; !found {
			st.problem(r.at("counted_in", f, "no reported figure with this id"))
		}
		a.CountedIn = append(a.CountedIn, f)
		if l.graded {
			if a.CountedInGrades == nil {
				a.CountedInGrades = map[string]graph.Graded{}
			}
			a.CountedInGrades[f] = grade(st, r, "counted_in", l.Evidence, l.Reason)
		}
	}
	if len(a.Sources) == 0 && len(v.Sources) == 0 {
		st.problem(r.at("sources", "", "an agreement must cite at least one source"))
	}
	if !ok || len(a.Parties) < 2 {
		return
	}
	k := agreementKey(a)
	if prev, dup := seen[k]; dup {
		st.problem(r.at("id", v.ID, fmt.Sprintf("duplicate agreement: %q at %s:%d has the same parties, type, date, event and programme",
			prev.v.ID, prev.file, prev.node.Line)))
		return
	}
	seen[k] = r
	st.ds.Agreements[a.ID] = a
}

func (st *state) addRelation(r *rec[yRelation]) {
	v := r.v
	typ := foldCode(v.Type)
	if _, ok := graph.RelationTypes[typ]; !ok {
		st.problem(r.at("type", v.Type, "a relation type is visited, tenant_of, member_of or part_of"))
		return
	}
	from := refOrg(st, r, "from", v.From)
	var to string
	if _, isProg := st.ds.Programmes[v.To]; isProg && typ == "member_of" {
		to = v.To // a park holding a programme's title
	} else {
		to = refOrg(st, r, "to", v.To)
	}
	if from == "" || to == "" {
		return
	}
	if from == to {
		st.problem(r.at("to", v.To, "a relation needs two different organisations"))
		return
	}
	rel := &graph.Relation{Type: typ, From: from, To: to, Date: checkDate(st, r, "date", v.Date),
		Sources: citations(st, r, v.Sources), Graded: grade(st, r, "evidence", v.Evidence, v.Reason)}
	if _, dup := st.ds.Relations[rel.Key()]; dup {
		st.problem(r.at("type", v.Type, "duplicate relation"))
		return
	}
	st.ds.Relations[rel.Key()] = rel
}
