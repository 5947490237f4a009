package loader

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/collabnet/collabnet/data"
)

// layout is one way of laying out the same data: files, each a name and
// its bytes.
type layout map[string][]byte

// tableLayouts lays out one table's rows in the original order, shuffled,
// reversed, and split in two inputs (in both input orders).
func tableLayouts(t *testing.T, name string, text []byte) map[string]layout {
	t.Helper()
	head, rows := splitRecords(t, text)
	join := func(rs [][]byte) []byte {
		return append(slices.Clone(head), bytes.Join(rs, nil)...)
	}
	shuffled := slices.Clone(rows)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	reversed := slices.Clone(rows)
	slices.Reverse(reversed)
	half := len(rows) / 2
	ext := filepath.Ext(name)
	return map[string]layout{
		"original": {name: text},
		"shuffled": {name: join(shuffled)},
		"reversed": {name: join(reversed)},
		"split":    {"a" + ext: join(rows[:half]), "b" + ext: join(rows[half:])},
		// The second part first, its rows shuffled.
		"split-swapped": {"a" + ext: join(shuffled[half:]), "b" + ext: join(shuffled[:half])},
	}
}

// splitRecords splits a table into its header and its records, each with
// its line end. Records with quoted line breaks are re-written by a CSV
// writer (same fields); other files are split at line ends, byte for byte,
// whatever their encoding.
func splitRecords(t *testing.T, text []byte) ([]byte, [][]byte) {
	t.Helper()
	if !bytes.Contains(text, []byte{'"'}) {
		lines := bytes.SplitAfter(text, []byte{'\n'})
		if len(lines[len(lines)-1]) == 0 {
			lines = lines[:len(lines)-1]
		}
		return lines[0], lines[1:]
	}
	comma := sniffDelimiter(text)
	r := csv.NewReader(bytes.NewReader(text))
	r.Comma = comma
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, rec := range recs {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.Comma = comma
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
		w.Flush()
		out = append(out, b.Bytes())
	}
	return out[0], out[1:]
}

// loadLayout writes a layout's files (and the fixed extra inputs) and loads
// them, returning the canonical graph.
func loadLayout(t *testing.T, opts Options, lay layout, extra ...string) string {
	t.Helper()
	dir := t.TempDir()
	var files []string
	for name, b := range lay {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	slices.Sort(files)
	for _, e := range extra {
		files = append(files, filepath.Join("testdata", e))
	}
	return canonical(t, loadDS(t, opts, files...))
}

func sameGraphs(t *testing.T, opts Options, lays map[string]layout, extra ...string) {
	t.Helper()
	want := loadLayout(t, opts, lays["original"], extra...)
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range lays {
			if !yield(k) {
				return
			}
		}
	}) {
		if got := loadLayout(t, opts, lays[k], extra...); got != want {
			t.Errorf("%s gives another graph than the original:\n%s", k, firstDiff(want, got))
		}
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < min(len(al), len(bl)); i++ {
		if al[i] != bl[i] {
			return "line " + al[i] + "\n  vs " + bl[i]
		}
	}
	return "one is longer"
}

// Shuffling the rows, reversing them or splitting them into two inputs
// never changes the graph: for every input of the bad-input corpus that
// loads, the good test tables, and the shipped curated dataset.
func TestOrderIndependence(t *testing.T) {
	cases := []struct {
		file  string
		opts  Options
		extra []string
	}{
		{file: "cases/pic_missing_row_order_a.csv"},
		{file: "cases/pic_N-A_placeholder_merges_orgs.csv"},
		{file: "cases/country_NA_namibia_vs_N-A_placeholder.csv"},
		{file: "cases/invisible_chars_names.csv", opts: Options{FoldAccents: true}},
		{file: "cases/excel_gb18030_chinese.csv"},
		{file: "cases/excel_dates_participations.csv", opts: Options{DateFormats: []string{"DD/MM/YYYY", DateExcelSerial}, SkipInvalid: true}},
		{file: "good/spellings.csv", opts: Options{FoldAccents: true}, extra: []string{"good/parks.yaml"}},
		{file: "good/cordis_organization.csv"},
		{file: "good/pairs_dated.csv"},
		{file: "bad/unknown_country.csv", opts: Options{SkipInvalid: true}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			text, err := os.ReadFile(filepath.Join("testdata", c.file))
			if err != nil {
				t.Fatal(err)
			}
			sameGraphs(t, c.opts, tableLayouts(t, filepath.Base(c.file), text), c.extra...)
		})
	}
}

// The curated dataset: records shuffled and reversed within every section,
// files in another order, and all records re-split into two files.
func TestOrderIndependenceCurated(t *testing.T) {
	names, err := fs.Glob(data.FS, "*.yaml")
	if err != nil || len(names) == 0 {
		t.Fatal(names, err)
	}
	var docs []*yaml.Node
	for _, n := range names {
		b, err := fs.ReadFile(data.FS, n)
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Content) > 0 {
			docs = append(docs, &doc)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	remix := func(order func([]*yaml.Node)) layout {
		lay := layout{}
		for i, d := range docs {
			top := *d.Content[0]
			top.Content = slices.Clone(top.Content)
			for j := 1; j < len(top.Content); j += 2 {
				seq := *top.Content[j]
				seq.Content = slices.Clone(seq.Content)
				order(seq.Content)
				top.Content[j] = &seq
			}
			b, err := yaml.Marshal(&top)
			if err != nil {
				t.Fatal(err)
			}
			lay[string(rune('z'-i))+".yaml"] = b // another file order
		}
		return lay
	}
	lays := map[string]layout{
		"original": remix(func([]*yaml.Node) {}),
		"shuffled": remix(func(ns []*yaml.Node) { rng.Shuffle(len(ns), func(i, j int) { ns[i], ns[j] = ns[j], ns[i] }) }),
		"reversed": remix(func(ns []*yaml.Node) { slices.Reverse(ns) }),
	}
	// Two files: every section's records alternately in one and the other.
	split := [2]map[string][]*yaml.Node{{}, {}}
	var sectionOrder []string
	for _, d := range docs {
		top := d.Content[0]
		for j := 0; j+1 < len(top.Content); j += 2 {
			k := top.Content[j].Value
			if !slices.Contains(sectionOrder, k) {
				sectionOrder = append(sectionOrder, k)
			}
			for i, r := range top.Content[j+1].Content {
				split[i%2][k] = append(split[i%2][k], r)
			}
		}
	}
	lay := layout{}
	for i, part := range split {
		m := map[string][]*yaml.Node{}
		for _, k := range sectionOrder {
			m[k] = part[k]
		}
		b, err := yaml.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		lay[[]string{"one.yaml", "two.yaml"}[i]] = b
	}
	lays["split"] = lay
	sameGraphs(t, Options{FoldAccents: true}, lays)
}

// 5,000 rows of H2020 (../shared/datasets), laid out the same ways.
func TestOrderIndependenceH2020Sample(t *testing.T) {
	path := sharedDataset(t, "h2020/participations.csv.gz")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	sc := bufio.NewScanner(zr)
	for i := 0; i <= 5000 && sc.Scan(); i++ {
		b.Write(sc.Bytes())
		b.WriteByte('\n')
	}
	sameGraphs(t, Options{}, tableLayouts(t, "h2020.csv", b.Bytes()))
}
