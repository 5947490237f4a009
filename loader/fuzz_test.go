package loader

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/collabnet/collabnet/internal/hostile"
	"github.com/collabnet/collabnet/internal/names"
)

// The fuzz targets run for a fixed budget in scripts/test; without -fuzz,
// go test runs their seeds (testdata files and testdata/fuzz) as tests.

func seedFiles(f *testing.F, exts ...string) {
	f.Helper()
	for _, dir := range []string{"testdata/good", "testdata/bad", "testdata/cases"} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			f.Fatal(err)
		}
		for _, e := range entries {
			for _, ext := range exts {
				if strings.HasSuffix(e.Name(), ext) {
					b, err := os.ReadFile(filepath.Join(dir, e.Name()))
					if err != nil {
						f.Fatal(err)
					}
					f.Add(b)
				}
			}
		}
	}
}

func bytesInput(name string, b []byte) Input {
	return Input{Name: name, Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }}
}

// fuzzLoad loads one input and checks what a user relies on: no panic;
// either a dataset or located problems, never both; stored names clean.
func fuzzLoad(t *testing.T, l *Loader, in Input) {
	ds, _, err := l.Load(t.Context(), []Input{in})
	if err != nil {
		var ps Problems
		if !errors.As(err, &ps) || ds != nil {
			t.Fatalf("err %v (%T), dataset %v", err, err, ds != nil)
		}
		for _, p := range ps {
			if p.File != in.Name {
				t.Fatalf("problem not located in the file: %+v", p)
			}
		}
		return
	}
	for _, o := range ds.Organizations {
		if o.Name != CleanName(o.Name) {
			t.Fatalf("stored name %q is not clean", o.Name)
		}
	}
	for _, a := range ds.Agreements {
		if a.Date != "" {
			if _, ok := isoDate(a.Date); !ok {
				t.Fatalf("agreement %s has the date %q", a.ID, a.Date)
			}
		}
	}
}

// fuzzLimits are small enough for fuzzed inputs to reach, so that the
// limit checks are fuzzed too (the defaults need megabytes).
var fuzzLimits = Limits{InputBytes: 1 << 20, YAMLBytes: 256 << 10, CellBytes: 4 << 10, Columns: 64, Rows: 20_000, XLSXCells: 50_000, Ratio: 100}

// hostileSeeds adds small files of the hostile corpus's shapes (issue 21;
// cmd/collabnet/limits_test.go has the full-size ones), each beyond
// fuzzLimits.
func hostileSeeds(f *testing.F, gen ...func(w io.Writer) error) {
	f.Helper()
	for _, g := range gen {
		var b bytes.Buffer
		if err := g(&b); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
	}
}

func FuzzNativeYAML(f *testing.F) {
	seedFiles(f, ".yaml")
	hostileSeeds(f,
		func(w io.Writer) error { // a long value
			_, err := io.WriteString(w, "sources:\n  - id: s\n    title: "+strings.Repeat("t", 5000)+"\n")
			return err
		},
		func(w io.Writer) error { // a gzip of more YAML than the limit
			return hostile.Gzip(w, []byte("sources:\n"), bytes.Repeat([]byte("  - {id: s, title: t}\n"), 2000), 8, nil)
		},
		func(w io.Writer) error { return hostile.NULBomb(w, 1<<20) },
	)
	l, err := New(Options{FoldAccents: true, Limits: fuzzLimits})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) { fuzzLoad(t, l, bytesInput("f.yaml", b)) })
}

func FuzzTable(f *testing.F) {
	seedFiles(f, ".csv")
	hostileSeeds(f,
		func(w io.Writer) error { return hostile.FieldBomb(w, 1<<20) },
		func(w io.Writer) error { return hostile.NULBomb(w, 1<<20) },
		func(w io.Writer) error { return hostile.RowsBomb(w, 40_000) },
		func(w io.Writer) error { return hostile.LongLine(w, 64<<10) },
		func(w io.Writer) error { // a row wider than the limit
			_, err := io.WriteString(w, hostile.Header+"1,a,A,DE"+strings.Repeat(",x", 100)+"\n")
			return err
		},
	)
	l, err := New(Options{FoldAccents: true, SkipInvalid: true, Limits: fuzzLimits})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) { fuzzLoad(t, l, bytesInput("f.csv", b)) })
}

// FuzzXLSX reads workbooks: the test data's, and ones with cells in column
// XFD (declared or not), as the hostile corpus has.
func FuzzXLSX(f *testing.F) {
	for _, name := range []string{"merged_country_cells.xlsx", "sheets_per_year.xlsx"} {
		b, err := os.ReadFile(filepath.Join("testdata", "loader2", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	hostileSeeds(f,
		func(w io.Writer) error { return hostile.WideXLSX(w, 5, "A1:XFD6") },
		func(w io.Writer) error { return hostile.WideXLSX(w, 5, "A1:D2") },
		func(w io.Writer) error { return hostile.WideXLSX(w, 3, "") },
	)
	l, err := New(Options{FoldAccents: true, SkipInvalid: true, Limits: fuzzLimits})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) { fuzzLoad(t, l, bytesInput("f.xlsx", b)) })
}

func FuzzCleanName(f *testing.F) {
	for _, s := range []string{"Org E", "Org\u00a0E", "Org E\u200b", "Org\u00adE", "\ufeffOrg E", "Org\u2060 E", "Org\u200dE",
		"中关村（海淀）园", "ＳＢＡ", "e\u200b\u0301", "\u3000x\u202fy", "a\ufe0f", "\x80bad"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := names.Clean(s)
		if c2 := names.Clean(c); c2 != c {
			t.Fatalf("Clean(%q) = %q, Clean of that = %q", s, c, c2)
		}
		if strings.IndexFunc(c, func(r rune) bool { return names.Invisible(r) || (unicode.IsSpace(r) && r != ' ') }) >= 0 {
			t.Fatalf("Clean(%q) = %q keeps an invisible character or a special space", s, c)
		}
		if strings.HasPrefix(c, " ") || strings.HasSuffix(c, " ") || strings.Contains(c, "  ") {
			t.Fatalf("Clean(%q) = %q has spaces to trim or collapse", s, c)
		}
		if NameKey(c, true) != NameKey(s, true) {
			t.Fatalf("NameKey differs for %q and its clean form %q", s, c)
		}
	})
}

func FuzzCountry(f *testing.F) {
	for _, s := range []string{"DE", "NA", "N/A", "Germany", "德国", "England, United Kingdom", "St. Lucia", "Grece", "EL", "UK", "", "Congo"} {
		f.Add(s)
	}
	c, err := NewCountries(nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, err := c.Resolve(s)
		if err != nil {
			return
		}
		if code == "" {
			if strings.TrimSpace(s) != "" {
				t.Fatalf("Resolve(%q) = \"\" without an error", s)
			}
			return
		}
		if c.Country(code) == nil {
			t.Fatalf("Resolve(%q) = %q, which has no record", s, code)
		}
		if again, err := c.Resolve(code); err != nil || again != code {
			t.Fatalf("Resolve(%q) = %q, but Resolve(%q) = %q, %v", s, code, code, again, err)
		}
	})
}
