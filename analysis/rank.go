package analysis

import "math"

// TieTolerance: two scores closer than this (relative) share a rank, so
// that floating-point noise between symmetric nodes does not order them.
const TieTolerance = 1e-9

// Tied reports whether two scores share a rank (NaN ties only with NaN).
func Tied(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= TieTolerance*math.Max(math.Abs(a), math.Abs(b))
}

// Ranked returns the k nodes with the highest value of a measure (ties
// broken by ID, as Top does) with their standard competition ranks ("1224":
// tied nodes share a rank, the next rank counts them all), and how many
// nodes beyond the k tie with the last one shown.
func (l *Level) Ranked(k int, measure func(*NodeScore) float64) (top []NodeScore, ranks []int, tiedBeyond int) {
	all := l.Top(len(l.Nodes), measure)
	k = min(k, len(all))
	ranks = make([]int, k)
	for i := range k {
		if i > 0 && Tied(measure(&all[i]), measure(&all[i-1])) {
			ranks[i] = ranks[i-1]
		} else {
			ranks[i] = i + 1
		}
	}
	if k > 0 {
		last := measure(&all[k-1])
		for i := k; i < len(all) && Tied(measure(&all[i]), last); i++ {
			tiedBeyond++
		}
	}
	return all[:k], ranks, tiedBeyond
}
