package main

import (
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// A CSV export opened in LibreOffice Calc (headless, soffice --convert-to,
// an independent reader): no name is evaluated as a formula, and the
// Chinese names read correctly. scripts/test installs LibreOffice
// (libreoffice-calc-nogui); under CI=true its absence fails the test.
//
// LibreOffice reads the CSV twice: with the default import options (the
// ones soffice --convert-to uses, which evaluate formulas), and with the
// character set left to LibreOffice's own detection, as its import dialog
// does (the default options read the system's 8-bit code page, which
// garbles any UTF-8 file, byte-order mark or not).
func TestCSVExportInLibreOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("LibreOffice: not in -short")
	}
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("soffice (LibreOffice) is not installed; scripts/test installs libreoffice-calc-nogui")
		}
		t.Skip("soffice (LibreOffice) is not installed")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "pairs.csv")
	if err := os.WriteFile(in, []byte(injectionPairs), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "nodes.csv")
	if _, err := run(t, dir, "export", "--level", "full", "-i", in, "--format", "csv", "--excel", "--out", out); err != nil {
		t.Fatal(err)
	}
	profile := "file://" + filepath.Join(dir, "lo-profile")
	cells := func(filter string) []string {
		t.Helper()
		outDir := filepath.Join(dir, "html"+strings.NewReplacer(":", "", ",", "").Replace(filter))
		args := []string{"-env:UserInstallation=" + profile, "--headless", "--convert-to", "html", "--outdir", outDir}
		if filter != "" {
			args = append(args, "--infilter="+filter)
		}
		cmd := exec.CommandContext(t.Context(), soffice, append(args, out)...)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice: %v\n%s", err, b)
		}
		b, err := os.ReadFile(filepath.Join(outDir, "nodes.html"))
		if err != nil {
			t.Fatal(err)
		}
		var cs []string
		for _, m := range regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`).FindAllStringSubmatch(string(b), -1) {
			cs = append(cs, strings.TrimSpace(html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], ""))))
		}
		return cs
	}
	// Default options: formulas are evaluated, so a formula-like name would
	// show its result (=1+2 as 3).
	def := cells("")
	for _, name := range []string{"'=1+2", "'+SUM(1,1)", "'@cmd", "'-2+3"} {
		if !slices.Contains(def, name) {
			t.Errorf("LibreOffice does not show the name %q as text (cells: %q)", name, def)
		}
	}
	// Character set detected (44 comma, 34 double quote, "" detect, 1 the first line).
	det := cells("CSV:44,34,,1")
	for _, name := range []string{"北京大学", "清华大学", "'=1+2"} {
		if !slices.Contains(det, name) {
			t.Errorf("LibreOffice does not show %q (cells: %q)", name, det)
		}
	}
	if slices.Contains(det, "\ufeffid") || slices.Contains(det, "ï»¿id") {
		t.Error("LibreOffice shows the byte-order mark as text")
	}
}
