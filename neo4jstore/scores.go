package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/graph"
)

// ScoreRows are per-node scores to write back: the node's key and a map of
// score name to value.
type ScoreRows []map[string]any

// WriteScores sets analytics scores as properties of the nodes of label
// (Organization or Country), like GDS's write mode, so that Browser users
// can sort and style by them, and records the run as an AnalyticsRun node
// with its parameters, time and version. Scores and the run commit together.
//
// The properties named in clear are first removed from every node of the
// label, so that no node keeps a score of an earlier run that this one did
// not compute (another measure, or a value now unknown): a Browser user
// sorting by a score reads this run's or none.
func (s *Store) WriteScores(ctx context.Context, label string, rows ScoreRows, run map[string]any, clear []string) (err error) {
	if label != graph.LabelOrganization && label != graph.LabelCountry {
		return fmt.Errorf("scores are written to %s or %s nodes, not %s", graph.LabelOrganization, graph.LabelCountry, label)
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
			if _, err := tx.Run(ctx, q, map[string]any{"rows": []map[string]any(rows[lo:hi])}); err != nil {
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
		_, err := tx.Run(ctx, fmt.Sprintf("CREATE (r:%s) SET r = $run", graph.LabelAnalyticsRun), map[string]any{"run": run})
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
	for i, m := range analysis.AllMeasures {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("." + string(m))
	}
	return b.String()
}
