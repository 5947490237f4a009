package loader

import (
	"path/filepath"
	"strings"
	"testing"
)

// Dates under --date-format layouts: an impossible date is named as such with
// its layout, a one-digit day under DD/MM/YYYY gets the layout that reads it,
// and a value two layouts read as different days is an error, never the
// first layout's reading.
func TestDateLayoutProblems(t *testing.T) {
	dir := writeFiles(t, map[string]string{"dates.csv": "party_a,country_a,party_b,country_b,type,date\n" +
		"Org A,DE,Org B,FR,mou,31/02/2024\n" +
		"Org A,DE,Org C,FR,mou,1/2/2023\n" +
		"Org A,DE,Org D,FR,mou,01/02/2023\n" +
		"Org A,DE,Org E,FR,mou,13/02/2023\n" +
		"Org A,DE,Org F,FR,mou,05/05/2023\n"})
	file := filepath.Join(dir, "dates.csv")
	type check struct {
		line        int
		in, notIn   string
		formats     []string
		wantNoError bool
	}
	ddmm := []string{"DD/MM/YYYY"}
	both := []string{"DD/MM/YYYY", "MM/DD/YYYY"}
	for _, c := range []check{
		{line: 2, formats: ddmm, in: "not a real date (read as DD/MM/YYYY)", notIn: "--date-format"},
		{line: 3, formats: ddmm, in: "D/M/YYYY"},
		{line: 2, formats: both, in: "not a real date"},
		{line: 4, formats: both, in: "ambiguous: 2023-02-01 under DD/MM/YYYY, 2023-01-02 under MM/DD/YYYY"},
		{line: 5, formats: both, wantNoError: true}, // only DD/MM/YYYY reads 13/02
		{line: 6, formats: both, wantNoError: true}, // both read 5 May
	} {
		_, ps := load(t, Options{DateFormats: c.formats}, file)
		var msg string
		for _, p := range ps {
			if p.Line == c.line {
				if p.Field != "date" || p.Column != 6 {
					t.Errorf("%v line %d: not located at the date cell: %v", c.formats, c.line, p)
				}
				msg = p.Msg
			}
		}
		switch {
		case c.wantNoError && msg != "":
			t.Errorf("%v line %d: %s, want no problem", c.formats, c.line, msg)
		case c.wantNoError:
		case !strings.Contains(msg, c.in) || (c.notIn != "" && strings.Contains(msg, c.notIn)):
			t.Errorf("%v line %d: %q, want it to say %q (and not %q)", c.formats, c.line, msg, c.in, c.notIn)
		}
	}
	// Dates both layouts read alike load; 13/02/2023 is 13 February.
	ds := loadDS(t, Options{DateFormats: both, SkipInvalid: true}, file)
	for id, a := range ds.Agreements {
		switch {
		case strings.Contains(id, "org e"), strings.Contains(id, "orge"):
			if a.Date != "2023-02-13" {
				t.Errorf("%s: date %s, want 2023-02-13", id, a.Date)
			}
		case strings.Contains(id, "orgf"):
			if a.Date != "2023-05-05" {
				t.Errorf("%s: date %s, want 2023-05-05", id, a.Date)
			}
		default:
			t.Errorf("%s loaded; its date is impossible or ambiguous", id)
		}
	}
	if len(ds.Agreements) != 2 {
		t.Errorf("%d agreements, want 2: %v", len(ds.Agreements), keys(ds.Agreements))
	}
}

// A date in a layout we do not read by default gets, in its first error,
// the --date-format layouts that read it, from its shape, and never one
// that does not (2025/9/17 once suggested DD/MM/YYYY); a value two layouts
// read as different days names both.
func TestDateFormatSuggestion(t *testing.T) {
	p, err := newDateParser(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		v         string
		want      []string // layouts the message names
		ambiguous bool
	}{
		{"2025/9/17", []string{"YYYY/M/D"}, false},
		{"2025/09/17", []string{"YYYY/M/D"}, false},
		{"17.9.2025", []string{"D.M.YYYY"}, false},
		{"2025年9月17日", []string{"YYYY年M月D日"}, false},
		{"9/17/2025", []string{"M/D/YYYY"}, false},
		{"17/9/2025", []string{"D/M/YYYY"}, false},
		{"1/2/2025", []string{"D/M/YYYY", "M/D/YYYY"}, true},
		{"17-09-2025", []string{"D-M-YYYY"}, false},
	} {
		_, err := p.parse(c.v)
		if err == nil {
			t.Errorf("%s: read without a --date-format", c.v)
			continue
		}
		msg := err.Error()
		named := map[string]bool{}
		for _, f := range dateShapes {
			if strings.Contains(msg, f+" ") || strings.HasSuffix(msg, f) {
				named[f] = true
			}
		}
		for _, f := range c.want {
			if !named[f] {
				t.Errorf("%s: %q does not name %s", c.v, msg, f)
			}
			delete(named, f)
		}
		if len(named) > 0 {
			t.Errorf("%s: %q names layouts that do not read it: %v", c.v, msg, named)
		}
		if strings.Contains(msg, "DD/MM/YYYY") {
			t.Errorf("%s: %q suggests DD/MM/YYYY", c.v, msg)
		}
		if c.ambiguous != strings.Contains(msg, "cannot tell") {
			t.Errorf("%s: %q; ambiguous = %v", c.v, msg, c.ambiguous)
		}
		// The suggestion works: the layout it names reads the value.
		if !c.ambiguous {
			q, err := newDateParser(c.want)
			if err != nil {
				t.Fatalf("%s: the suggested layout %s: %v", c.v, c.want[0], err)
			}
			if d, err := q.parse(c.v); err != nil || d != "2025-09-17" {
				t.Errorf("%s under --date-format %s: %q, %v; want 2025-09-17", c.v, c.want[0], d, err)
			}
		}
	}
	// Named layouts that do not read the value: the suggestion still comes.
	q, _ := newDateParser([]string{"DD/MM/YYYY"})
	if _, err := q.parse("2025/9/17"); err == nil || !strings.Contains(err.Error(), "--date-format YYYY/M/D") {
		t.Errorf("2025/9/17 under DD/MM/YYYY: %v, want a suggestion of YYYY/M/D", err)
	}
}
