package neo4jstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/graph"
)

// Readers see complete loads only (ARCHITECTURE.md, "Loads").
//
// The graph.LabelLoadState node says whether the graph is a complete load.
// A load sets it to "loading", with the next generation, in the
// transaction before its first write, and to "complete" in the transaction
// after its last. Every reader (Read, Query, AnalyzeGDS) checks it before
// and after it reads: a graph whose state is not complete, or whose
// generation changed while it was read, is refused with an
// *IncompleteError naming the load and how to finish it. Neo4j commits
// the "loading" state before any write of the load, so a reader that saw
// one of those writes sees the state change when it checks again.

// State is the load state of a database.
type State struct {
	// Status is StatusLoading or StatusComplete; "" when nothing was ever
	// loaded (or the graph was loaded by a collabnet that kept no state).
	Status     string    `json:"status"`
	Generation int64     `json:"generation"`
	Started    time.Time `json:"started,omitzero"`
	Finished   time.Time `json:"finished,omitzero"`
	Holder     string    `json:"holder,omitempty"` // who ran the last load
	// Locked is true while a load holds (or a killed load left) the load
	// lock.
	Locked bool `json:"locked"`
}

// The load statuses.
const (
	StatusLoading  = "loading"
	StatusComplete = "complete"
)

// IncompleteError is the error of a reader that found the graph in the
// middle of a load, or left by a load that stopped before it finished.
type IncompleteError struct {
	State State
	// During is true when a load started while the reader read (or the
	// load state changed otherwise: Before is what it was).
	During bool
	Before State
}

func (e *IncompleteError) Error() string {
	if e.During && e.State.Status == StatusLoading {
		return fmt.Sprintf("the graph in Neo4j changed while it was read: load %d (%s) started meanwhile; run the command again when it has finished",
			e.State.Generation, e.State.Holder)
	}
	if e.During {
		// Not a load: the state was changed or removed by hand, or by a
		// query that wrote to it (collabnet query run --write).
		now := fmt.Sprintf("load %d, %s", e.State.Generation, e.State.Status)
		if e.State.Status == "" {
			now = "no load state"
		}
		return fmt.Sprintf("the graph in Neo4j changed while it was read: its load state went from load %d, %s, to %s (changed by hand, or by a query that writes); run the command again",
			e.Before.Generation, e.Before.Status, now)
	}
	who := e.State.Holder
	if who == "" {
		who = "an earlier collabnet"
	}
	return fmt.Sprintf("the graph in Neo4j is an unfinished load: load %d, started %s by %s, has not finished. "+
		"If it is still running, wait for it; if it stopped, run `collabnet load` again to finish it (it reloads the recorded sources: `collabnet sources`)",
		e.State.Generation, e.State.Started.Format(time.RFC3339), who)
}

var stateQuery = fmt.Sprintf(`OPTIONAL MATCH (s:%s {id: 'state'})
CALL { MATCH (l:%s) RETURN count(l) AS locks }
RETURN s.status AS status, coalesce(s.generation, 0) AS gen, s.started AS started, s.finished AS finished, s.holder AS holder, locks`,
	graph.LabelLoadState, graph.LabelLoadLock)

// State returns the load state of the database.
func (s *Store) State(ctx context.Context) (State, error) {
	sess := s.session(ctx, neo4j.AccessModeRead)
	defer func() { _ = sess.Close(context.WithoutCancel(ctx)) }() // closing what was only read: nothing to lose
	rec, err := neo4j.ExecuteRead(ctx, sess, func(tx neo4j.ManagedTransaction) (*neo4j.Record, error) {
		res, err := tx.Run(ctx, stateQuery, nil)
		if err != nil {
			return nil, err
		}
		return res.Single(ctx)
	})
	if err != nil {
		return State{}, fmt.Errorf("reading the load state: %w", err)
	}
	var st State
	st.Status, _ = rec.Values[0].(string)
	st.Generation, _ = rec.Values[1].(int64)
	if t, ok := rec.Values[2].(time.Time); ok {
		st.Started = t
	}
	if t, ok := rec.Values[3].(time.Time); ok {
		st.Finished = t
	}
	st.Holder, _ = rec.Values[4].(string)
	locks, _ := rec.Values[5].(int64)
	st.Locked = locks > 0
	return st, nil
}

// complete returns the state if the graph may be read: its last load
// finished, or nothing was loaded with a state and no load holds the lock.
func (st State) complete() bool {
	switch st.Status {
	case StatusComplete:
		return true
	case "":
		return !st.Locked // a graph of an older collabnet, or an empty one
	}
	return false
}

// readable returns the state if the graph may be read, else an
// *IncompleteError.
func (s *Store) readable(ctx context.Context) (State, error) {
	st, err := s.State(ctx)
	if err != nil {
		return st, err
	}
	if !st.complete() {
		return st, &IncompleteError{State: st}
	}
	return st, nil
}

// consistent runs read between two checks of the load state: it refuses a
// graph that is not complete before, and one whose load state changed by
// the end (a load started meanwhile).
func (s *Store) consistent(ctx context.Context, read func() error) error {
	return s.consistentRun(ctx, func() (bool, error) { return false, read() })
}

// consistentRun is consistent for a run that may write (query run
// --write): run reports whether it wrote. A run that wrote may have changed
// the load state itself (a query that empties the database removes it), so
// only a load that started meanwhile (the state loading, under another
// generation) is an error then.
func (s *Store) consistentRun(ctx context.Context, run func() (wrote bool, err error)) error {
	before, err := s.readable(ctx)
	if err != nil {
		return err
	}
	wrote, err := run()
	if err != nil {
		return err
	}
	after, err := s.State(ctx)
	if err != nil {
		return err
	}
	if after.Generation == before.Generation && after.Status == before.Status {
		return nil
	}
	if wrote && !(after.Status == StatusLoading && after.Generation != before.Generation) {
		return nil
	}
	return &IncompleteError{State: after, During: true, Before: before}
}

// Source is one recorded input of the loaded graph.
type Source struct {
	// Name identifies the input: a cleaned absolute path, or
	// "shipped:data/<file>" for the shipped dataset.
	Name   string `json:"name"`
	SHA256 string `json:"sha256"` // of the file's bytes as stored (compressed if it is)
	Bytes  int64  `json:"bytes"`
	// Options are the reading options the input was loaded with, as
	// canonical JSON: a later load reads it again with them.
	Options  string    `json:"options,omitempty"`
	LoadedAt time.Time `json:"loaded_at"`
}

// Sources lists the recorded inputs of the graph, by name.
func (s *Store) Sources(ctx context.Context) ([]Source, error) {
	sess := s.session(ctx, neo4j.AccessModeRead)
	defer func() { _ = sess.Close(context.WithoutCancel(ctx)) }() // closing what was only read: nothing to lose
	recs, err := neo4j.ExecuteRead(ctx, sess, func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		res, err := tx.Run(ctx, fmt.Sprintf("MATCH (x:%s) RETURN x.id, x.sha256, x.bytes, x.options, x.loaded_at ORDER BY x.id", graph.LabelLoadSource), nil)
		if err != nil {
			return nil, err
		}
		return res.Collect(ctx)
	})
	if err != nil {
		return nil, fmt.Errorf("reading the recorded sources: %w", err)
	}
	out := make([]Source, 0, len(recs))
	for _, r := range recs {
		var x Source
		x.Name, _ = r.Values[0].(string)
		x.SHA256, _ = r.Values[1].(string)
		x.Bytes, _ = r.Values[2].(int64)
		x.Options, _ = r.Values[3].(string)
		x.LoadedAt, _ = r.Values[4].(time.Time)
		out = append(out, x)
	}
	return out, nil
}

var beginLoadQuery = fmt.Sprintf(`MERGE (s:%s {id: 'state'})
SET s.generation = coalesce(s.generation, 0) + 1, s.status = '%s', s.started = datetime(), s.finished = null, s.holder = $holder
RETURN s.generation AS gen`, graph.LabelLoadState, StatusLoading)

var recordSourcesQuery = fmt.Sprintf(`OPTIONAL MATCH (x:%[1]s) WHERE NOT x.id IN $ids
DETACH DELETE x
WITH count(*) AS _
UNWIND $sources AS r
MERGE (x:%[1]s {id: r.id})
SET x += r.props`, graph.LabelLoadSource)

var finishLoadQuery = fmt.Sprintf(`MATCH (s:%s {id: 'state'}) WHERE s.generation = $gen
SET s.status = '%s', s.finished = datetime()
RETURN count(s) AS n`, graph.LabelLoadState, StatusComplete)

// beginLoad marks the graph as being loaded, with the next generation,
// and records the sources of the load (when sources is not nil: the
// recorded sources become exactly these). It returns the generation.
func (s *Store) beginLoad(ctx context.Context, holder string, sources []Source) (int64, error) {
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer func() { _ = sess.Close(context.WithoutCancel(ctx)) }() // the session's transactions have committed or failed before Close
	gen, err := neo4j.ExecuteWrite(ctx, sess, func(tx neo4j.ManagedTransaction) (int64, error) {
		res, err := tx.Run(ctx, beginLoadQuery, map[string]any{"holder": holder})
		if err != nil {
			return 0, err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return 0, err
		}
		gen, _ := rec.Values[0].(int64)
		if sources != nil {
			if _, err := tx.Run(ctx, recordSourcesQuery, sourceParams(sources, gen)); err != nil {
				return 0, err
			}
		}
		return gen, nil
	})
	if err != nil {
		return 0, fmt.Errorf("starting the load: %w", err)
	}
	return gen, nil
}

// sourceParams are recordSourcesQuery's parameters: the sources of load
// gen.
func sourceParams(sources []Source, gen int64) map[string]any {
	ids := make([]string, 0, len(sources))
	rows := make([]map[string]any, 0, len(sources))
	for _, x := range sources {
		ids = append(ids, x.Name)
		rows = append(rows, map[string]any{"id": x.Name, "props": map[string]any{
			"sha256": x.SHA256, "bytes": x.Bytes, "options": x.Options, "loaded_at": x.LoadedAt.UTC(), "generation": gen}})
	}
	return map[string]any{"ids": ids, "sources": rows}
}

// finishLoad marks load gen complete.
func (s *Store) finishLoad(ctx context.Context, gen int64) error {
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer func() { _ = sess.Close(context.WithoutCancel(ctx)) }() // the session's transactions have committed or failed before Close
	n, err := neo4j.ExecuteWrite(ctx, sess, func(tx neo4j.ManagedTransaction) (int64, error) {
		res, err := tx.Run(ctx, finishLoadQuery, map[string]any{"gen": gen})
		if err != nil {
			return 0, err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return 0, err
		}
		n, _ := rec.Values[0].(int64)
		return n, nil
	})
	if err == nil && n != 1 {
		err = fmt.Errorf("the load state is no longer generation %d", gen)
	}
	if err != nil {
		return fmt.Errorf("finishing load %d: %w", gen, err)
	}
	return nil
}

// removeStale deletes what load gen did not write, in batches the server
// commits itself, so that a large removal fits in memory; the load state
// stays "loading" until the load finishes, so no reader sees the graph in
// between. Without ties, it deletes the relationships among nodes of the
// collaboration graph but PARTNER_OF, then its nodes, whose
// GenerationProp is not gen, and counts the parties of the agreements
// again; with ties, the PARTNER_OF ties (counted after the parties are
// right).
func (s *Store) removeStale(ctx context.Context, gen int64, ties bool) error {
	labels := strings.Join(graph.NodeLabels, "|")
	qs := []string{
		fmt.Sprintf("MATCH (:%[1]s)-[r]->(:%[1]s) WHERE type(r) <> '%[3]s' AND coalesce(r.%[2]s, -1) <> $gen CALL { WITH r DELETE r } IN TRANSACTIONS OF 10000 ROWS",
			labels, graph.GenerationProp, graph.RelPartnerOf),
		fmt.Sprintf("MATCH (n:%[1]s) WHERE coalesce(n.%[2]s, -1) <> $gen CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS", labels, graph.GenerationProp),
		fmt.Sprintf("MATCH (a:%[1]s) WITH a, COUNT { (a)<-[:%[2]s]-() } AS n WHERE a.parties <> n CALL { WITH a, n SET a.parties = n } IN TRANSACTIONS OF 10000 ROWS",
			graph.LabelAgreement, graph.RelPartyTo),
	}
	if ties {
		qs = []string{fmt.Sprintf("MATCH (:%[1]s)-[r:%[3]s]->(:%[1]s) WHERE coalesce(r.%[2]s, -1) <> $gen CALL { WITH r DELETE r } IN TRANSACTIONS OF 10000 ROWS",
			graph.LabelOrganization, graph.GenerationProp, graph.RelPartnerOf)}
	}
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer func() { _ = sess.Close(context.WithoutCancel(ctx)) }() // the session's transactions have committed or failed before Close
	for _, q := range qs {
		res, err := sess.Run(ctx, q, map[string]any{"gen": gen})
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			return fmt.Errorf("removing what load %d did not write: %w", gen, err)
		}
	}
	return nil
}

// Fingerprint is a SHA-256 (hex) of the collaboration graph the store
// holds, the same for the same graph however it was loaded: every node of
// graph.NodeLabels with its labels and properties, and every relationship
// among them (PARTNER_OF included) with its type, ends and properties.
// Load generations, analytics scores and score bands are left out, and so
// are the load state, the sources and AnalyticsRun nodes. Like every
// reader, it refuses an unfinished load.
func (s *Store) Fingerprint(ctx context.Context) (string, error) {
	labels := strings.Join(graph.NodeLabels, "|")
	skipLabels := []any{graph.LabelScoreBand1, graph.LabelScoreBand2}
	skipProps := map[string]bool{graph.GenerationProp: true}
	for _, m := range analysis.AllMeasures() {
		skipProps[string(m)] = true
	}
	primary := make([]any, len(graph.NodeLabels))
	for i, l := range graph.NodeLabels {
		primary[i] = l
	}
	var lines []string
	err := s.consistent(ctx, func() error {
		lines = lines[:0]
		sess := s.session(ctx, neo4j.AccessModeRead)
		defer func() { _ = sess.Close(context.WithoutCancel(ctx)) }() // the session's transactions have committed or failed before Close
		_, err := sess.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			lines = lines[:0]
			for _, q := range []string{
				fmt.Sprintf("MATCH (n:%s) RETURN 'N ' + apoc.text.join(apoc.coll.sort([l IN labels(n) WHERE NOT l IN $skip]), ':') AS k, properties(n) AS p", labels),
				fmt.Sprintf(`MATCH (a:%[1]s)-[r]->(b:%[1]s)
RETURN 'R ' + [l IN labels(a) WHERE l IN $primary][0] + ':' + coalesce(a.id, a.code) + ' ' + type(r) + ' ' + [l IN labels(b) WHERE l IN $primary][0] + ':' + coalesce(b.id, b.code) AS k, properties(r) AS p`, labels),
			} {
				res, err := tx.Run(ctx, q, map[string]any{"skip": skipLabels, "primary": primary})
				if err != nil {
					return nil, err
				}
				for res.Next(ctx) {
					k, _ := res.Record().Values[0].(string)
					p, _ := res.Record().Values[1].(map[string]any)
					for key := range p {
						if skipProps[key] {
							delete(p, key)
						}
					}
					b, err := json.Marshal(p) // sorted keys
					if err != nil {
						return nil, err
					}
					lines = append(lines, k+" "+string(b))
				}
				if err := res.Err(); err != nil {
					return nil, err
				}
			}
			return nil, nil
		})
		return err
	})
	if err != nil {
		return "", fmt.Errorf("fingerprinting the graph: %w", err)
	}
	slices.Sort(lines)
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Empty reports whether the database holds no node of the collaboration
// graph.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	sess := s.session(ctx, neo4j.AccessModeRead)
	defer func() { _ = sess.Close(context.WithoutCancel(ctx)) }() // the session's transactions have committed or failed before Close
	labels := ""
	for i, l := range graph.NodeLabels {
		if i > 0 {
			labels += "|"
		}
		labels += l
	}
	n, err := neo4j.ExecuteRead(ctx, sess, func(tx neo4j.ManagedTransaction) (int64, error) {
		res, err := tx.Run(ctx, fmt.Sprintf("RETURN EXISTS { MATCH (n:%s) } AS any", labels), nil)
		if err != nil {
			return 0, err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return 0, err
		}
		if any, _ := rec.Values[0].(bool); any {
			return 1, nil
		}
		return 0, nil
	})
	if err != nil {
		return false, fmt.Errorf("counting the stored graph: %w", err)
	}
	return n == 0, nil
}
