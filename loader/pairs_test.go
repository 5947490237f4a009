package loader

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Pair rows of the same two parties and type are one agreement only when
// they say the same: MoUs signed in 2020, 2023 and 2024 are three, whichever
// party is named first; a row repeated (in other case or spacing) is one;
// an undated row joins the one dated agreement of its pair, and one with a
// year joins the agreement of that year; with two dated agreements an
// undated row cannot be placed: it stays apart, with a warning at its line.
func TestPairAgreementIdentity(t *testing.T) {
	const file = "good/pairs_dated.csv"
	rep, ps := load(t, Options{}, file)
	if ps != nil {
		t.Fatal(ps)
	}
	ds := loadDS(t, Options{}, file)
	got := map[string][]string{} // other party -> "type date title", sorted
	for _, a := range ds.Agreements {
		var other string
		for _, p := range a.Parties {
			if p.Org != "cn:tsinghuauniversity" {
				other = p.Org
			}
		}
		got[other] = append(got[other], strings.TrimSpace(a.Type+" "+a.Date+" "+a.Title))
	}
	for k := range got {
		slices.Sort(got[k])
	}
	want := map[string][]string{
		"de:alphaorg":  {"mou 2020 First MoU", "mou 2023 Second MoU on AI", "mou 2024 Third"},
		"fr:betalab":   {"cooperation_agreement 2021-03 Joint Lab", "mou 2019-05-01"},
		"kr:gammapark": {"mou", "mou 2018", "mou 2022"},
	}
	for k, w := range want {
		if !slices.Equal(got[k], w) {
			t.Errorf("Tsinghua–%s: %q, want %q", k, got[k], w)
		}
	}
	if len(ds.Agreements) != 8 {
		t.Errorf("%d agreements, want 8: %v", len(ds.Agreements), keys(ds.Agreements))
	}
	fr := rep.Files[0]
	if fr.Merged != 13-8 {
		t.Errorf("merged %d rows, want %d", fr.Merged, 13-8)
	}
	var warned []int
	for _, w := range fr.Warnings {
		if strings.Contains(w.Msg, "could be") {
			warned = append(warned, w.Line)
			if !strings.Contains(w.Msg, "2018; 2022") || !strings.Contains(w.Msg, "Gamma Park") || w.Field != "date" {
				t.Errorf("warning does not name the candidates, the parties or the field: %v", w)
			}
		}
	}
	if !slices.Equal(warned, []int{14}) {
		t.Errorf("ambiguity warnings at lines %v, want [14]: %v", warned, fr.Warnings)
	}
	// Loading the same rows twice (re-running, a file given twice) adds nothing.
	if twice := loadDS(t, Options{}, file, file); len(twice.Agreements) != 8 {
		t.Errorf("the file loaded twice: %d agreements, want 8", len(twice.Agreements))
	}
}

// Enumerated values fold case, surrounding spaces and inner spaces or
// hyphens: MoU, MOU and " mou " are the type mou, "Cooperation Agreement"
// is cooperation_agreement, "Science Park" the kind science_park, " hes "
// the CORDIS type HES; in tables and in the native format.
func TestEnumeratedValuesFoldCase(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"pairs.csv": "party_a,country_a,kind_a,party_b,country_b,kind_b,type\n" +
			"Org A,DE,Science Park,Org B,FR,University,MoU\n" +
			"Org A,DE,science-park,Org C,FR, UNIVERSITY ,Cooperation Agreement\n",
		"parts.csv": "project,pic,name,country,type,role\n1,100,Uni X,IT, hes ,Coordinator\n1,200,Firm Y,IT,Prc,participant\n",
		"native.yaml": "sources:\n  - id: s1\n    title: t\norganizations:\n  - id: p1\n    name: Park One\n    kind: Science Park\n    country: CN\n    sources: [\"s1#1\"]\n" +
			"  - id: p2\n    name: Park Two\n    kind: science_park\n    country: CN\n    sources: [\"s1#1\"]\n" +
			"agreements:\n  - id: a1\n    parties: [p1, p2]\n    type: MoU\n    sources: [\"s1#1\"]\n",
	})
	ds := loadDS(t, Options{}, filepath.Join(dir, "pairs.csv"), filepath.Join(dir, "parts.csv"), filepath.Join(dir, "native.yaml"))
	types := map[string]string{}
	for id, a := range ds.Agreements {
		types[id] = a.Type
	}
	for id, typ := range map[string]string{"pair:de:orga|fr:orgb|mou": "mou", "pair:de:orga|fr:orgc|cooperation_agreement": "cooperation_agreement", "a1": "mou"} {
		if types[id] != typ {
			t.Errorf("%s: type %q, want %q (all: %v)", id, types[id], typ, types)
		}
	}
	for id, kind := range map[string]string{"de:orga": "science_park", "fr:orgb": "university", "fr:orgc": "university", "100": "university", "200": "company", "p1": "science_park"} {
		if o := ds.Organizations[id]; o == nil || string(o.Kind) != kind {
			t.Errorf("%s: %+v, want kind %s", id, o, kind)
		}
	}
}

// pairs.type, the type of pair rows without a type column, is resolved as a
// row's type is: a name of one (合作协议, "Memorandum of Understanding")
// gives that type, and a type we do not have is refused with the list, not
// loaded as agreements of type "bogus".
func TestPairTypeOption(t *testing.T) {
	dir := writeFiles(t, map[string]string{"p.csv": "party_a,country_a,party_b,country_b\nAlpha Labs,DE,Beta Works,FR\n"})
	for opt, want := range map[string]string{"合作协议": "cooperation_agreement", "Memorandum of Understanding": "mou", "MoU": "mou", "": "other"} {
		l, err := New(Options{PairType: opt})
		if err != nil {
			t.Fatalf("pairs.type %q: %v", opt, err)
		}
		ds, _, err := l.Load(t.Context(), []Input{FileInput(filepath.Join(dir, "p.csv"))})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range ds.Agreements {
			if a.Type != want {
				t.Errorf("pairs.type %q: agreement %s of type %q, want %q", opt, a.ID, a.Type, want)
			}
		}
	}
	if _, err := New(Options{PairType: "bogus"}); err == nil || !strings.Contains(err.Error(), "pairs.type") || !strings.Contains(err.Error(), "cooperation_agreement") {
		t.Errorf("pairs.type bogus: err = %v, want a refusal listing the types", err)
	}
}
