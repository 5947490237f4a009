package queries_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/collabnet/collabnet/internal/neo4jtest"
	"github.com/collabnet/collabnet/queries"
)

// browserShots is where TestNeo4jBrowser saves its screenshots:
// $COLLABNET_BROWSER_SHOTS, else collabnet-browser in the temp dir.
func browserShots(t *testing.T) string {
	dir := os.Getenv("COLLABNET_BROWSER_SHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "collabnet-browser")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// need fails under CI=true, and skips otherwise, when something is missing.
func need(t *testing.T, ok bool, msg string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + " (required when CI=true)")
	}
	t.Skip(msg)
}

// Neo4j Browser, served by the test server, in headless Chromium: it
// connects with the test credentials, applies collabnet's style sheet at
// connect, runs the partners query exactly as `collabnet query show
// partners` prints it and shows every partner the query has, and draws the
// neighbourhood query as a graph in the style's colours, with whole Chinese
// names as captions. The screenshots (partners.png, neighbourhood.png, and
// the graph on the whole window zoomed in, neighbourhood-zoom.png) go to
// browserShots.
func TestNeo4jBrowser(t *testing.T) {
	srv := neo4jtest.Require(t)
	browserURL := os.Getenv("COLLABNET_TEST_NEO4J_BROWSER")
	need(t, browserURL != "", "no Neo4j Browser: set COLLABNET_TEST_NEO4J_BROWSER (scripts/test does, from scripts/neo4j-test-server start)")
	chromium, err := exec.LookPath("chromium")
	need(t, err == nil, "chromium not found: apt-get install chromium (scripts/test does)")
	drv := testNeo4j(t)
	ctx := context.Background()

	partners, ok := queries.Get("partners")
	if !ok {
		t.Fatal("no partners query")
	}
	// The partners the query finds, through the driver: Browser must show each.
	res, err := neo4j.ExecuteQuery(ctx, drv, partners.Text, partners.Examples(), neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range res.Records {
		if p, ok := r.AsMap()["partner"].(string); ok {
			names = append(names, p)
		}
	}
	if len(names) == 0 {
		t.Fatal("the partners query finds no partner of its example organisation")
	}

	// A fresh profile, removed after the browser has quit (t.TempDir's
	// clean-up can race with Chromium's last writes into it).
	profile, err := os.MkdirTemp("", "collabnet-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		for range 20 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(250 * time.Millisecond)
		}
	}()
	opts := append(chromedp.DefaultExecAllocatorOptions[:0:0],
		chromedp.ExecPath(chromium),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1400, 1000),
	)
	actx, cancelA := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelA()
	bctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()
	bctx, cancelT := context.WithTimeout(bctx, 5*time.Minute)
	defer cancelT()

	shots := browserShots(t)
	shot := func(name string) {
		t.Helper()
		var png []byte
		if err := chromedp.Run(bctx, chromedp.FullScreenshot(&png, 100)); err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		path := filepath.Join(shots, name)
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", path)
		fmt.Println("screenshot:", path)
	}
	// open loads Browser with text in its editor (Browser's ?cmd=edit&arg=;
	// Browser reads + as a space, so QueryEscape, which writes + as %2B).
	open := func(text string) {
		t.Helper()
		u := browserURL + "?dbms=" + url.QueryEscape(srv.URI) + "&cmd=edit&arg=" + url.QueryEscape(text)
		if err := chromedp.Run(bctx, chromedp.Navigate(u)); err != nil {
			t.Fatalf("opening Browser at %s: %v", browserURL, err)
		}
	}
	// run runs what the editor holds and waits for done.
	run := func(what, done string, by chromedp.QueryOption) {
		t.Helper()
		rctx, cancel := context.WithTimeout(bctx, 60*time.Second)
		defer cancel()
		err := chromedp.Run(rctx,
			chromedp.WaitVisible(`[data-testid="editor-Run"]`, chromedp.ByQuery),
			chromedp.Click(`[data-testid="editor-Run"]`, chromedp.ByQuery),
			chromedp.WaitVisible(done, by),
			chromedp.Sleep(3*time.Second), // let the force layout settle
		)
		if err != nil {
			shot("failed-" + what + ".png")
			t.Fatalf("%s: %v", what, err)
		}
	}
	// paste pastes text into Browser's (empty) editor, as a user's Ctrl+V:
	// a paste event with the text, which the editor inserts as it is.
	paste := func(text string) {
		t.Helper()
		js := `(() => {
			const ta = document.querySelector('#monaco-main-editor textarea') || document.querySelector('.monaco-editor textarea');
			if (!ta) return false;
			ta.focus();
			const dt = new DataTransfer();
			dt.setData('text/plain', ` + strconv.Quote(text) + `);
			ta.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));
			return true;
		})()`
		var ok bool
		if err := chromedp.Run(bctx, chromedp.Evaluate(js, &ok)); err != nil || !ok {
			shot("failed-paste.png")
			t.Fatalf("pasting into Browser's editor: %v (editor found: %v)", err, ok)
		}
	}
	// Browser runs a paste of several statements as one script and shows
	// only each statement's status, not its result; so, as a user does, the
	// :param lines run first, then the query: both exactly as query show
	// prints them.
	paramsAndQuery := func(q queries.Query) (string, string) {
		text := queries.BrowserText(q, nil)
		i := strings.Index(text, "\n\n")
		return text[:i], text[i+2:]
	}
	params, query := paramsAndQuery(partners)
	open(params)
	// Generous: on a loaded machine Browser takes a while to start its app.
	cctx, cancelC := context.WithTimeout(bctx, 2*time.Minute)
	defer cancelC()
	err = chromedp.Run(cctx,
		chromedp.WaitVisible(`[data-testid="username"]`, chromedp.ByQuery),
		chromedp.SetValue(`[data-testid="boltaddress"]`, strings.TrimPrefix(srv.URI, "bolt://"), chromedp.ByQuery),
		chromedp.SendKeys(`[data-testid="username"]`, srv.User, chromedp.ByQuery),
		chromedp.SendKeys(`[data-testid="password"]`, srv.Password, chromedp.ByQuery),
	)
	if err != nil {
		shot("failed-connect-form.png")
		t.Fatalf("filling Browser's connect form: %v", err)
	}
	// A click that lands while Browser is still wiring up its form does
	// nothing and shows nothing (CI once waited out the whole timeout on
	// a filled form): click again while the form is still there, as a
	// user would, rather than wait on a click that was lost.
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(bctx, 10*time.Second)
		err = chromedp.Run(actx,
			chromedp.Click(`[data-testid="connect"]`, chromedp.ByQuery),
			// The style frame that browser.post_connect_cmd (:style URL) opens.
			chromedp.WaitVisible(`//*[contains(., "node.Organization")]`, chromedp.BySearch),
		)
		cancel()
		if err == nil {
			break
		}
		var formShown bool
		_ = chromedp.Run(bctx, chromedp.Evaluate(`!!document.querySelector('[data-testid="connect"]')`, &formShown))
		if !formShown {
			// Connected, or connecting: the style frame may just be slow.
			wctx, cancel := context.WithTimeout(bctx, time.Minute)
			err = chromedp.Run(wctx, chromedp.WaitVisible(`//*[contains(., "node.Organization")]`, chromedp.BySearch))
			cancel()
			if err == nil {
				break
			}
		}
		if attempt == 8 || !formShown {
			var page string
			_ = chromedp.Run(bctx, chromedp.Evaluate(`document.body.innerText`, &page))
			shot("failed-connect.png")
			t.Fatalf("connecting (%d clicks; connect form still shown: %v): %v\npage: %.2000s", attempt, formShown, err, page)
		}
		var page string
		_ = chromedp.Run(bctx, chromedp.Evaluate(`document.body.innerText`, &page))
		t.Logf("connect click %d: no style frame after 10 s, form still shown; clicking again. Page: %.600q", attempt, page)
	}
	run("partners-param", `//*[contains(text(), "Successfully set your parameters")]`, chromedp.BySearch)
	paste(query)
	run("partners", `//*[contains(text(), `+xpathString(names[0])+`)]`, chromedp.BySearch)
	var text string
	if err := chromedp.Run(bctx, chromedp.Evaluate(`document.body.innerText`, &text)); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if !strings.Contains(text, n) {
			t.Errorf("Browser does not show partner %q", n)
		}
	}
	shot("partners.png")

	neighbourhood, _ := queries.Get("neighbourhood")
	params, query = paramsAndQuery(neighbourhood)
	paste(params)
	run("neighbourhood-param", `(//*[contains(text(), "Successfully set your parameters")])[2]`, chromedp.BySearch)
	paste(query)
	run("neighbourhood", `svg g.node`, chromedp.ByQuery)
	var fills []string
	if err := chromedp.Run(bctx, chromedp.Evaluate(`Array.from(document.querySelectorAll('svg g.node circle.b-outline')).map(c => c.getAttribute('fill'))`, &fills)); err != nil {
		t.Fatal(err)
	}
	// Every node is drawn in a colour of collabnet's style sheet: Browser
	// made up none of its own.
	ours := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^  color: (#[0-9A-Fa-f]{6});`).FindAllStringSubmatch(queries.Style("zh"), -1) {
		ours[strings.ToUpper(m[1])] = true
	}
	for _, f := range fills {
		if !ours[strings.ToUpper(f)] {
			t.Errorf("graph view: a node drawn in %s, which is no colour of collabnet.grass", f)
		}
	}
	if len(fills) < 3 {
		t.Errorf("graph view: %d nodes, want the neighbourhood", len(fills))
	}
	// Chinese names show whole: the organisation asked for, a park whose
	// name has no space, is captioned with every character of its name
	// (Browser breaks captions only at spaces, and cuts a word too wide for
	// its line with "…").
	var captions []string
	if err := chromedp.Run(bctx, chromedp.Evaluate(`Array.from(document.querySelectorAll('svg g.node')).map(g => Array.from(g.querySelectorAll('text')).map(x => x.textContent).join(''))`, &captions)); err != nil {
		t.Fatal(err)
	}
	org := neighbourhood.Examples()["org"].(string)
	whole := false
	for _, c := range captions {
		if strings.ReplaceAll(c, " ", "") == org {
			whole = true
		}
	}
	if !whole {
		t.Errorf("graph view: no node captioned with the whole name %q; captions: %q", org, captions)
	}
	shot("neighbourhood.png")
	// The same graph on the whole window and zoomed in, where the captions
	// can be read.
	zoom := `(() => {
		const f = document.querySelector('svg g.node').closest('[data-testid="frame"]');
		f.querySelector('[title="Fullscreen"]').click();
		return true;
	})()`
	zoomIn := `(() => { const b = document.querySelector('[data-testid="frame"].is-fullscreen button.zoom-in'); if (b) b.click(); return !!b; })()`
	var zoomed, in1, in2 bool
	if err := chromedp.Run(bctx, chromedp.Evaluate(zoom, &zoomed), chromedp.Sleep(2*time.Second),
		chromedp.Evaluate(zoomIn, &in1), chromedp.Sleep(time.Second), chromedp.Evaluate(zoomIn, &in2), chromedp.Sleep(2*time.Second)); err != nil || !in1 || !in2 {
		t.Errorf("zooming into the graph view: %v (zoom buttons found: %v %v)", err, in1, in2)
	}
	shot("neighbourhood-zoom.png")
}

// xpathString writes s as an XPath 1.0 string literal.
func xpathString(s string) string {
	if !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	return "concat('" + strings.ReplaceAll(s, "'", `', "'", '`) + "')"
}
