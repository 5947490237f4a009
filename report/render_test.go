package report

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/collabnet/collabnet/graph"
)

// chromiumFlags run Chromium headless, offline and without a profile of
// its own (the caller adds --user-data-dir).
var chromiumFlags = []string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
	"--hide-scrollbars", "--enable-logging=stderr", "--v=0"}

const installHint = "apt-get install -y chromium fonts-noto-cjk"

func findChromium() string {
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// needTool skips the test when a tool is missing, but fails it under CI=true.
func needTool(t *testing.T, ok bool, what string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s (CI=true: the rendering test must run; %s)", what, installHint)
	}
	t.Skipf("%s: skipping the rendering test (%s)", what, installHint)
}

// consoleRE matches what Chromium logs for a console message (a script
// error, a blocked fetch, a CSP violation): the page has no script and
// fetches nothing, so any is a failure.
var consoleRE = regexp.MustCompile(`(?m)^.*(:CONSOLE|Uncaught).*$`)

// report.html, in each language, rendered by headless Chromium: no console
// message, every section in the DOM, a screenshot that is not blank.
// COLLABNET_RENDER_OUT=DIR keeps the screenshots (DIR/report-en.png, ...).
func TestRenderInChromium(t *testing.T) {
	bin := findChromium()
	needTool(t, bin != "", "chromium is not installed")
	if out, err := exec.Command("fc-list", ":lang=zh").Output(); err == nil {
		needTool(t, len(bytes.TrimSpace(out)) > 0, "no font with Chinese characters is installed")
	}
	ds := shipped(t)
	for _, lang := range Langs {
		t.Run(lang, func(t *testing.T) {
			dir := t.TempDir()
			job := newJob(dir, lang, func() *graph.Dataset { return ds }, clock(time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)))
			if _, err := job.Run(t.Context()); err != nil {
				t.Fatal(err)
			}
			shot := filepath.Join(dir, "report.png")
			ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
			defer cancel()
			args := append(append([]string{}, chromiumFlags...), "--user-data-dir="+t.TempDir(),
				"--window-size=1280,2200", "--screenshot="+shot, "--dump-dom", "file://"+filepath.Join(dir, "report.html"))
			cmd := exec.CommandContext(ctx, bin, args...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("chromium: %v\n%s", err, tail(stderr.String(), 2000))
			}
			if m := consoleRE.FindAllString(stderr.String(), -1); len(m) > 0 {
				t.Errorf("console messages:\n%s", strings.Join(m, "\n"))
			}
			dom := stdout.String()
			for _, id := range sections {
				if !strings.Contains(dom, `id="`+id+`"`) {
					t.Errorf("the rendered page has no section %q", id)
				}
			}
			if n := strings.Count(dom, "<svg"); n < 6 {
				t.Errorf("the rendered page has %d SVGs", n)
			}
			f, err := os.Open(shot)
			if err != nil {
				t.Fatalf("no screenshot: %v\n%s", err, tail(stderr.String(), 2000))
			}
			img, err := png.Decode(f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			b := img.Bounds()
			inked := 0
			for y := b.Min.Y; y < b.Max.Y; y += 4 {
				for x := b.Min.X; x < b.Max.X; x += 4 {
					if r, g, bl, _ := img.At(x, y).RGBA(); r < 0xc000 || g < 0xc000 || bl < 0xc000 {
						inked++
					}
				}
			}
			if b.Dx() != 1280 || inked < 2000 {
				t.Errorf("screenshot %v with %d inked samples: blank?", b, inked)
			}
			if out := os.Getenv("COLLABNET_RENDER_OUT"); out != "" {
				if err := os.MkdirAll(out, 0o755); err == nil {
					b, _ := os.ReadFile(shot)
					os.WriteFile(filepath.Join(out, "report-"+lang+".png"), b, 0o644)
				}
			}
		})
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
