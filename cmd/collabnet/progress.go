package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progressBars returns a progress callback that draws one bar per phase on
// w, with the count, the rate and the time left (schollz/progressbar). The
// callback may be called from several goroutines.
func progressBars(w io.Writer) func(phase string, done, total int) {
	var (
		mu    sync.Mutex
		phase string
		bar   *progressbar.ProgressBar
	)
	return func(p string, done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if bar == nil || p != phase {
			if bar != nil {
				_ = bar.Finish()
			}
			phase = p
			bar = progressbar.NewOptions(total,
				progressbar.OptionSetWriter(w),
				progressbar.OptionSetDescription(fmt.Sprintf("%-13s", p)),
				progressbar.OptionSetWidth(30),
				progressbar.OptionShowCount(),
				progressbar.OptionSetPredictTime(true),
				progressbar.OptionShowElapsedTimeOnFinish(),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionOnCompletion(func() { _, _ = fmt.Fprintln(w) }))
		}
		_ = bar.Set(done)
	}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	if r, ok := w.(*redacting); ok {
		w = r.w
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
