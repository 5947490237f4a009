package loader

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/collabnet/collabnet/data"
)

// One organisation however it is written: traditional script, spacing, case,
// full-width letters and brackets, declared aliases, country names in any
// language. The four rows name the same two parties three times, so they
// make two agreements, one of them listed three times.
func TestResolutionAcrossSpellings(t *testing.T) {
	l, _ := New(Options{FoldAccents: true})
	ins := []Input{FileInput("testdata/good/spellings.csv"), FileInput("testdata/good/parks.yaml")}
	ds, rep, err := l.Load(t.Context(), ins)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(ds.Organizations); n != 3 {
		for id, o := range ds.Organizations {
			t.Logf("%s %q %s", id, o.Name, o.Country)
		}
		t.Fatalf("%d organisations, want 3 (the two declared parks and Kista)", n)
	}
	if _, ok := ds.Agreements["pair:seoul-sba|zgc-iip|mou"]; !ok {
		t.Errorf("the ZGC–SBA agreement is missing: %v", keys(ds.Agreements))
	}
	var tables *FileReport
	for i := range rep.Files {
		if rep.Files[i].Format == FormatPairs {
			tables = &rep.Files[i]
		}
	}
	if len(ds.Agreements) != 2 || tables.Merged != 2 {
		t.Errorf("%d agreements, %d merged rows; want 2 and 2", len(ds.Agreements), tables.Merged)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestNameKey(t *testing.T) {
	same := [][2]string{
		{"中關村軟件園", "中关村软件园"},
		{"中关村（海淀）园", "中关村(海淀)园"},
		{"Kista  Science City", "kista science city"},
		{"ＳＢＡ", "sba"},
		{"Bérat", "Berat"},
	}
	for _, p := range same {
		if a, b := NameKey(p[0], true), NameKey(p[1], true); a != b {
			t.Errorf("NameKey(%q)=%q, NameKey(%q)=%q; want equal", p[0], a, p[1], b)
		}
	}
	if NameKey("Bérat", false) == NameKey("Berat", false) {
		t.Error("accents folded with foldAccents off")
	}
	if NameKey("中关村软件园", true) == NameKey("中关村科技园", true) {
		t.Error("different names share a key")
	}
}

// Rows that give an organisation another country than the one it keeps are
// named in a warning: the organisation, and file:line and country of each.
func TestCountryConflictWarningNamesRows(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"cordis1.csv": "projectID,organisationID,name,country\n1,100,Uni X,DE\n2,100,Uni X,DE\n3,100,Uni X,DE\n",
		"cordis2.csv": "projectID,organisationID,name,country\n4,200,Firm Y,IT\n5,100,Uni X,FR\n6,100,Uni X,AT\n",
	})
	l, _ := New(Options{})
	_, rep, err := l.Load(t.Context(), []Input{FileInput(filepath.Join(dir, "cordis1.csv")), FileInput(filepath.Join(dir, "cordis2.csv"))})
	if err != nil {
		t.Fatal(err)
	}
	if ws := rep.Files[0].Warnings; len(ws) != 0 {
		t.Errorf("cordis1.csv agrees with the kept country, yet warns: %v", ws)
	}
	ws := rep.Files[1].Warnings
	if len(ws) != 1 {
		t.Fatalf("cordis2.csv: %d warnings, want 1: %v", len(ws), ws)
	}
	w := ws[0]
	for _, s := range []string{"Uni X (100)", "kept in DE", "3 of its 5 rows", filepath.Join(dir, "cordis2.csv") + ":3 (FR)", filepath.Join(dir, "cordis2.csv") + ":4 (AT)"} {
		if !strings.Contains(w.Msg, s) {
			t.Errorf("warning %q does not say %q", w.Msg, s)
		}
	}
	if w.Line != 3 || w.Field != "country" {
		t.Errorf("warning not located at the first conflicting row: %+v", w)
	}
}

// Event and programme cells name the shipped events and programmes by ID,
// name (in either script) or English name, whichever table and row order;
// a name nobody declared becomes one new event however it is spelled.
func TestEventAndProgrammeCells(t *testing.T) {
	pairs := "party_a,country_a,party_b,country_b,type,date,event,programme\n" +
		"Org A,DE,Org B,FR,mou,2025-01-01,IASP 2025 World Conference,牽手計劃\n" +
		"Org A,DE,Org C,IT,mou,2025-01-02,IASP 2025年世界大會,zgc-qianshou-plan\n" +
		"Org A,DE,Org D,ES,mou,2025-01-03,iasp-2025,\n" +
		"Org A,DE,Org E,PT,mou,2025-01-04,New  Expo,Plan X\n" +
		"Org A,DE,Org F,PL,mou,2025-01-05,new expo,plan-x\n"
	parts := "project,pic,country,event,programme\n" +
		"P1,1,DE,NEW EXPO,牵手计划\n" +
		"P1,2,FR,,\n"
	ins, err := FSInputs(data.FS, "data/")
	if err != nil {
		t.Fatal(err)
	}
	l, _ := New(Options{FoldAccents: true})
	for _, order := range [][2]string{{"a.csv", "b.csv"}, {"b.csv", "a.csv"}} {
		dir := t.TempDir()
		pp, tp := filepath.Join(dir, order[0]), filepath.Join(dir, order[1])
		for p, text := range map[string]string{pp: pairs, tp: parts} {
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		ds, _, err := l.Load(t.Context(), append(slices.Clone(ins), FileInput(pp), FileInput(tp)))
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][2]string{}
		for _, a := range ds.Agreements {
			for _, p := range a.Parties {
				if o := ds.Organizations[p.Org]; o.Name != "Org A" && o.ID != "1" {
					got[cmp.Or(o.Name, o.ID)] = [2]string{a.Event, a.Programme}
				}
			}
		}
		want := map[string][2]string{
			"Org B": {"iasp-2025", "zgc-qianshou-plan"},
			"Org C": {"iasp-2025", "zgc-qianshou-plan"},
			"Org D": {"iasp-2025", ""},
			"Org E": {"event:newexpo", "programme:planx"},
			"Org F": {"event:newexpo", "programme:planx"},
			"2":     {"event:newexpo", "zgc-qianshou-plan"},
		}
		for org, w := range want {
			if got[org] != w {
				t.Errorf("%v: the agreement of %s has event and programme %q, want %q", order, org, got[org], w)
			}
		}
		if e := ds.Events["event:newexpo"]; e == nil {
			t.Errorf("%v: no event:newexpo among %v", order, keys(ds.Events))
		}
		n := 0
		for id := range ds.Events {
			if strings.HasPrefix(id, "event:") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%v: %d new events, want 1 (New Expo however spelled)", order, n)
		}
	}
}

// An organisation known only by its name gets an ID of bounded length
// whatever the name (a 100 KB cell pasted by mistake), the same for every
// spelling of the name and in every load; names that differ only after the
// readable prefix stay apart.
func TestDerivedIDsShort(t *testing.T) {
	long := strings.Repeat("Institute of Very Long Names ", 1000) // 29 KB, under the cell limit
	text := "party_a,country_a,party_b,country_b,type,event\n" +
		"\"" + long + "A\",DE,Org B,FR,mou,\"" + long + "\"\n" +
		"\"" + strings.ToUpper(long) + " a\",DE,Org C,FR,mou,\n" +
		"\"" + long + "Z\",DE,Org D,FR,mou,\n"
	p := writeFile(t, "long.csv", []byte(text))
	var first []string
	for range 2 {
		ds := loadDS(t, Options{FoldAccents: true}, p)
		var ids []string
		for id := range ds.Organizations {
			if len(id) > 80 {
				t.Errorf("organisation ID of %d bytes: %.60q...", len(id), id)
			}
			ids = append(ids, id)
		}
		for id := range ds.Agreements {
			if len(id) > 200 {
				t.Errorf("agreement ID of %d bytes", len(id))
			}
		}
		for id := range ds.Events {
			if len(id) > 80 {
				t.Errorf("event ID of %d bytes", len(id))
			}
		}
		slices.Sort(ids)
		// ...A and ... a are one organisation (case and spacing fold), ...Z another.
		if len(ids) != 5 {
			t.Errorf("%d organisations, want 5 (two long ones, Org B, C, D): %v", len(ids), ids)
		}
		if first == nil {
			first = ids
		} else if !slices.Equal(ids, first) {
			t.Errorf("the IDs differ between two loads: %v and %v", first, ids)
		}
	}
}
