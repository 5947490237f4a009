package analysis_test

import (
	"context"
	"testing"
	"time"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/analytics"
)

// BenchmarkH2020Filters times, on the whole H2020 file, analyze --measures
// degree at both levels (the peer) and the same with normalisation,
// thresholds and periods, interleaved in each round so that the machine's
// load falls on all alike; it reports each one's ratio to
// the peer (median wall time over the rounds):
//
//	go test -run '^$' -bench H2020Filters -benchtime 5x ./analysis/
func BenchmarkH2020Filters(b *testing.B) {
	ds := h2020Bench(b)
	ctx := context.Background()
	deg := []analysis.Measure{analysis.Degree}
	variants := []struct {
		name string
		opt  analysis.Options
	}{
		{"degree", analysis.Options{Measures: deg}},
		{"normalize", analysis.Options{Measures: deg, Normalize: analytics.NormAssociation}},
		{"thresholds", analysis.Options{Measures: deg, Filter: analysis.Filter{MinAgreements: 2, MinWeight: 2, Backbone: "disparity", MaxLinks: 10000, DropIsolates: true}}},
		{"period", analysis.Options{Measures: deg, Period: "year"}},
	}
	times := make([][]time.Duration, len(variants))
	b.ResetTimer()
	for range b.N {
		for i, v := range variants {
			start := time.Now()
			if _, err := analysis.Analyze(ctx, ds, v.opt); err != nil {
				b.Fatal(err)
			}
			times[i] = append(times[i], time.Since(start))
		}
	}
	b.StopTimer()
	base := median(times[0])
	for i, v := range variants {
		b.ReportMetric(float64(median(times[i]))/1e6, v.name+"-ms")
		if i > 0 {
			b.ReportMetric(float64(median(times[i]))/float64(base), v.name+"/degree")
		}
	}
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s[len(s)/2]
}
