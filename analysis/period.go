package analysis

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Period is the network of the agreements dated within one period.
type Period struct {
	Label   string `json:"label"` // "2016", or "2016–2018"
	From    string `json:"from"`  // first day, YYYY-MM-DD
	Until   string `json:"until"` // last day
	Org     *Level `json:"org,omitempty"`
	Country *Level `json:"country,omitempty"`
}

// Change is what changed in one level between two consecutive periods.
// A node is present in a period when it is a node of that period's
// network (after the filters): party to one of its agreements.
type Change struct {
	Level    string   `json:"level"`
	From     string   `json:"from"` // period labels
	To       string   `json:"to"`
	Entrants []string `json:"entrants"` // node IDs present in To only, sorted
	Leavers  []string `json:"leavers"`  // present in From only
	// Moves (country level) give every country's strength and rank in
	// both periods; rank 1 is the strongest, equal strengths share a rank
	// ("1224"), and 0 means absent.
	Moves []Move `json:"moves,omitempty"`
}

// Move is one node's strength and rank in two periods.
type Move struct {
	ID           string  `json:"id"`
	StrengthFrom float64 `json:"strength_from"`
	StrengthTo   float64 `json:"strength_to"`
	RankFrom     int     `json:"rank_from"`
	RankTo       int     `json:"rank_to"`
}

// ParsePeriod reads --period: "year" (or "1-years"), or "N-years" for
// periods of N calendar years. It returns N.
func ParsePeriod(s string) (int, error) {
	if s == "year" || s == "years" {
		return 1, nil
	}
	if n, ok := strings.CutSuffix(s, "-years"); ok {
		if k, err := strconv.Atoi(n); err == nil && k > 0 {
			return k, nil
		}
	}
	return 0, fmt.Errorf("--period %q: want year or N-years (such as 3-years)", s)
}

// periods analyses the network of each period of opt.Period within w:
// periods of N calendar years from the first year with a dated agreement
// in w to the last. Undated agreements are in no period; they are counted
// in Undated.
func (an *Analysis) periods(ctx context.Context, src *source, w window, deadline time.Time) error {
	opt := an.Options
	if opt.PeriodLevels != nil {
		opt.Levels = opt.PeriodLevels
	}
	if opt.PeriodMeasures != nil {
		opt.Measures = opt.PeriodMeasures
	}
	n, err := ParsePeriod(opt.Period)
	if err != nil {
		return err
	}
	first, last := 0, 0
	for _, a := range src.agreements {
		in, dated := w.contains(a.Date)
		if !dated {
			an.Undated++
			continue
		}
		if !in {
			continue
		}
		y, _ := strconv.Atoi(a.Date[:4])
		if first == 0 || y < first {
			first = y
		}
		last = max(last, y)
	}
	if first == 0 {
		return nil // no period: Periods stays empty
	}
	for y := first; y <= last; y += n {
		p := &Period{Label: strconv.Itoa(y), From: fmt.Sprintf("%04d-01-01", y), Until: fmt.Sprintf("%04d-12-31", y+n-1)}
		if n > 1 {
			p.Label = fmt.Sprintf("%d–%d", y, y+n-1)
		}
		pw := window{from: max(p.From, w.from), until: p.Until}
		if w.until != "" {
			pw.until = min(p.Until, w.until)
		}
		ob, err := buildOrg(ctx, src, opt, pw, "period "+p.Label)
		if err != nil {
			return fmt.Errorf("period %s: %w", p.Label, err)
		}
		for _, lv := range []struct {
			name string
			dst  **Level
		}{{LevelCountry, &p.Country}, {LevelOrg, &p.Org}} {
			if !opt.wants(lv.name) {
				continue
			}
			if *lv.dst, err = buildAndAnalyze(ctx, src, ob, opt, lv.name, deadline); err != nil {
				return fmt.Errorf("period %s: %w", p.Label, err)
			}
		}
		an.Periods = append(an.Periods, p)
	}
	for i := 1; i < len(an.Periods); i++ {
		a, b := an.Periods[i-1], an.Periods[i]
		if a.Country != nil {
			an.Changes = append(an.Changes, change(LevelCountry, a.Label, b.Label, a.Country, b.Country, true))
		}
		if a.Org != nil {
			an.Changes = append(an.Changes, change(LevelOrg, a.Label, b.Label, a.Org, b.Org, false))
		}
	}
	return nil
}

// change compares a level in two periods.
func change(level, from, to string, a, b *Level, moves bool) *Change {
	c := &Change{Level: level, From: from, To: to, Entrants: []string{}, Leavers: []string{}}
	ra, rb := strengthRanks(a), strengthRanks(b)
	for id := range rb {
		if _, ok := ra[id]; !ok {
			c.Entrants = append(c.Entrants, id)
		}
	}
	for id := range ra {
		if _, ok := rb[id]; !ok {
			c.Leavers = append(c.Leavers, id)
		}
	}
	slices.Sort(c.Entrants)
	slices.Sort(c.Leavers)
	if moves {
		ids := map[string]bool{}
		for id := range ra {
			ids[id] = true
		}
		for id := range rb {
			ids[id] = true
		}
		for _, id := range slices.Sorted(maps.Keys(ids)) {
			m := Move{ID: id}
			if r, ok := ra[id]; ok {
				m.StrengthFrom, m.RankFrom = r.strength, r.rank
			}
			if r, ok := rb[id]; ok {
				m.StrengthTo, m.RankTo = r.strength, r.rank
			}
			c.Moves = append(c.Moves, m)
		}
	}
	return c
}

type ranked struct {
	strength float64
	rank     int
}

// strengthRanks ranks a level's nodes by strength, competition ranking.
func strengthRanks(l *Level) map[string]ranked {
	top, ranks, _ := l.Ranked(len(l.Nodes), func(n *NodeScore) float64 {
		if n.LinkStrength != nil {
			return *n.LinkStrength // raw, whatever weights the measures used
		}
		return n.Value(Strength)
	})
	out := make(map[string]ranked, len(top))
	for i, n := range top {
		s := n.Value(Strength)
		if n.LinkStrength != nil {
			s = *n.LinkStrength
		}
		out[n.ID] = ranked{s, ranks[i]}
	}
	return out
}
