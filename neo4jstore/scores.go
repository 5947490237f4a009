package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/graph"
)

// ScoreRow is one node's scores to write back: its key property's value
// and its measures by name (as analysis.MeasureDef.Typed gives them:
// int64 or float64; unknown scores are left out).
type ScoreRow struct {
	Key    string
	Scores map[string]any
}

// AnalyticsRun is the record of one analyze --write run, stored as an
// AnalyticsRun node beside the scores.
type AnalyticsRun struct {
	ID      string
	Level   string    // analysis.LevelOrg or LevelCountry
	Time    time.Time // stored as RFC 3339 text, UTC
	Version string    // collabnet's version
	// Parameters is analysis.Options as JSON (schemas/analytics-run-parameters.schema.json).
	Parameters string
	Nodes      int
	Measures   []analysis.Measure
	// Modularity, when the community measure was computed.
	Modularity *float64
}

// scoreRows are the rows of a level's scores: every node, with the
// level's measures that are known.
func scoreRows(l *analysis.Level) []ScoreRow {
	rows := make([]ScoreRow, 0, len(l.Nodes))
	for i := range l.Nodes {
		n := &l.Nodes[i]
		sc := make(map[string]any, len(l.Measures))
		for _, m := range l.Measures {
			if d := analysis.Lookup(m); d != nil {
				// Unknown (sampled) closeness is left as it was cleared
				// rather than written as NaN.
				if v := d.Typed(n); v != nil {
					sc[string(m)] = v
				}
			}
		}
		rows = append(rows, ScoreRow{Key: n.ID, Scores: sc})
	}
	return rows
}

// WriteScores sets the level's scores as properties of its nodes
// (Organization or Country, by key), like GDS's write mode, so that
// Browser users can sort and style by them, and records the run as an
// AnalyticsRun node with its parameters, time and version. Scores and the
// run commit together.
//
// Every declared measure's property is first removed from every node of
// the label, so that no node keeps a score of an earlier run that this
// one did not compute (another measure, or a value now unknown): a
// Browser user sorting by a score reads this run's or none.
func (s *Store) WriteScores(ctx context.Context, l *analysis.Level, run AnalyticsRun) (err error) {
	label := graph.LabelOrganization
	switch l.Level {
	case analysis.LevelOrg:
	case analysis.LevelCountry:
		label = graph.LabelCountry
	default:
		return fmt.Errorf("scores are written for levels %s or %s, not %q", analysis.LevelOrg, analysis.LevelCountry, l.Level)
	}
	clear := analysis.MeasureNames(analysis.AllMeasures())
	srows := scoreRows(l)
	rows := make([]map[string]any, len(srows))
	for i, r := range srows {
		rows[i] = map[string]any{"key": r.Key, "scores": r.Scores}
	}
	runProps := map[string]any{"id": run.ID, "level": run.Level, "time": run.Time.UTC().Format(time.RFC3339),
		"version": run.Version, "parameters": run.Parameters, "nodes": int64(run.Nodes),
		"measures": strings.Join(analysis.MeasureNames(run.Measures), ",")}
	if run.Modularity != nil {
		runProps["modularity"] = *run.Modularity
	}
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer func() { err = errors.Join(err, sess.Close(ctx)) }()
	nulls := make(map[string]any, len(clear))
	for _, k := range clear {
		nulls[k] = nil // SET n += {k: null} removes k
	}
	_, err = sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		if len(nulls) > 0 {
			if _, err := tx.Run(ctx, fmt.Sprintf("MATCH (n:%s) SET n += $nulls", label), map[string]any{"nulls": nulls}); err != nil {
				return nil, err
			}
		}
		for lo := 0; lo < len(rows); lo += s.batch {
			hi := min(lo+s.batch, len(rows))
			q := fmt.Sprintf("UNWIND $rows AS r MATCH (n:%s {%s: r.key}) SET n += r.scores", label, graph.KeyProp(label))
			if _, err := tx.Run(ctx, q, map[string]any{"rows": rows[lo:hi]}); err != nil {
				return nil, err
			}
		}
		// Size bands for Browser: the nodes whose PageRank reaches that of
		// the node at the tenth, then at the 30th percentile of the ranking
		// (by value, so equal scores share a band).
		band := fmt.Sprintf(`MATCH (n:%[1]s) REMOVE n:%[2]s:%[3]s
WITH count(*) AS all
MATCH (n:%[1]s) WHERE n.pagerank IS NOT NULL
WITH n.pagerank AS pr ORDER BY pr DESC
WITH collect(pr) AS prs
WITH prs[toInteger(ceil(size(prs) / 10.0)) - 1] AS t2, prs[toInteger(ceil(size(prs) * 0.3)) - 1] AS t1
MATCH (n:%[1]s) WHERE n.pagerank >= t1
FOREACH (_ IN CASE WHEN n.pagerank >= t2 THEN [1] ELSE [] END | SET n:%[3]s)
FOREACH (_ IN CASE WHEN n.pagerank < t2 THEN [1] ELSE [] END | SET n:%[2]s)`,
			label, graph.LabelScoreBand1, graph.LabelScoreBand2)
		if _, err := tx.Run(ctx, band, nil); err != nil {
			return nil, err
		}
		_, err := tx.Run(ctx, fmt.Sprintf("CREATE (r:%s) SET r = $run", graph.LabelAnalyticsRun), map[string]any{"run": runProps})
		return nil, err
	})
	if err != nil {
		return fmt.Errorf("writing %d %s scores: %w", len(rows), label, err)
	}
	return nil
}

// scoreProjection is the Cypher map projection of every analytics score
// property (".degree, .pagerank, ..."), which a replacing load keeps.
func scoreProjection() string {
	var b strings.Builder
	for i, m := range analysis.AllMeasures() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("." + string(m))
	}
	return b.String()
}
