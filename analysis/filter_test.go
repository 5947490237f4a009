package analysis_test

import (
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/analytics"
	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/internal/h2020test"
	"github.com/collabnet/collabnet/loader"
)

// handDataset: organisations a, b of X, c of Y, d of Z; agreements
// A1 {a,b,c} 2015, A2 {a,b} 2016-03, A3 {a,c} 2016-11-02, A4 {b,d} 2017,
// A5 {a} undated.
func handDataset() *graph.Dataset {
	ds := graph.NewDataset()
	for id, c := range map[string]string{"a": "X", "b": "X", "c": "Y", "d": "Z"} {
		ds.Organizations[id] = &graph.Organization{ID: id, Name: id, Country: c}
	}
	for _, a := range []struct {
		id, date string
		parties  []string
	}{{"A1", "2015", []string{"a", "b", "c"}}, {"A2", "2016-03", []string{"a", "b"}}, {"A3", "2016-11-02", []string{"a", "c"}},
		{"A4", "2017", []string{"b", "d"}}, {"A5", "", []string{"a"}}} {
		ag := &graph.Agreement{ID: a.id, Type: "mou", Date: a.date}
		for _, p := range a.parties {
			ag.Parties = append(ag.Parties, graph.Party{Org: p})
		}
		ds.Agreements[a.id] = ag
	}
	return ds
}

func edgeMap(l *analysis.Level) map[string]analysis.Tie {
	m := map[string]analysis.Tie{}
	for _, e := range l.Edges.All() {
		m[e.Source+"-"+e.Target] = e
	}
	return m
}

// The normalised weights of the hand example equal the fractions worked
// out by hand (van Eck & Waltman 2009) at both levels. At the country
// level c_ij counts the agreements with parties of both countries (X–Y:
// A1, A3), not the organisation ties (weight 3: a–c twice, b–c once).
func TestNormalizeHandExample(t *testing.T) {
	ds := handDataset()
	type want struct {
		c          int
		as, cos, j float64
		inc, eq    float64
	}
	org := map[string]want{ // s: a 4, b 3, c 2, d 1
		"a-b": {2, 1.0 / 6, 1 / math.Sqrt(3), 2.0 / 5, 2.0 / 3, 1.0 / 3},
		"a-c": {2, 1.0 / 4, 1 / math.Sqrt(2), 1.0 / 2, 1, 1.0 / 2},
		"b-c": {1, 1.0 / 6, 1 / math.Sqrt(6), 1.0 / 4, 1.0 / 2, 1.0 / 6},
		"b-d": {1, 1.0 / 3, 1 / math.Sqrt(3), 1.0 / 3, 1, 1.0 / 3},
	}
	country := map[string]want{ // s: X 5, Y 2, Z 1
		"X-Y": {2, 1.0 / 5, 2 / math.Sqrt(10), 2.0 / 5, 1, 2.0 / 5},
		"X-Z": {1, 1.0 / 5, 1 / math.Sqrt(5), 1.0 / 5, 1, 1.0 / 5},
	}
	for _, lv := range []struct {
		level string
		want  map[string]want
	}{{analysis.LevelOrg, org}, {analysis.LevelCountry, country}} {
		for _, n := range analytics.Normalizations[1:] {
			an, err := analysis.Analyze(context.Background(), ds, analysis.Options{Levels: []string{lv.level}, Normalize: n, Measures: []analysis.Measure{analysis.Degree}})
			if err != nil {
				t.Fatal(err)
			}
			l := an.Org
			if l == nil {
				l = an.Country
			}
			es := edgeMap(l)
			if len(es) != len(lv.want) {
				t.Fatalf("%s: %d ties, want %d", lv.level, len(es), len(lv.want))
			}
			for k, w := range lv.want {
				e := es[k]
				x := map[analytics.Normalization]float64{analytics.NormAssociation: w.as, analytics.NormCosine: w.cos,
					analytics.NormJaccard: w.j, analytics.NormInclusion: w.inc, analytics.NormEquivalence: w.eq}[n]
				if e.Normalized == nil || math.Abs(*e.Normalized-x) > 1e-15 || e.Agreements != w.c {
					t.Errorf("%s %s %s: normalized %v from %d agreements, want %v from %d", lv.level, n, k, e.Normalized, e.Agreements, x, w.c)
				}
			}
			if lv.level == analysis.LevelCountry && es["X-Y"].Weight != 3 {
				t.Errorf("country X–Y weight %v, want 3 (the organisation ties, kept beside the normalised value)", es["X-Y"].Weight)
			}
		}
	}
}

// Asked for, the normalised weights feed the weighted measures: strength
// is then the sum of the normalised weights.
func TestNormalizedWeightsFeedMeasures(t *testing.T) {
	an, err := analysis.Analyze(context.Background(), handDataset(), analysis.Options{Levels: []string{analysis.LevelOrg},
		Normalize: analytics.NormJaccard, NormalizedWeights: true, Measures: []analysis.Measure{analysis.Strength}})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range an.Org.Nodes {
		if n.ID == "a" && math.Abs(n.Value(analysis.Strength)-(2.0/5+1.0/2)) > 1e-15 {
			t.Errorf("strength of a = %v, want 2/5 + 1/2", n.Value(analysis.Strength))
		}
	}
	if _, err := analysis.Analyze(context.Background(), handDataset(), analysis.Options{Fractional: true, Normalize: analytics.NormCosine}); err == nil {
		t.Error("fractional counting with normalisation was accepted")
	}
}

// The time window keeps agreements whose date overlaps it and counts the
// undated one; the filter statement says what each step removed.
func TestWindowAndThresholds(t *testing.T) {
	ctx := context.Background()
	opt := analysis.Options{Levels: []string{analysis.LevelOrg}, Measures: []analysis.Measure{analysis.Degree},
		Filter: analysis.Filter{Since: "2016", Until: "2016-06"}}
	an, err := analysis.Analyze(ctx, handDataset(), opt)
	if err != nil {
		t.Fatal(err)
	}
	// Only A2 (2016-03) is in [2016-01-01, 2016-06-30].
	if es := edgeMap(an.Org); len(es) != 1 || es["a-b"].Weight != 1 {
		t.Errorf("window ties %v, want a–b only", es)
	}
	f := an.Org.Filtered
	if f == nil || f.Agreements != 1 || f.Undated != 1 || f.Steps[0].Agreements != 4 {
		t.Errorf("filter statement %+v, want 1 agreement kept, 4 removed, 1 undated", f)
	}
	if len(an.Org.Nodes) != 2 {
		t.Errorf("window nodes %d, want the 2 parties of A2", len(an.Org.Nodes))
	}
	// min-weight 2 drops ab? no: ab 2, ac 2 stay; bc, bd go; then d is
	// isolated and dropped.
	opt = analysis.Options{Levels: []string{analysis.LevelOrg}, Measures: []analysis.Measure{analysis.Degree},
		Filter: analysis.Filter{MinWeight: 2, DropIsolates: true}}
	if an, err = analysis.Analyze(ctx, handDataset(), opt); err != nil {
		t.Fatal(err)
	}
	es := edgeMap(an.Org)
	if len(es) != 2 || es["a-b"].Weight != 2 || es["a-c"].Weight != 2 || len(an.Org.Nodes) != 3 {
		t.Errorf("min-weight 2 + drop-isolates: ties %v, %d nodes; want a–b, a–c and 3 nodes", es, len(an.Org.Nodes))
	}
	got := fmt.Sprint(an.Org.Filtered.Steps)
	if want := "[min-weight 2: −2 ties drop-isolates: −1 nodes]"; got != want {
		t.Errorf("steps %s, want %s", got, want)
	}
	// min-agreements 3 keeps a (4) and b (3); top 1 by strength keeps a.
	opt.Filter = analysis.Filter{MinAgreements: 3}
	if an, err = analysis.Analyze(ctx, handDataset(), opt); err != nil {
		t.Fatal(err)
	}
	if len(an.Org.Nodes) != 2 || *an.Org.Nodes[0].Agreements != 4 {
		t.Errorf("min-agreements 3: %+v", an.Org.Nodes)
	}
	opt.Filter = analysis.Filter{Top: 1}
	if an, err = analysis.Analyze(ctx, handDataset(), opt); err != nil {
		t.Fatal(err)
	}
	if len(an.Org.Nodes) != 1 || an.Org.Nodes[0].ID != "a" {
		t.Errorf("top 1 by strength: %+v, want a", an.Org.Nodes)
	}
	for _, bad := range []analysis.Filter{{Since: "2016-13"}, {Since: "2018", Until: "2016"}, {Ego: true}, {Backbone: "noise"}, {Alpha: 1}} {
		if _, err := analysis.Analyze(ctx, handDataset(), analysis.Options{Filter: bad}); err == nil {
			t.Errorf("filter %+v accepted", bad)
		}
	}
}

var (
	h2020Once sync.Once
	h2020DS   *graph.Dataset
	h2020Err  error
)

// h2020Full loads the whole H2020 file once (several seconds): slow lane.
func h2020Full(t *testing.T) *graph.Dataset {
	t.Helper()
	if testing.Short() {
		t.Skip("loads the whole H2020 file: not in -short")
	}
	return h2020Bench(t)
}

func h2020Bench(t testing.TB) *graph.Dataset {
	t.Helper()
	if _, err := os.Stat(h2020test.Path); err != nil {
		t.Skipf("%s is absent (the shared datasets live beside the repository): %v", h2020test.Path, err)
	}
	h2020Once.Do(func() {
		l, err := loader.New(loader.Options{})
		if err != nil {
			h2020Err = err
			return
		}
		h2020DS, _, h2020Err = l.Load(context.Background(), []loader.Input{loader.FileInput(h2020test.Path)})
	})
	if h2020Err != nil {
		t.Fatal(h2020Err)
	}
	return h2020DS
}

// --countries IN --ego on H2020 is India's partner network: every
// organisation and country of the projects with an Indian participant,
// and each normalisation of its ties equals the reference computed with
// pandas from the paper's formulas (testdata/make_fixtures.py) to 1e-9.
func TestH2020IndiaEgoAndNormalization(t *testing.T) {
	ds := h2020Full(t)
	var ego struct {
		Projects   int      `json:"projects"`
		Orgs       []string `json:"orgs"`
		Countries  []string `json:"countries"`
		OrgTies    int      `json:"org_ties"`
		IndianOrgs []string `json:"indian_orgs"`
	}
	b, err := os.ReadFile("testdata/h2020_india_ego.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ego); err != nil {
		t.Fatal(err)
	}
	ref := readNormFixture(t)
	for _, n := range analytics.Normalizations[1:] {
		an, err := analysis.Analyze(context.Background(), ds, analysis.Options{Countries: []string{"IN"}, Normalize: n,
			Measures: []analysis.Measure{analysis.Degree}, Filter: analysis.Filter{Ego: true}})
		if err != nil {
			t.Fatal(err)
		}
		if n == analytics.NormAssociation {
			var orgs, countries []string
			for _, x := range an.Org.Nodes {
				orgs = append(orgs, x.ID)
			}
			for _, x := range an.Country.Nodes {
				countries = append(countries, x.ID)
			}
			if !slices.Equal(orgs, ego.Orgs) || !slices.Equal(countries, ego.Countries) || an.Org.Edges.Len() != ego.OrgTies {
				t.Errorf("ego network: %d organisations, %d countries, %d ties; pandas: %d, %d, %d", len(orgs), len(countries), an.Org.Edges.Len(), len(ego.Orgs), len(ego.Countries), ego.OrgTies)
			}
			if an.Org.Filtered.Agreements != ego.Projects {
				t.Errorf("ego network built from %d agreements, pandas %d projects", an.Org.Filtered.Agreements, ego.Projects)
			}
		}
		for _, l := range []*analysis.Level{an.Org, an.Country} {
			want := ref[l.Level]
			if l.Edges.Len() != len(want) {
				t.Errorf("%s %s: %d ties, reference %d", l.Level, n, l.Edges.Len(), len(want))
			}
			for _, e := range l.Edges.All() {
				r, ok := want[e.Source+"-"+e.Target]
				if !ok {
					t.Errorf("%s tie %s–%s not in the reference", l.Level, e.Source, e.Target)
					continue
				}
				if x := r[string(n)]; e.Normalized == nil || math.Abs(*e.Normalized-x) > 1e-9*math.Max(1, x) || float64(e.Agreements) != r["c"] {
					t.Errorf("%s %s %s–%s: %v from %d agreements, reference %v from %v", l.Level, n, e.Source, e.Target, e.Normalized, e.Agreements, x, r["c"])
				}
			}
			for _, x := range l.Nodes {
				if x.Agreements == nil {
					t.Fatalf("%s node %s without its agreements count", l.Level, x.ID)
				}
			}
		}
	}
}

// readNormFixture reads h2020_india_norm.csv.gz: level → "source-target" → column → value.
func readNormFixture(t *testing.T) map[string]map[string]map[string]float64 {
	f, err := os.Open("testdata/h2020_india_norm.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(zr).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]map[string]float64{}
	head := rows[0]
	for _, r := range rows[1:] {
		if out[r[0]] == nil {
			out[r[0]] = map[string]map[string]float64{}
		}
		m := map[string]float64{}
		for i := 3; i < len(r); i++ {
			v, err := strconv.ParseFloat(r[i], 64)
			if err != nil {
				t.Fatal(err)
			}
			m[head[i]] = v
		}
		out[r[0]][r[1]+"-"+r[2]] = m
	}
	return out
}

// analyze --level country --period year on H2020: a network per start
// year, whose countries, strengths and ranks and whose entrants and
// leavers equal an independent pandas count (testdata/make_fixtures.py),
// with the undated projects counted apart.
func TestH2020CountryPeriods(t *testing.T) {
	ds := h2020Full(t)
	an, err := analysis.Analyze(context.Background(), ds, analysis.Options{Levels: []string{analysis.LevelCountry},
		Measures: []analysis.Measure{analysis.Degree, analysis.Strength}, Period: "year"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("testdata/h2020_country_years.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(b), "\n", 2)
	undated, _ := strconv.Atoi(strings.TrimPrefix(lines[0], "# undated projects: "))
	rows, err := csv.NewReader(strings.NewReader(lines[1])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	type rec struct {
		strength float64
		rank     int
	}
	ref := map[string]map[string]rec{}
	var years []string
	for _, r := range rows[1:] {
		if ref[r[0]] == nil {
			ref[r[0]] = map[string]rec{}
			years = append(years, r[0])
		}
		s, _ := strconv.ParseFloat(r[2], 64)
		k, _ := strconv.Atoi(r[3])
		ref[r[0]][r[1]] = rec{s, k}
	}
	if an.Undated != undated {
		t.Errorf("undated %d, pandas %d", an.Undated, undated)
	}
	var labels []string
	for _, p := range an.Periods {
		labels = append(labels, p.Label)
	}
	if !slices.Equal(labels, years) {
		t.Fatalf("periods %v, pandas start years %v", labels, years)
	}
	for _, p := range an.Periods {
		if len(p.Country.Nodes) != len(ref[p.Label]) {
			t.Errorf("%s: %d countries, pandas %d", p.Label, len(p.Country.Nodes), len(ref[p.Label]))
		}
	}
	for _, c := range an.Changes {
		var entrants, leavers []string
		for id := range ref[c.To] {
			if _, ok := ref[c.From][id]; !ok {
				entrants = append(entrants, id)
			}
		}
		for id := range ref[c.From] {
			if _, ok := ref[c.To][id]; !ok {
				leavers = append(leavers, id)
			}
		}
		slices.Sort(entrants)
		slices.Sort(leavers)
		if !slices.Equal(c.Entrants, entrants) || !slices.Equal(c.Leavers, leavers) {
			t.Errorf("%s→%s: entrants %v leavers %v; pandas %v, %v", c.From, c.To, c.Entrants, c.Leavers, entrants, leavers)
		}
		for _, m := range c.Moves {
			a, b := ref[c.From][m.ID], ref[c.To][m.ID]
			if m.StrengthFrom != a.strength || m.StrengthTo != b.strength || m.RankFrom != a.rank || m.RankTo != b.rank {
				t.Errorf("%s→%s %s: strength %v→%v rank %d→%d; pandas %v→%v, %d→%d", c.From, c.To, m.ID,
					m.StrengthFrom, m.StrengthTo, m.RankFrom, m.RankTo, a.strength, b.strength, a.rank, b.rank)
			}
		}
	}
}

// With roll-up, a unit counts as its topmost parent (b part_of a via
// part_of, d part_of b via a relation): the hand example's agreements become
// {a,c} {a} {a,c} {a} {a}, so the one tie is a–c, shared twice, and the
// occurrences are a 5, c 2.
func TestRollUp(t *testing.T) {
	ds := handDataset()
	ds.Organizations["b"].PartOf = "a"
	r := &graph.Relation{Type: "part_of", From: "d", To: "b"}
	ds.Relations[r.Key()] = r
	an, err := analysis.Analyze(context.Background(), ds, analysis.Options{Levels: []string{analysis.LevelOrg}, RollUp: true,
		Normalize: analytics.NormInclusion, Measures: []analysis.Measure{analysis.Degree}})
	if err != nil {
		t.Fatal(err)
	}
	es := edgeMap(an.Org)
	if len(es) != 1 || es["a-c"].Weight != 2 || *es["a-c"].Normalized != 1 {
		t.Errorf("rolled-up ties %v, want a–c weight 2, inclusion 2/min(5,2) = 1", es)
	}
	var ids []string
	for _, n := range an.Org.Nodes {
		ids = append(ids, fmt.Sprintf("%s:%d", n.ID, *n.Agreements))
	}
	if want := []string{"a:5", "c:2"}; !slices.Equal(ids, want) {
		t.Errorf("nodes %v, want %v", ids, want)
	}
	if s := fmt.Sprint(an.Org.Filtered.Steps); !strings.Contains(s, "roll-up: 2 units") {
		t.Errorf("steps %s do not say 2 units were rolled up", s)
	}
}
