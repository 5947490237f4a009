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

func FuzzNativeYAML(f *testing.F) {
	seedFiles(f, ".yaml")
	l, err := New(Options{FoldAccents: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) { fuzzLoad(t, l, bytesInput("f.yaml", b)) })
}

func FuzzTable(f *testing.F) {
	seedFiles(f, ".csv")
	l, err := New(Options{FoldAccents: true, SkipInvalid: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) { fuzzLoad(t, l, bytesInput("f.csv", b)) })
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
