// Package h2020test writes samples of the H2020 participations file of
// ../shared/datasets (beside the repository) for tests; a test that needs
// it skips, with a message, when the file is absent.
package h2020test

import (
	"bufio"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Path is the participations file, relative to a package directory one
// level below the repository root.
var Path = filepath.Join("..", "..", "shared", "datasets", "h2020", "participations.csv.gz")

// FirstRows writes the header and the first n rows to a CSV in dir.
func FirstRows(t testing.TB, dir string, n int) string {
	t.Helper()
	header, rows := read(t)
	return write(t, dir, header, rows[:min(n, len(rows))])
}

// ProjectsWith writes the rows of every project with a participant from
// country (the column "country"), whole projects, to a CSV in dir. "IN"
// gives about 800 organisations and 9,300 ties.
func ProjectsWith(t testing.TB, dir, country string) string {
	t.Helper()
	header, rows := read(t)
	keep := map[string]bool{}
	for _, r := range rows {
		if c := strings.Split(r, ","); len(c) > 5 && c[5] == country {
			keep[c[0]] = true
		}
	}
	var out []string
	for _, r := range rows {
		if keep[strings.SplitN(r, ",", 2)[0]] {
			out = append(out, r)
		}
	}
	return write(t, dir, header, out)
}

func read(t testing.TB) (string, []string) {
	f, err := os.Open(Path)
	if err != nil {
		t.Skipf("%s is absent (the shared datasets live beside the repository, in ../shared/datasets): %v", Path, err)
	}
	defer func() { _ = f.Close() }() // closing what was only read: nothing to lose
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var header string
	var rows []string
	for sc.Scan() {
		if header == "" {
			header = sc.Text()
			continue
		}
		rows = append(rows, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return header, rows
}

func write(t testing.TB, dir, header string, rows []string) string {
	out := filepath.Join(dir, "h2020-sample.csv")
	if err := os.WriteFile(out, []byte(header+"\n"+strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}
