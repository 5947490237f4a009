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
