package loader

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// want is what one problem must say: where, and a part of its message.
type want struct {
	line   int
	field  string // "" when the problem concerns the whole file
	value  string
	inMsg  string
	column bool // the problem must name a column
}

func load(t *testing.T, opts Options, files ...string) (*Report, Problems) {
	t.Helper()
	l, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	var ins []Input
	for _, f := range files {
		if !filepath.IsAbs(f) {
			f = filepath.Join("testdata", f)
		}
		ins = append(ins, FileInput(f))
	}
	ds, rep, err := l.Load(context.Background(), ins)
	if err == nil {
		return rep, nil
	}
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error is %T %v, want Problems", err, err)
	}
	if ds != nil {
		t.Errorf("a load with problems returned a dataset; nothing may be loaded")
	}
	return rep, ps
}

func hasProblem(ps Problems, file string, w want) bool {
	for _, p := range ps {
		if !strings.HasSuffix(p.File, file) || p.Line != w.line || !strings.Contains(p.Msg, w.inMsg) {
			continue
		}
		if w.field != "" && p.Field != w.field {
			continue
		}
		if w.value != "" && p.Value != w.value {
			continue
		}
		if w.column && p.Column == 0 {
			continue
		}
		return true
	}
	return false
}

func TestBadInputs(t *testing.T) {
	cases := []struct {
		file string
		want []want
	}{
		{"bad/wrong_header.csv", []want{{line: 1, inMsg: "not a format we know"}}},
		{"bad/unknown_country.csv", []want{
			{line: 3, field: "country_b", value: "Atlantis", inMsg: "unknown country", column: true},
			{line: 4, field: "country_b", value: "Grece", inMsg: "did you mean Greece = GR", column: true},
		}},
		{"bad/empty_party.csv", []want{{line: 3, field: "city2", inMsg: "empty party", column: true}}},
		{"bad/self_agreement.yaml", []want{{line: 13, field: "parties", value: "中關村軟件園", inMsg: "cannot agree with itself", column: true}}},
		{"bad/duplicate_agreement.yaml", []want{{line: 21, field: "id", value: "a2", inMsg: `duplicate agreement: "a1"`, column: true}}},
		{"bad/invalid_utf8.csv", []want{{line: 3, field: "city1", inMsg: "invalid UTF-8 (bytes 4B F6 6C 6E at byte 1); the file may be in another encoding: windows-1252", column: true}}},
		{"bad/truncated.csv.gz", []want{{inMsg: "truncated"}}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			_, ps := load(t, Options{FoldAccents: true}, c.file)
			if ps == nil {
				t.Fatalf("%s loaded without problems", c.file)
			}
			for _, w := range c.want {
				if w.line == 0 {
					// Where the truncation shows depends on the compressor's
					// block boundaries; require a line after the header.
					found := false
					for _, p := range ps {
						found = found || (strings.Contains(p.Msg, w.inMsg) && p.Line > 1)
					}
					if !found {
						t.Errorf("no problem saying %q at a line: %v", w.inMsg, ps)
					}
					continue
				}
				if !hasProblem(ps, c.file, w) {
					t.Errorf("missing problem %+v; got:\n%v", w, ps.Error())
				}
			}
		})
	}
}

// A run lists every problem of every file, not only the first.
func TestAllProblemsListed(t *testing.T) {
	_, ps := load(t, Options{}, "bad/many_problems.yaml", "bad/empty_party.csv")
	for _, w := range []want{
		{line: 7, field: "kind", value: "sciencepark", inMsg: "unknown kind"},
		{line: 11, field: "name", inMsg: "name is required"},
		{line: 21, field: "colour", inMsg: "unknown field"},
	} {
		if !hasProblem(ps, "many_problems.yaml", w) {
			t.Errorf("missing %+v in:\n%v", w, ps.Error())
		}
	}
	if !hasProblem(ps, "empty_party.csv", want{line: 3, inMsg: "empty party"}) {
		t.Errorf("the second file's problem is missing:\n%v", ps.Error())
	}
	// The record with the unknown field is dropped whole, so its other
	// problems are not reported; the others still are.
	if len(ps) < 4 {
		t.Errorf("got %d problems, want at least 4:\n%v", len(ps), ps.Error())
	}
}

// One bad file among good ones loads nothing at all.
func TestBadFileLoadsNothing(t *testing.T) {
	_, ps := load(t, Options{}, "good/bom.csv", "bad/empty_party.csv")
	if ps == nil {
		t.Fatal("loaded despite a bad file")
	}
}

// Spreadsheet programs write a UTF-8 byte-order mark; the header must still
// be recognised.
func TestUTF8BOMAccepted(t *testing.T) {
	rep, ps := load(t, Options{}, "good/bom.csv")
	if ps != nil {
		t.Fatalf("a UTF-8 BOM made the load fail: %v", ps)
	}
	if rep.Files[0].Format != FormatPairs || rep.Files[0].Rows != 1 {
		t.Errorf("report %+v, want one pairs row", rep.Files[0])
	}
}

// With SkipInvalid, bad rows are dropped and reported, good rows load.
func TestSkipInvalid(t *testing.T) {
	rep, ps := load(t, Options{SkipInvalid: true}, "bad/unknown_country.csv")
	if ps != nil {
		t.Fatalf("problems with SkipInvalid: %v", ps)
	}
	fr := rep.Files[0]
	if fr.Rows != 3 || fr.Skipped != 2 || len(fr.Warnings) != 2 {
		t.Errorf("rows %d skipped %d warnings %v; want 3, 2, 2", fr.Rows, fr.Skipped, fr.Warnings)
	}
}
