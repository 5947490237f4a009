package report

import "github.com/collabnet/collabnet/analysis"

// rankedMeasures are the measures the report ranks organisations by, in
// output order: those declared Ranked in the analysis registry, when they
// were computed. The report computes every measure unless --measures says
// otherwise.
func rankedMeasures() []analysis.MeasureDef {
	var out []analysis.MeasureDef
	for _, d := range analysis.Measures() {
		if d.Ranked {
			out = append(out, d)
		}
	}
	return out
}

// getter returns a function reading measure m of a node.
func getter(m analysis.Measure) func(*analysis.NodeScore) float64 {
	return func(n *analysis.NodeScore) float64 { return n.Value(m) }
}

// measureName is a measure's name in lang, as its declaration gives it.
func measureName(lang string, m string) string {
	d := analysis.Lookup(analysis.Measure(m))
	switch {
	case d == nil:
		return m
	case lang == "zh" && d.LabelZH != "":
		return d.LabelZH
	}
	return d.Label
}
