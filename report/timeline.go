package report

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"

	"github.com/collabnet/collabnet/graph"
)

// Timeline counts agreements by the year and, where the date gives it, the
// month they were signed. Dates are YYYY, YYYY-MM or YYYY-MM-DD.
type Timeline struct {
	// Years runs from the first to the last year with an agreement, years
	// without one included (at zero).
	Years []PeriodCount `json:"years"`
	// Months runs from the first to the last month known, at most
	// maxTimelineMonths of them (else only the months with an agreement); an
	// agreement dated to the year only is not in it.
	Months    []PeriodCount `json:"months"`
	YearOnly  int           `json:"year_only"` // dated to the year only
	Undated   int           `json:"undated"`   // no date, or one that is not YYYY[-MM[-DD]]
	Dated     int           `json:"dated"`
	MonthsGap bool          `json:"months_sparse,omitempty"` // Months lists only months with agreements
}

// PeriodCount is the number of agreements of one year (YYYY) or month (YYYY-MM).
type PeriodCount struct {
	Period     string `json:"period"`
	Agreements int    `json:"agreements"`
}

// maxTimelineMonths is the longest run of months listed with its empty months.
const maxTimelineMonths = 120

var dateRE = regexp.MustCompile(`^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$`)

// parseDate returns the year and month (0 when not given) of a date, ok
// false when it is not YYYY, YYYY-MM or YYYY-MM-DD.
func parseDate(s string) (year, month int, ok bool) {
	m := dateRE.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, false
	}
	year, _ = strconv.Atoi(m[1])
	if m[2] != "" {
		month, _ = strconv.Atoi(m[2])
		if month < 1 || month > 12 {
			return 0, 0, false
		}
	}
	return year, month, true
}

// BuildTimeline counts the agreements by year and month.
func BuildTimeline(as []*graph.Agreement) Timeline {
	var t Timeline
	years := map[int]int{}
	months := map[int]int{} // year*12 + month-1
	for _, a := range as {
		y, m, ok := parseDate(a.Date)
		if !ok {
			t.Undated++
			continue
		}
		t.Dated++
		years[y]++
		if m == 0 {
			t.YearOnly++
		} else {
			months[y*12+m-1]++
		}
	}
	t.Years = runOf(years, 1000, func(k int) string { return strconv.Itoa(k) }, nil)
	t.Months = runOf(months, maxTimelineMonths, func(k int) string { return fmt.Sprintf("%04d-%02d", k/12, k%12+1) }, &t.MonthsGap)
	return t
}

// runOf lists the counts from the smallest key to the largest, empty keys
// included, unless that is more than limit keys: then only the keys counted.
func runOf(m map[int]int, limit int, name func(int) string, sparse *bool) []PeriodCount {
	if len(m) == 0 {
		return []PeriodCount{}
	}
	keys := slices.Sorted(func(yield func(int) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	})
	lo, hi := keys[0], keys[len(keys)-1]
	var out []PeriodCount
	if hi-lo+1 > limit {
		if sparse != nil {
			*sparse = true
		}
		for _, k := range keys {
			out = append(out, PeriodCount{name(k), m[k]})
		}
		return out
	}
	for k := lo; k <= hi; k++ {
		out = append(out, PeriodCount{name(k), m[k]})
	}
	return out
}
