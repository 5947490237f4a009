package data_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/collabnet/collabnet/loader"
)

// verifyFile loads one test data file and checks it against the seed
// articles, returning what was not found, fact by fact.
func verifyFile(t *testing.T, name string) map[string]string {
	t.Helper()
	l, err := loader.New(loader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ds, _, err := l.Load(t.Context(), []loader.Input{loader.FileInput(filepath.Join("testdata", "verify", name))})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	checks, err := loader.VerifySources(t.Context(), ds, seeds(t))
	if err != nil {
		t.Fatal(err)
	}
	missing := map[string]string{}
	for _, c := range checks {
		if !c.Found() {
			missing[c.Kind+" "+c.ID] = strings.Join(c.Missing, "; ")
		}
	}
	if err := loader.VerifyFailed(checks); (err == nil) != (len(missing) == 0) {
		t.Errorf("%s: VerifyFailed %v with %d facts not found", name, err, len(missing))
	}
	return missing
}

// The check finds the facts as the articles state them, with locators in
// the other script and width, and fails on each kind of drift: a changed
// number, a partner swapped for one named in the same paragraph, and a
// citation of the wrong paragraph.
func TestVerifyCatchesDrift(t *testing.T) {
	if m := verifyFile(t, "correct.yaml"); len(m) != 0 {
		t.Fatalf("correct.yaml: not found: %v", m)
	}
	for _, tc := range []struct{ file, fact, want string }{
		{"changed-number.yaml", "figure pairs-42", "number 43"},
		{"swapped-partner.yaml", "agreement daxing-cambridge", "named together"},
		{"wrong-paragraph.yaml", "agreement daxing-cambridge", `locator "首批推动" not in s003#1,13`},
		{"wrong-paragraph.yaml", "agreement daxing-cambridge", "party 剑桥启迪科技园"},
	} {
		m := verifyFile(t, tc.file)
		if len(m) != 1 || !strings.Contains(m[tc.fact], tc.want) {
			t.Errorf("%s: not found %v; want %s to miss %q", tc.file, m, tc.fact, tc.want)
		}
	}
}
