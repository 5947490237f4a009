package loader

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/collabnet/collabnet/graph"
)

// A Chinese office sheet: agreement types in Chinese, an event column,
// our own parks without a country, --default-country CN; the summary names
// what was defaulted and merged, with rows.
func TestChineseOfficeSheet(t *testing.T) {
	text := "party_a,country_a,party_b,country_b,type,event,title\n" +
		"中关村科技园区,,Kista Science City,SE,合作备忘录,2025中关村论坛,\n" +
		"中关村科技园区,,Technopark Zürich,CH,框架协议,2025中关村论坛,\n" +
		"中關村科技園區,,Sophia Antipolis,FR,战略合作协议,,\n" +
		"苏州工业园区,,Dresden,DE,友好城市,,\n" +
		"苏州工业园区,,Org Y,IT,Memorandum of Understanding,,\"" + strings.Repeat("long title ", 2000) + "\"\n"
	p := writeFile(t, "office.csv", []byte(text))
	l, err := New(Options{FoldAccents: true, DefaultCountry: "CN"})
	if err != nil {
		t.Fatal(err)
	}
	ds, rep, err := l.Load(t.Context(), []Input{FileInput(p)})
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]int{}
	for _, a := range ds.Agreements {
		types[a.Type]++
		if len(a.ID) > 120 {
			t.Errorf("agreement ID of %d bytes: want it short whatever the title", len(a.ID))
		}
	}
	want := map[string]int{"mou": 2, "cooperation_agreement": 1, "strategic_cooperation": 1, "twinning": 1}
	if !maps_equal(types, want) {
		t.Errorf("types %v, want %v", types, want)
	}
	ev := 0
	for _, a := range ds.Agreements {
		if a.Event != "" {
			ev++
			if e := ds.Events[a.Event]; e == nil || e.Name != "2025中关村论坛" {
				t.Errorf("agreement %s: event %q not an event node", a.ID, a.Event)
			}
		}
	}
	if ev != 2 || len(ds.Events) != 1 {
		t.Errorf("%d agreements at an event, %d events; want 2 and 1", ev, len(ds.Events))
	}
	for _, n := range []string{"中关村科技园区", "苏州工业园区"} {
		if os := orgsNamed(ds, n); len(os) != 1 || os[0].Country != "CN" {
			t.Errorf("%s: %v, want one in CN (--default-country)", n, os)
		}
	}
	s := rep.Summary
	if s.DefaultedTotal != 2 || !slices.ContainsFunc(s.Defaulted, func(d Decision) bool {
		return d.Name == "中关村科技园区" && strings.Contains(d.Detail, "3 row(s)") && slices.Contains(d.At, p+":2")
	}) {
		t.Errorf("defaulted: %+v", s.Defaulted)
	}
	if s.SpellingsTotal != 1 || s.Spellings[0].Name != "中关村科技园区" || !strings.Contains(s.Spellings[0].Detail, "中關村科技園區") || s.Spellings[0].At[0] != p+":4" {
		t.Errorf("merged spellings: %+v", s.Spellings)
	}
	if lines := s.Lines(); len(lines) == 0 || !strings.Contains(strings.Join(lines, "\n"), "--default-country") {
		t.Errorf("summary lines: %q", lines)
	}
	// Without --default-country: the parks are counted and named.
	l, _ = New(Options{FoldAccents: true})
	_, rep, err = l.Load(t.Context(), []Input{FileInput(p)})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Summary.NoCountryTotal != 2 || rep.Summary.NoCountry[0].At[0] == "" {
		t.Errorf("without a country: %+v", rep.Summary.NoCountry)
	}
}

func maps_equal(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestAgreementTypeAliases(t *testing.T) {
	a, err := newAgreementTypes(map[string]string{"Kooperationsvertrag": "cooperation_agreement"})
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{"MoU": "mou", "谅解备忘录": "mou", "合作備忘錄": "mou", "框架协议": "cooperation_agreement",
		"战略合作协议": "strategic_cooperation", "友好城市": "twinning", "Sister City": "twinning", "kooperationsvertrag": "cooperation_agreement",
		"Strategic Cooperation": "strategic_cooperation"} {
		if got, err := a.resolve(in); err != nil || got != want {
			t.Errorf("type %q = %q, %v; want %s", in, got, err, want)
		}
	}
	if _, err := a.resolve("handshake"); err == nil || !strings.Contains(err.Error(), "agreement_types") {
		t.Errorf("an unknown type: %v", err)
	}
	if _, err := newAgreementTypes(map[string]string{"x": "alliance"}); err == nil {
		t.Error("an alias to a type we do not have was accepted")
	}
}

// Rows that state one agreement (a pair listed from both sides and again)
// are each cited by it, and the summary names them; a participation a
// table lists twice is named too.
func TestMergedRowsCitedAndSummarised(t *testing.T) {
	pairs := writeFile(t, "pairs.csv", []byte("party_a,country_a,party_b,country_b,type\n"+
		"Org A,DE,Org B,FR,mou\n"+
		"Org C,DE,Org B,FR,mou\n"+
		"Org B,FR,Org A,DE,MoU\n"+
		"org a,DE,ORG B,FR,mou\n"))
	parts := writeFile(t, "parts.csv", []byte("rcn,pic,country\n7,100,DE\n7,200,FR\n7,100,DE\n"))
	l, _ := New(Options{FoldAccents: true})
	ds, rep, err := l.Load(t.Context(), []Input{FileInput(pairs), FileInput(parts)})
	if err != nil {
		t.Fatal(err)
	}
	var ab *graph.Agreement
	for _, a := range ds.Agreements {
		if len(a.Parties) == 2 && ds.Organizations[a.Parties[0].Org].Name == "Org A" && ds.Organizations[a.Parties[1].Org].Name == "Org B" {
			ab = a
		}
	}
	if ab == nil {
		t.Fatalf("no Org A – Org B agreement: %v", keys(ds.Agreements))
	}
	if len(ab.Sources) != 1 || !slices.Equal(ab.Sources[0].Paragraphs, []int{2, 4, 5}) {
		t.Errorf("Org A – Org B cites %v, want lines 2, 4 and 5 of pairs.csv", ab.Sources)
	}
	if p := ds.Agreements["project:7"]; p == nil || len(p.Sources) != 1 || !slices.Equal(p.Sources[0].Paragraphs, []int{2, 3, 4}) {
		t.Errorf("project 7 cites %v, want lines 2, 3 and 4", p)
	}
	s := rep.Summary
	if s.MergedTotal != 2 {
		t.Fatalf("merged rows: %d %+v, want 2 entries", s.MergedTotal, s.Merged)
	}
	var pairEntry, partEntry *Decision
	for i := range s.Merged {
		switch s.Merged[i].Org {
		case ab.ID:
			pairEntry = &s.Merged[i]
		case "project:7":
			partEntry = &s.Merged[i]
		}
	}
	if pairEntry == nil || !slices.Equal(pairEntry.At, []string{pairs + ":2", pairs + ":4", pairs + ":5"}) || !strings.Contains(pairEntry.Name, "Org A") {
		t.Errorf("the pair's entry: %+v", pairEntry)
	}
	if partEntry == nil || !slices.Equal(partEntry.At, []string{parts + ":4"}) {
		t.Errorf("the repeated participation's entry: %+v", partEntry)
	}
	if lines := strings.Join(s.Lines(), "\n"); !strings.Contains(lines, "rows merged") || !strings.Contains(lines, pairs+":5") {
		t.Errorf("summary lines: %s", lines)
	}
}

// --default-country is for the office's own parties. A foreign partner
// whose country one row leaves empty is the organisation its other rows
// place abroad, not a second one at home; a name two foreign countries
// have is ambiguous, not the default's; only a name no row places
// anywhere takes the default. The same whatever the rows' order or split.
func TestDefaultCountryLeavesForeignPartners(t *testing.T) {
	header := "party_a,country_a,party_b,country_b,type\n"
	rows := []string{
		"中关村科技园区,,Kista Science City,SE,mou\n",
		"苏州工业园区,,Kista Science City,,mou\n", // the office forgot Kista's country here
		"苏州工业园区,,Technopark Zürich,CH,mou\n",
		"中关村科技园区,,Technopark Zürich,,mou\n",
		"中关村科技园区,,Innovation Park,DE,mou\n",
		"苏州工业园区,,Innovation Park,AT,mou\n",
		"苏州工业园区,,Innovation Park,,mou\n", // DE's or AT's: the row cannot tell
	}
	check := func(name string, files ...string) {
		t.Helper()
		var in []Input
		for i, f := range files {
			in = append(in, FileInput(writeFile(t, fmt.Sprintf("office%d.csv", i), []byte(header+f))))
		}
		l, err := New(Options{FoldAccents: true, DefaultCountry: "CN", SkipInvalid: true})
		if err != nil {
			t.Fatal(err)
		}
		ds, rep, err := l.Load(t.Context(), in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for n, want := range map[string]string{"中关村科技园区": "CN", "苏州工业园区": "CN", "Kista Science City": "SE", "Technopark Zürich": "CH"} {
			if os := orgsNamed(ds, n); len(os) != 1 || os[0].Country != want {
				t.Errorf("%s: %s is %v, want one organisation in %s", name, n, os, want)
			}
		}
		if os := orgsNamed(ds, "Innovation Park"); len(os) != 2 || slices.ContainsFunc(os, func(o *graph.Organization) bool { return o.Country == "CN" }) {
			t.Errorf("%s: Innovation Park is %v, want the DE and AT ones only", name, os)
		}
		if len(ds.Agreements) != 6 {
			t.Errorf("%s: %d agreements, want 6 (the ambiguous row skipped)", name, len(ds.Agreements))
		}
		var skipped []string
		for _, f := range rep.Files {
			for _, w := range f.Warnings {
				if strings.Contains(w.Msg, "ambiguous") {
					skipped = append(skipped, w.String())
				}
			}
		}
		if len(skipped) != 1 || !strings.Contains(skipped[0], "give the country") {
			t.Errorf("%s: warnings on ambiguity %q, want one asking for the country", name, skipped)
		}
		s := rep.Summary
		if s.DefaultedTotal != 2 {
			t.Errorf("%s: defaulted %+v, want the two parks only", name, s.Defaulted)
		}
		if s.FilledTotal != 2 {
			t.Errorf("%s: filled from other rows %+v, want Kista and Zürich", name, s.Filled)
		}
	}
	check("in order", strings.Join(rows, ""))
	rev := slices.Clone(rows)
	slices.Reverse(rev)
	check("reversed", strings.Join(rev, ""))
	check("in two files", strings.Join(rows[:2], ""), strings.Join(rows[2:], ""))
	check("the blank rows first, in two files", rows[1]+rows[3]+rows[6], rows[0]+rows[2]+rows[4]+rows[5])
}

// An ID (a PIC) whose country some rows leave empty keeps the country its
// other rows give, however many rows are empty; only an ID no row places
// anywhere takes --default-country.
func TestDefaultCountryFillsOnlyIDsNoRowPlaces(t *testing.T) {
	p := writeFile(t, "parts.csv", []byte("rcn,pic,name,country\n"+
		"1,100,Fraunhofer IPA,\n"+
		"2,100,Fraunhofer IPA,\n"+
		"3,100,Fraunhofer IPA,DE\n"+
		"1,200,中关村软件园,\n"+
		"2,200,中关村软件园,\n"+
		"3,300,Kista Science City,SE\n"))
	l, err := New(Options{FoldAccents: true, DefaultCountry: "CN"})
	if err != nil {
		t.Fatal(err)
	}
	ds, rep, err := l.Load(t.Context(), []Input{FileInput(p)})
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"100": "DE", "200": "CN", "300": "SE"} {
		if o := ds.Organizations[id]; o == nil || o.Country != want {
			t.Errorf("PIC %s: %+v, want it in %s", id, o, want)
		}
	}
	s := rep.Summary
	if s.DefaultedTotal != 1 || s.Defaulted[0].Org != "200" || !strings.Contains(s.Defaulted[0].Detail, "2 row(s)") {
		t.Errorf("defaulted: %+v, want PIC 200's two rows", s.Defaulted)
	}
	if s.FilledTotal != 1 || s.Filled[0].Org != "100" || !strings.Contains(s.Filled[0].Detail, "2 row(s)") || !strings.Contains(s.Filled[0].Detail, "DE") {
		t.Errorf("filled: %+v, want PIC 100's two rows from DE", s.Filled)
	}
	for _, f := range rep.Files {
		for _, w := range f.Warnings {
			t.Errorf("warning: %s (the default is no country a row gives)", w)
		}
	}
}
