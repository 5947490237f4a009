package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/rivo/uniseg"
	"github.com/spf13/cobra"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/export"
	"github.com/collabnet/collabnet/graph"
)

func newListCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list organizations|agreements|countries|figures",
		Short: "List the organisations, agreements, countries or reported figures",
		Long: `List one kind of element of the graph, for reading or scripting.

In JSON an agreement carries its id, its parties (name, English name,
country, kind), date, event, programme, type, fields and sources; a figure
carries the named agreements counted in it and the share they cover.`,
		Example: `  collabnet list agreements --format json
  collabnet list organizations --input ../shared/datasets/h2020/participations.csv.gz --format csv`,
		Args:      cobra.ExactArgs(1),
		ValidArgs: []string{"organizations", "agreements", "countries", "figures"},
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := newListOptions(a.v, args[0])
			if err != nil {
				return err
			}
			return a.runList(cmd.Context(), o, cmd.OutOrStdout())
		},
	}
	addInputFlags(cmd)
	addSourceFlag(cmd)
	cmd.Flags().StringP("format", "f", "table", "output format: table, json or csv")
	addExcelFlag(cmd)
	f := cmd.Flags()
	f.String("since", "", "agreements: dated from this year, month or day on (as analyze --since)")
	f.String("until", "", "agreements: dated up to this year, month or day")
	f.StringSlice("countries", nil, "agreements: with --ego, those an organisation of these countries (or regions) is party to")
	f.Bool("ego", false, "agreements: those an organisation of --countries is party to (the agreements of analyze --countries X --ego)")
	f.StringSlice("between", nil, "agreements: those behind one tie, A,B (organisation IDs or country codes): a party is or is of A and another is or is of B")
	for _, n := range []string{"since", "until", "countries", "ego"} {
		f.Lookup(n).Annotations = map[string][]string{"key": {"analytics." + n}}
	}
	cmd.Flags().Bool("pretty", false, "JSON: indent by two spaces (default: compact)")
	return cmd
}

// addExcelFlag adds --excel, for CSV that Excel reads as UTF-8.
func addExcelFlag(cmd *cobra.Command) {
	cmd.Flags().Bool("excel", false, "CSV: start with a UTF-8 byte-order mark, so that Excel on Windows reads Chinese and accented names correctly")
}

// runList prints one kind of element of the graph.
func (a *app) runList(ctx context.Context, o listOptions, stdout io.Writer) error {
	ds, err := a.readGraph(ctx, o.sourceOptions)
	if err != nil {
		return err
	}
	var t table
	switch o.Kind {
	case "organizations":
		t = orgTable(ds)
	case "agreements":
		if ds, err = a.selectAgreements(ds, o); err != nil {
			return err
		}
		t = agreementTable(ds)
	case "countries":
		t = countryTable(ds)
	default:
		t = figureTable(ds)
	}
	if o.Excel && o.Format == "csv" {
		if _, err := io.WriteString(stdout, export.UTF8BOM); err != nil {
			return err
		}
	}
	if err := t.write(stdout, o.Format, o.Pretty); err != nil {
		return err
	}
	if o.Kind == "figures" && o.Format == "table" {
		return countryCoverageTables(stdout, ds)
	}
	return nil
}

// countryCoverageTables prints, after the figure table, one small table per
// figure that counts agreements and names countries: each country, its
// named agreements and the range of its share of the figure's ties.
func countryCoverageTables(w io.Writer, ds *graph.Dataset) error {
	for _, c := range ds.Coverage() {
		if len(c.Countries) == 0 {
			continue
		}
		var cites []string
		for _, s := range c.Figure.Sources {
			cites = append(cites, s.String())
		}
		_, _ = fmt.Fprintf(w, "\n%s (%g %s, %s): the countries it names\n", c.Figure.ID, c.Figure.Value, c.Figure.Unit, strings.Join(cites, "; "))
		t := table{header: []string{"country", "named agreements", "share of ties", "ties"}}
		for _, cc := range c.Countries {
			named := "none"
			if len(cc.Named) > 0 {
				named = strings.Join(cc.Named, ", ")
			}
			name := cc.Country
			if x := ds.Countries[cc.Country]; x != nil {
				name += " " + x.NameEN
			}
			t.rows = append(t.rows, []string{name, named, fmt.Sprintf("%.0f%%–%.0f%%", 100*cc.Low, 100*cc.High),
				fmt.Sprintf("%d–%g of %g", cc.MinTies, cc.MaxTies, c.Figure.Value)})
		}
		if err := t.write(w, "table", false); err != nil {
			return err
		}
	}
	return nil
}

func checkFormat(f string) error {
	switch f {
	case "table", "json", "csv":
		return nil
	}
	return fmt.Errorf("format %q: want table, json or csv", f)
}

// table is a listing: header and rows for table and CSV output, and the
// records for JSON. A long listing gives n, rowAt and recAt instead of
// rows and json: its rows and records are then made one at a time as they
// are written.
type table struct {
	header []string
	rows   [][]string
	json   any
	n      int
	rowAt  func(i int) []string
	recAt  func(i int) any
}

// write writes the table as format (table, json or csv). JSON and CSV go
// out row by row through a fixed-size buffer; a JSON list is an array
// written element by element, indented by two spaces when pretty. The
// aligned table needs every row before the first line.
func (t table) write(w io.Writer, format string, pretty bool) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var err error
	switch format {
	case "json":
		err = t.writeJSON(bw, pretty)
	case "csv":
		// No cell is evaluated as a formula by a spreadsheet program
		// (export.NeutralizeCell).
		cw := csv.NewWriter(bw)
		row := make([]string, 0, len(t.header))
		neutral := func(r []string) {
			row = row[:0]
			for _, c := range r {
				row = append(row, export.NeutralizeCell(c))
			}
			_ = cw.Write(row) // a write error stays in cw; Error reports it after Flush
		}
		neutral(t.header)
		t.each(neutral)
		cw.Flush()
		err = cw.Error()
	default:
		err = writeAligned(bw, t)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// writeAligned writes the table in columns two spaces apart, as
// text/tabwriter would, but measuring each cell by the columns a terminal
// gives it: two for the wide and full-width characters of Chinese,
// Japanese and Korean (Unicode's East Asian Width), none for combining
// marks, so that 中关村科学城 takes twelve and the columns after it stay
// aligned (tabwriter counts characters).
func writeAligned(w io.Writer, t table) error {
	rows := [][]string{t.header}
	t.each(func(r []string) { rows = append(rows, slices.Clone(r)) })
	var widths []int
	for _, r := range rows {
		for i, c := range r[:max(len(r)-1, 0)] { // the last cell is not padded
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	var line []byte
	for _, r := range rows {
		line = line[:0]
		for i, c := range r {
			line = append(line, c...)
			if i < len(r)-1 {
				for range widths[i] - displayWidth(c) + 2 {
					line = append(line, ' ')
				}
			}
		}
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	return nil
}

// displayWidth is the number of terminal columns s takes (uniseg: two for
// East Asian wide and full-width characters, none for combining marks).
func displayWidth(s string) int { return uniseg.StringWidth(s) }

func (t table) each(f func([]string)) {
	if t.rowAt != nil {
		for i := range t.n {
			f(t.rowAt(i))
		}
		return
	}
	for _, r := range t.rows {
		f(r)
	}
}

// writeJSON writes the records as encoding/json's Encoder would (with
// SetIndent("", "  ") when pretty), a list one element at a time.
func (t table) writeJSON(w io.Writer, pretty bool) error {
	n, at := t.n, t.recAt
	if at == nil {
		v := reflect.ValueOf(t.json)
		if v.Kind() != reflect.Slice || v.IsNil() {
			return encodeJSON(w, t.json, "", pretty)
		}
		n, at = v.Len(), func(i int) any { return v.Index(i).Interface() }
	}
	if n == 0 {
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	sep := "["
	for i := range n {
		if pretty {
			sep += "\n  "
		}
		if _, err := io.WriteString(w, sep); err != nil {
			return err
		}
		if err := encodeJSON(w, at(i), "  ", pretty); err != nil {
			return err
		}
		sep = ","
	}
	end := "]\n"
	if pretty {
		end = "\n]\n"
	}
	_, err := io.WriteString(w, end)
	return err
}

// encodeJSON writes v without HTML escaping and, when prefix is set,
// without the Encoder's final newline: prefix is the indentation of v's
// lines after the first when pretty.
func encodeJSON(w io.Writer, v any, prefix string, pretty bool) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if pretty {
		enc.SetIndent(prefix, "  ")
	}
	if err := enc.Encode(v); err != nil {
		return err
	}
	out := b.Bytes()
	if prefix != "" {
		out = bytes.TrimSuffix(out, []byte("\n"))
	}
	_, err := w.Write(out)
	return err
}

func orgTable(ds *graph.Dataset) table {
	t := table{header: []string{"id", "name", "name_en", "kind", "country", "part_of", "agreements", "evidence"}}
	count := map[string]int{}
	for _, a := range ds.Agreements {
		for _, p := range a.Parties {
			count[p.Org]++
		}
	}
	type org struct {
		*graph.Organization
		Agreements int `json:"agreements"`
	}
	orgs := ds.SortedOrganizations()
	t.n = len(orgs)
	t.rowAt = func(i int) []string {
		o := orgs[i]
		return []string{o.ID, o.Name, o.NameEN, string(o.Kind), o.Country, o.PartOf, strconv.Itoa(count[o.ID]), string(o.Grade())}
	}
	t.recAt = func(i int) any { return org{orgs[i], count[orgs[i].ID]} }
	return t
}

// partyJSON and citationJSON spell out references, so that a script reading
// the JSON needs no second lookup.
type partyJSON struct {
	ID      string  `json:"id"`
	Name    string  `json:"name"`
	NameEN  string  `json:"name_en,omitempty"`
	Country string  `json:"country,omitempty"`
	Kind    string  `json:"kind"`
	Role    string  `json:"role,omitempty"`
	Amount  float64 `json:"contribution,omitempty"`
}

type citationJSON struct {
	Source     string   `json:"source"`
	Title      string   `json:"title,omitempty"`
	Publisher  string   `json:"publisher,omitempty"`
	Date       string   `json:"date,omitempty"`
	File       string   `json:"file,omitempty"`
	Paragraphs []int    `json:"paragraphs,omitempty"`
	Locators   []string `json:"locators,omitempty"`
}

func citationsOf(ds *graph.Dataset, cs []graph.Citation) []citationJSON {
	out := []citationJSON{}
	for _, c := range cs {
		cj := citationJSON{Source: c.Source, Paragraphs: c.Paragraphs, Locators: c.Locators}
		if s := ds.Sources[c.Source]; s != nil {
			cj.Title, cj.Publisher, cj.Date, cj.File = s.Title, s.Publisher, s.Date, s.File
		}
		out = append(out, cj)
	}
	return out
}

func agreementTable(ds *graph.Dataset) table {
	t := table{header: []string{"id", "type", "date", "event", "programme", "parties", "fields", "evidence", "sources"}}
	type agreement struct {
		ID        string      `json:"id"`
		Type      string      `json:"type"`
		Title     string      `json:"title,omitempty"`
		Date      string      `json:"date,omitempty"`
		Event     string      `json:"event,omitempty"`
		Programme string      `json:"programme,omitempty"`
		Parties   []partyJSON `json:"parties"`
		Fields    []string    `json:"fields"`
		CountedIn []string    `json:"counted_in,omitempty"`
		// CountedInGrades grades the counted_in links graded apart from the agreement.
		CountedInGrades map[string]graph.Graded `json:"counted_in_grades,omitempty"`
		Sources         []citationJSON          `json:"sources"`
		graph.Graded
	}
	as := ds.SortedAgreements()
	rec := func(a *graph.Agreement) (agreement, []string) {
		r := agreement{ID: a.ID, Type: a.Type, Title: a.Title, Date: a.Date, Event: a.Event, Programme: a.Programme, Parties: []partyJSON{},
			Fields: append([]string{}, a.Fields...), CountedIn: a.CountedIn, CountedInGrades: a.CountedInGrades,
			Sources: citationsOf(ds, a.Sources), Graded: a.Graded}
		var names, cites []string
		for _, p := range a.Parties {
			o := ds.Organizations[p.Org]
			r.Parties = append(r.Parties, partyJSON{o.ID, o.Name, o.NameEN, o.Country, string(o.Kind), p.Role, p.Contribution})
			names = append(names, fmt.Sprintf("%s (%s)", displayName(o), o.Country))
		}
		for _, c := range r.Sources {
			cites = append(cites, graph.Citation{Source: c.Source, Paragraphs: c.Paragraphs}.String())
		}
		return r, []string{a.ID, a.Type, a.Date, a.Event, a.Programme,
			strings.Join(names, " + "), strings.Join(a.Fields, ","), string(a.Grade()), strings.Join(cites, "; ")}
	}
	t.n = len(as)
	t.rowAt = func(i int) []string { _, row := rec(as[i]); return row }
	t.recAt = func(i int) any { r, _ := rec(as[i]); return r }
	return t
}

// displayName is an organisation's name, or its ID when the input gave none
// (CORDIS participations name organisations by PIC only).
func displayName(o *graph.Organization) string {
	if o.Name != "" {
		return o.Name
	}
	return o.ID
}

func countryTable(ds *graph.Dataset) table {
	t := table{header: []string{"code", "name_en", "name_zh", "organizations"}}
	count := map[string]int{}
	for _, o := range ds.Organizations {
		count[o.Country]++
	}
	type country struct {
		*graph.Country
		Organizations int `json:"organizations"`
	}
	recs := []country{}
	for _, c := range ds.SortedCountries() {
		t.rows = append(t.rows, []string{c.Code, c.NameEN, c.NameZH, strconv.Itoa(count[c.Code])})
		recs = append(recs, country{c, count[c.Code]})
	}
	t.json = recs
	return t
}

// countryCoverageJSON is one country a coverage figure names: the named
// agreements counted in it that involve the country, and the range of the
// country's share of the figure's ties (graph.CountryCoverage).
type countryCoverageJSON struct {
	Country string   `json:"country"`
	Named   []string `json:"named_agreements"`
	MinTies int      `json:"min_ties"`
	MaxTies float64  `json:"max_ties"`
	Low     float64  `json:"low"`
	High    float64  `json:"high"`
}

// figureTable lists the reported figures. For a count of agreements the
// coverage column says how many are named by a stated link (and how many
// more are linked by an inferred or reported one), and the countries column
// gives, for each country the figure names, its named agreements and the
// range of its share of the figure's ties.
func figureTable(ds *graph.Dataset) table {
	t := table{header: []string{"id", "value", "unit", "counts", "about", "evidence", "named", "coverage", "countries", "sources"}}
	type figure struct {
		*graph.ReportedFigure
		Named           []string              `json:"named_agreements"`
		Unconfirmed     []string              `json:"unconfirmed_agreements,omitempty"`
		Share           *float64              `json:"named_share,omitempty"`
		CountryCoverage []countryCoverageJSON `json:"country_coverage,omitempty"`
		Sources         []citationJSON        `json:"sources"`
	}
	recs := []figure{}
	for _, c := range ds.Coverage() {
		f := c.Figure
		r := figure{ReportedFigure: f, Named: append([]string{}, c.Named...), Unconfirmed: c.Unconfirmed, Sources: citationsOf(ds, f.Sources)}
		share := ""
		if f.Coverage {
			r.Share = &c.Share
			share = fmt.Sprintf("%d of %g (%.0f%%)", len(c.Named), f.Value, 100*c.Share)
			if n := len(c.Unconfirmed); n > 0 {
				share += fmt.Sprintf(", %d more linked but not stated (%s)", n, strings.Join(c.Unconfirmed, ", "))
			}
		}
		var countries []string
		for _, cc := range c.Countries {
			r.CountryCoverage = append(r.CountryCoverage, countryCoverageJSON{cc.Country, append([]string{}, cc.Named...), cc.MinTies, cc.MaxTies, cc.Low, cc.High})
			countries = append(countries, fmt.Sprintf("%s %d named, %s", cc.Country, len(cc.Named), shareRange(cc)))
		}
		if len(c.Countries) == 0 && len(f.Countries) > 0 {
			countries = f.Countries
		}
		var cites []string
		for _, s := range r.Sources {
			cites = append(cites, graph.Citation{Source: s.Source, Paragraphs: s.Paragraphs}.String())
		}
		recs = append(recs, r)
		t.rows = append(t.rows, []string{f.ID, strconv.FormatFloat(f.Value, 'f', -1, 64), f.Unit, f.Counts, f.About, string(f.Grade()),
			strconv.Itoa(len(c.Named)), share, strings.Join(countries, "; "), strings.Join(cites, "; ")})
	}
	t.json = recs
	return t
}

// shareRange writes a country's possible share of a figure's ties: "2–100%".
func shareRange(cc graph.CountryCoverage) string {
	return fmt.Sprintf("%.0f–%.0f%% of ties", 100*cc.Low, 100*cc.High)
}

// selectAgreements keeps the agreements list agreements is asked for: those
// an analysis with the same --since, --until, --countries --ego is built
// from, and with --between those behind one tie.
func (a *app) selectAgreements(ds *graph.Dataset, o listOptions) (*graph.Dataset, error) {
	if o.Select.Filter == (analysis.Filter{}) && len(o.Between) == 0 {
		return ds, nil
	}
	as, undated, err := analysis.SelectAgreements(ds, o.Select)
	if err != nil {
		return nil, err
	}
	if undated > 0 && (o.Select.Filter.Since != "" || o.Select.Filter.Until != "") {
		a.log.Info("undated agreements left out", "agreements", undated)
	}
	var between [2]string
	if len(o.Between) > 0 {
		if len(o.Between) != 2 {
			return nil, fmt.Errorf("--between %s: want two organisation IDs or country codes, A,B", strings.Join(o.Between, ","))
		}
		between = [2]string{o.Between[0], o.Between[1]}
	}
	is := func(p graph.Party, x string) bool {
		if p.Org == x {
			return true
		}
		org := ds.Organizations[p.Org]
		return org != nil && strings.EqualFold(org.Country, x)
	}
	out := *ds
	out.Agreements = map[string]*graph.Agreement{}
	for _, ag := range as {
		if len(o.Between) > 0 {
			found := false
			for i, p := range ag.Parties {
				for j, q := range ag.Parties {
					if i != j && p.Org != q.Org && is(p, between[0]) && is(q, between[1]) {
						found = true
					}
				}
			}
			if !found {
				continue
			}
		}
		out.Agreements[ag.ID] = ag
	}
	return &out, nil
}
