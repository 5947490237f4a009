package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"golang.org/x/sync/errgroup"

	"github.com/collabnet/collabnet/graph"
	cleanname "github.com/collabnet/collabnet/internal/names"
	"github.com/collabnet/collabnet/internal/opencc"
)

// WriteOptions are the options of one Write.
type WriteOptions struct {
	// DryRun writes nothing (not even the schema) and says what would
	// change.
	DryRun bool
	// Progress, when set, is told how many elements of each phase are
	// written ("nodes", "relationships", "agreements", "partners").
	Progress func(phase string, done, total int)
	// Waiting, when set, is told who holds the load lock while the load
	// waits for it: another load writing to the same database.
	Waiting func(holder string)
	// Replace makes the stored graph exactly ds: what the load does not
	// write is removed (after the write, in the same load generation, so
	// readers never see it half-replaced). Without it, ds is merged into
	// the stored graph.
	Replace bool
	// Sources, when not nil, become the recorded sources of the graph
	// (Store.Sources).
	Sources []Source
	// Base, when set, is the load generation (State.Generation) the load
	// was planned on: the recorded sources it read. A load that finds
	// another generation once it holds the load lock (another load
	// finished while it read its inputs or waited) writes nothing and
	// returns ErrPlanStale, to be planned again; else it would record its
	// sources over the other load's and remove what that one added.
	Base *int64
}

// ErrPlanStale is Write's error when another load ran since the write was
// planned (WriteOptions.Base).
var ErrPlanStale = errors.New("another load changed the graph since this load read the recorded sources")

// Write merges ds into Neo4j. It applies the schema, takes the load lock
// (one load at a time per database; see lock.go), then writes in
// batches:
//  1. every node but agreements, and the relationships among them;
//  2. agreements, each together with its PARTY_TO, SIGNED_AT, UNDER,
//     COUNTED_IN and SOURCED_FROM relationships in one transaction;
//  3. the PARTNER_OF ties of every organisation party to those agreements,
//     counted from the PARTY_TO relationships in the database, in batches
//     the server commits itself (CALL IN TRANSACTIONS, retried here).
//
// Steps 1 and 2 are managed transactions (the driver retries transient
// errors). The nodes, the agreements and the ties go s.writers batches at a
// time: a write transaction takes one core of the server, and on the H2020
// file their conflicts were rare (a few tie batches retried a load). The
// relationships of step 1 share end nodes (countries) in nearly every
// batch; two writers of those deadlocked, so they go one at a time.
//
// Everything is MERGEd on keys and the ties are recounted, not
// incremented, so writing twice changes nothing, and a load that stops
// midway leaves no half-written agreement: a rerun completes it and counts
// the ties again.
func (s *Store) Write(ctx context.Context, ds *graph.Dataset, opt WriteOptions) (graph.MergeStats, error) {
	if opt.DryRun {
		// Comparing needs the stored graph; a real write does not read it.
		// A dry run writes nothing, the schema included.
		old, err := s.Read(ctx)
		if err != nil {
			return nil, err
		}
		if opt.Replace {
			return graph.Diff(old, ds), nil
		}
		return old.Merge(ds, true), nil
	}
	p := planWrite(ds)
	if err := s.ApplySchema(ctx); err != nil {
		return nil, err
	}
	lctx, lock, err := s.lockLoad(ctx, opt.Waiting)
	if err != nil {
		return nil, err
	}
	if opt.Base != nil {
		st, err := s.State(lctx)
		if err == nil && st.Generation != *opt.Base {
			err = fmt.Errorf("%w (load %d, planned on load %d)", ErrPlanStale, st.Generation, *opt.Base)
		}
		if err != nil {
			return nil, errors.Join(err, lock.unlock(ctx))
		}
	}
	gen, err := s.beginLoad(lctx, lock.params["holder"].(string), opt.Sources)
	if err == nil {
		err = s.write(lctx, ds, p, stamp{gen, opt.Replace}, opt.Progress)
	}
	if err == nil && opt.Replace {
		err = s.removeStale(lctx, gen, true)
	}
	if err == nil {
		err = s.finishLoad(lctx, gen)
	}
	if err != nil && errors.Is(context.Cause(lctx), ErrLoadLockLost) {
		err = fmt.Errorf("%w (%w)", ErrLoadLockLost, err)
	}
	if uerr := lock.unlock(ctx); err == nil {
		err = uerr
	}
	if err != nil {
		return nil, err
	}
	return writtenStats(ds), nil
}

// write writes ds by plan p, holding the load lock.
func (s *Store) write(ctx context.Context, ds *graph.Dataset, p *writePlan, st stamp, progress func(string, int, int)) error {
	if err := s.writeBatches(ctx, progress, phaseNodes, len(p.nodes), s.batch*10, s.writers, func(ctx context.Context, tx neo4j.ManagedTransaction, lo, hi int) error {
		return mergeNodes(ctx, tx, p.nodes[lo:hi], ds, st)
	}); err != nil {
		return err
	}
	rest := <-p.rest
	// One writer: these relationships share end nodes (countries); two
	// writers deadlocked here, and the driver waits a second to retry.
	if err := s.writeBatches(ctx, progress, phaseRelationships, len(rest.edges), s.batch*10, 1, func(ctx context.Context, tx neo4j.ManagedTransaction, lo, hi int) error {
		return writeEdges(ctx, tx, rest.edges[lo:hi], st)
	}); err != nil {
		return err
	}
	widened, err := s.writeAgreements(ctx, progress, rest.agreements, st)
	if err != nil {
		return err
	}
	if st.replace {
		// The parties removed from agreements go before the ties are
		// counted; ds names every party there is.
		if err := s.removeStale(ctx, st.gen, false); err != nil {
			return err
		}
		widened = nil
	}
	orgs, err := s.partiesOf(ctx, ds, widened)
	if err != nil {
		return err
	}
	return s.countPartners(ctx, progress, orgs, st.gen)
}

// stamp is what every write of a load sets: its generation, and whether
// properties are replaced (=) rather than merged (+=).
type stamp struct {
	gen     int64
	replace bool
}

// set is the Cypher operator that writes properties.
func (st stamp) set() string {
	if st.replace {
		return "="
	}
	return "+="
}

// The phases of a write, as WriteOptions.Progress names them.
const (
	phaseNodes         = "nodes"
	phaseRelationships = "relationships"
	phaseAgreements    = "agreements"
	phasePartners      = "partners"
)

// writePlan is a dataset cut into what each phase writes.
type writePlan struct {
	nodes []graph.PropNode // all but agreements
	// rest is made while the nodes are written: the server, not this side,
	// sets the pace.
	rest <-chan writeRest
}

type writeRest struct {
	edges      []graph.PropEdge // among the nodes
	agreements []map[string]any // rows of mergeAgreementsQuery
}

func planWrite(ds *graph.Dataset) *writePlan {
	v := graph.NewView(ds)
	rest := make(chan writeRest, 1)
	go func() { rest <- restOf(v) }()
	p := &writePlan{rest: rest}
	v.Nodes(func(n graph.PropNode) bool {
		if n.Labels[0] != graph.LabelAgreement {
			p.nodes = append(p.nodes, n)
		}
		return true
	})
	return p
}

// restOf makes, in one pass over the edges, the relationships among nodes
// other than agreements, and a row per agreement: its key and properties,
// its parties with their PARTY_TO properties, and its agreementLinks.
func restOf(v *graph.View) writeRest {
	type parts struct {
		parties []map[string]any
		links   map[string]any
	}
	byAgreement := map[string]*parts{}
	get := func(id string) *parts {
		p := byAgreement[id]
		if p == nil {
			p = &parts{links: map[string]any{}}
			byAgreement[id] = p
		}
		return p
	}
	var r writeRest
	v.EdgesExceptPartners(func(e graph.PropEdge) bool {
		from, to := e.FromNode, e.ToNode
		switch {
		case e.Type == graph.RelPartyTo:
			p := get(to.Key)
			p.parties = append(p.parties, map[string]any{"org": from.Key, "props": propMap(e.Props)})
		case agreementLinks[e.Type] == to.Label && from.Label == graph.LabelAgreement:
			p := get(from.Key)
			l, _ := p.links[e.Type].([]map[string]any)
			p.links[e.Type] = append(l, map[string]any{"to": to.Key, "props": propMap(e.Props)})
		case from.Label != graph.LabelAgreement && to.Label != graph.LabelAgreement:
			r.edges = append(r.edges, e)
		}
		return true
	})
	v.Nodes(func(n graph.PropNode) bool {
		if n.Labels[0] == graph.LabelAgreement {
			key := str(n.Props, "id")
			p := get(key)
			props := propMap(n.Props)
			setBrowserCaptions(props)
			r.agreements = append(r.agreements, map[string]any{"key": key, "props": props, "parties": p.parties, "links": p.links})
		}
		return true
	})
	return r
}

// writtenStats reports a write without comparing: every element is counted
// as written (new or updated), the way MERGE does not tell them apart.
func writtenStats(ds *graph.Dataset) graph.MergeStats {
	c := ds.Counts()
	return graph.MergeStats{
		graph.LabelOrganization: {New: c.Organizations}, graph.LabelCountry: {New: c.Countries}, graph.LabelEvent: {New: c.Events},
		graph.LabelProgramme: {New: c.Programmes}, graph.LabelAgreement: {New: c.Agreements}, graph.LabelSource: {New: c.Sources},
		graph.LabelReportedFigure: {New: c.Figures}, "Relation": {New: c.Relations},
	}
}

// writeBatches runs write(lo, hi) over [0, total) in batches of size, one
// managed write transaction each (the driver retries transient errors),
// writers transactions at a time.
//
// The batches of a phase never write the same element, so their order does
// not matter. They may lock the same organisations (parties to agreements
// in two batches); a deadlock is a transient error that the managed
// transaction retries.
func (s *Store) writeBatches(ctx context.Context, progress func(string, int, int), phase string, total, size, writers int, write func(ctx context.Context, tx neo4j.ManagedTransaction, lo, hi int) error) error {
	return s.inBatches(ctx, progress, phase, total, size, writers, func(ctx context.Context, sess neo4j.SessionWithContext, lo, hi int) error {
		_, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			return nil, write(ctx, tx, lo, hi)
		})
		return err
	})
}

// inBatches runs run(lo, hi) over [0, total) in batches of size, writers
// sessions at a time, and reports progress after each batch. The first
// error, or a cancelled ctx, stops them all with an error naming the
// batch; open transactions roll back.
func (s *Store) inBatches(ctx context.Context, progress func(string, int, int), phase string, total, size, writers int, run func(ctx context.Context, sess neo4j.SessionWithContext, lo, hi int) error) error {
	g, ctx := errgroup.WithContext(ctx)
	var mu sync.Mutex
	next, done := 0, 0
	// take hands out the start of the next batch, false when none is left.
	take := func() (int, bool) {
		mu.Lock()
		defer mu.Unlock()
		lo := next
		next += size
		return lo, lo < total
	}
	for range max(writers, 1) {
		g.Go(func() (err error) {
			sess := s.session(ctx, neo4j.AccessModeWrite)
			// Closed without ctx's cancellation, which a failed batch causes.
			defer func() { err = errors.Join(err, sess.Close(context.WithoutCancel(ctx))) }()
			for lo, ok := take(); ok; lo, ok = take() {
				hi := min(lo+size, total)
				// A cancelled load stops with an error, never as if complete.
				err := ctx.Err()
				if err == nil {
					err = run(ctx, sess, lo, hi)
				}
				if err != nil {
					return fmt.Errorf("writing %s %d-%d of %d: %w", phase, lo+1, hi, total, err)
				}
				if progress != nil {
					mu.Lock()
					done += hi - lo
					progress(phase, done, total)
					mu.Unlock()
				}
			}
			return nil
		})
	}
	return g.Wait()
}

// mergeNodes MERGEs nodes grouped by their label set: labels come from our
// constants, values are always parameters.
func mergeNodes(ctx context.Context, tx neo4j.ManagedTransaction, nodes []graph.PropNode, ds *graph.Dataset, st stamp) error {
	groups := map[string][]map[string]any{}
	var order []string
	for _, n := range nodes {
		k := strings.Join(n.Labels, ":")
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		props := propMap(n.Props)
		props[graph.GenerationProp] = st.gen
		setBrowserCaptions(props)
		if n.Labels[0] == graph.LabelOrganization {
			// nil removes a stale value rather than storing an empty one.
			var sn any
			if v := searchNames(ds.Organizations[str(n.Props, "id")]); v != "" {
				sn = v
			}
			props[SearchNamesProp] = sn
		}
		groups[k] = append(groups[k], map[string]any{"key": graph.Get(n.Props, graph.KeyProp(n.Labels[0])), "props": props})
	}
	for _, k := range order {
		labels := strings.Split(k, ":")
		q := fmt.Sprintf("UNWIND $rows AS r MERGE (n:%s {%s: r.key}) SET n += r.props", labels[0], graph.KeyProp(labels[0]))
		if st.replace {
			// Properties the input no longer has go; analytics scores
			// (analyze --write) stay.
			q = fmt.Sprintf("UNWIND $rows AS r MERGE (n:%s {%s: r.key}) WITH n, r, n{%s} AS scores SET n = r.props SET n += scores",
				labels[0], graph.KeyProp(labels[0]), scoreProjection())
		}
		if labels[0] == graph.LabelOrganization {
			// A kind changed since the last load leaves no label of the old.
			for _, k := range graph.OrgKinds {
				if l := k.Label(); l != "" {
					q += " REMOVE n:" + l
				}
			}
		}
		for _, extra := range labels[1:] {
			q += " SET n:" + extra
		}
		if _, err := tx.Run(ctx, q, map[string]any{"rows": groups[k]}); err != nil {
			return fmt.Errorf("merging %s nodes: %w", labels[0], err)
		}
	}
	return nil
}

// searchNames joins the spellings of an organisation's name for the
// full-text index: its aliases, and every name in traditional script too,
// so that Browser users find it whichever script they type. Each is
// normalised as the loader stores names (names.Clean), so that invisible
// characters never keep a name from being found.
func searchNames(o *graph.Organization) string {
	if o == nil {
		return ""
	}
	var names []string
	for _, n := range append([]string{o.Name}, o.Aliases...) {
		n = cleanname.Clean(n)
		names = append(names, n)
		if t := opencc.ToTraditional(n); t != n {
			names = append(names, t)
		}
	}
	return strings.Join(names[1:], " | ")
}

// writeEdges MERGEs relationships grouped by type and end labels.
func writeEdges(ctx context.Context, tx neo4j.ManagedTransaction, edges []graph.PropEdge, st stamp) error {
	type group struct{ typ, fl, tl string }
	groups := map[group][]map[string]any{}
	var order []group
	for _, e := range edges {
		g := group{e.Type, e.FromNode.Label, e.ToNode.Label}
		if _, ok := groups[g]; !ok {
			order = append(order, g)
		}
		groups[g] = append(groups[g], map[string]any{"from": e.FromNode.Key, "to": e.ToNode.Key, "props": propMap(e.Props)})
	}
	for _, g := range order {
		q := fmt.Sprintf("UNWIND $rows AS r MATCH (a:%s {%s: r.from}) MATCH (b:%s {%s: r.to}) MERGE (a)-[x:%s]->(b) SET x %s r.props SET x.%s = $gen",
			g.fl, graph.KeyProp(g.fl), g.tl, graph.KeyProp(g.tl), g.typ, st.set(), graph.GenerationProp)
		res, err := tx.Run(ctx, q, map[string]any{"rows": groups[g], "gen": st.gen})
		if err != nil {
			return fmt.Errorf("merging %s relationships: %w", g.typ, err)
		}
		if _, err := res.Consume(ctx); err != nil {
			return fmt.Errorf("merging %s relationships: %w", g.typ, err)
		}
	}
	return nil
}

// agreementLinks are the relationships from an agreement that are written
// with it, and the label each one ends at.
var agreementLinks = map[string]string{
	graph.RelSignedAt: graph.LabelEvent, graph.RelUnder: graph.LabelProgramme, graph.RelCountedIn: graph.LabelReportedFigure, graph.RelSourcedFrom: graph.LabelSource,
}

// writeAgreements writes the agreements in batches, each agreement with its
// relationships in one transaction. It returns the agreements that have more
// parties in the database than ds names (an earlier input named others).
func (s *Store) writeAgreements(ctx context.Context, progress func(string, int, int), all []map[string]any, st stamp) (map[string]bool, error) {
	widened := map[string]bool{}
	var mu sync.Mutex
	err := s.writeBatches(ctx, progress, phaseAgreements, len(all), s.batch, s.writers, func(ctx context.Context, tx neo4j.ManagedTransaction, lo, hi int) error {
		rows := all[lo:hi]
		res, err := tx.Run(ctx, mergeAgreementsQuery(rows, st.set()), map[string]any{"rows": rows, "gen": st.gen})
		if err != nil {
			return fmt.Errorf("merging agreements: %w", err)
		}
		var ids []string // of this attempt only: a retried batch runs again
		for res.Next(ctx) {
			id, _ := res.Record().Values[0].(string)
			ids = append(ids, id)
		}
		if err := res.Err(); err != nil {
			return fmt.Errorf("merging agreements: %w", err)
		}
		mu.Lock()
		for _, id := range ids {
			widened[id] = true
		}
		mu.Unlock()
		return nil
	})
	return widened, err
}

// mergeAgreementsQuery writes a batch of agreements in one statement: one
// lookup of each agreement rather than one per relationship, and a clause
// per agreementLinks type only when the batch has one.
//
// An agreement without parties in the database yet (a new one) gets them by
// CREATE, which skips MERGE's search among the organisation's agreements;
// SET takes the agreement's write lock before that is checked, so a
// concurrent load of the same agreement waits and then MERGEs. "parties"
// is the number of parties the database holds; the statement returns the
// agreements that have more than the row names.
func mergeAgreementsQuery(rows []map[string]any, set string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `UNWIND $rows AS r
MERGE (a:%[1]s {id: r.key})
SET a %[5]s r.props
SET a.%[4]s = $gen
WITH a, r, COUNT { (a)<-[:%[3]s]-() } = 0 AS bare
CALL {
  WITH a, r, bare
  WITH a, r WHERE bare
  UNWIND r.parties AS p
  MATCH (o:%[2]s {id: p.org})
  CREATE (o)-[x:%[3]s]->(a) SET x = p.props, x.%[4]s = $gen
}
CALL {
  WITH a, r, bare
  WITH a, r WHERE NOT bare
  UNWIND r.parties AS p
  MATCH (o:%[2]s {id: p.org})
  MERGE (o)-[x:%[3]s]->(a) SET x %[5]s p.props SET x.%[4]s = $gen
}
`, graph.LabelAgreement, graph.LabelOrganization, graph.RelPartyTo, graph.GenerationProp, set)
	present := map[string]bool{}
	for _, r := range rows {
		for t := range r["links"].(map[string]any) {
			present[t] = true
		}
	}
	for _, t := range slices.Sorted(maps.Keys(present)) {
		fmt.Fprintf(&b, `CALL {
  WITH a, r
  UNWIND r.links.%[1]s AS l
  MATCH (b:%[2]s {%[3]s: l.to})
  MERGE (a)-[x:%[1]s]->(b) SET x %[5]s l.props SET x.%[4]s = $gen
}
`, t, agreementLinks[t], graph.KeyProp(agreementLinks[t]), graph.GenerationProp, set)
	}
	fmt.Fprintf(&b, `WITH a, r, COUNT { (a)<-[:%[1]s]-() } AS n
SET a.parties = n
WITH r, n WHERE n > size(r.parties)
RETURN r.key AS id`, graph.RelPartyTo)
	return b.String()
}

// partiesOf returns, sorted, the organisations party to ds's agreements:
// the parties ds names, and for the widened agreements every party the
// database holds.
func (s *Store) partiesOf(ctx context.Context, ds *graph.Dataset, widened map[string]bool) ([]string, error) {
	set := map[string]bool{}
	for _, a := range ds.Agreements {
		for _, p := range a.Parties {
			set[p.Org] = true
		}
	}
	if len(widened) > 0 {
		ids := slices.Sorted(maps.Keys(widened))
		sess := s.session(ctx, neo4j.AccessModeRead)
		more, err := neo4j.ExecuteRead(ctx, sess, func(tx neo4j.ManagedTransaction) ([]string, error) {
			res, err := tx.Run(ctx, fmt.Sprintf(`UNWIND $ids AS id
MATCH (:%s {id: id})<-[:%s]-(o:%s) RETURN DISTINCT o.id AS id`, graph.LabelAgreement, graph.RelPartyTo, graph.LabelOrganization), map[string]any{"ids": ids})
			if err != nil {
				return nil, err
			}
			var out []string
			for res.Next(ctx) {
				id, _ := res.Record().Values[0].(string)
				out = append(out, id)
			}
			return out, res.Err()
		})
		if err = errors.Join(err, sess.Close(ctx)); err != nil {
			return nil, fmt.Errorf("reading the parties of %d agreements: %w", len(ids), err)
		}
		for _, id := range more {
			set[id] = true
		}
	}
	return slices.Sorted(maps.Keys(set)), nil
}

// countPartnersQuery sets the PARTNER_OF ties of the organisations $ids:
// for each organisation x and each y > x party to an agreement with it, one
// tie x->y whose "agreements" is the number of agreements they share,
// counted in the database. Recounting rather than incrementing keeps a rerun
// from counting twice, and the ties right when inputs are loaded one after
// another. It returns the organisations whose batch failed, with the error.
//
// An organisation without ties of its own yet gets them by CREATE, which
// skips MERGE's search among its growing ties. Two loads deciding that for
// the same organisation at once would both CREATE; the load lock
// (lockLoad) keeps them apart. No lock is taken on x before its ties are
// written: the ties of one writer's organisations end at the organisations
// of another's, and such a lock held early deadlocked two writers, where
// the locks CREATE and MERGE take do not (measured on the H2020 ties).
var countPartnersQuery = fmt.Sprintf(`UNWIND $ids AS id
CALL {
  WITH id
  MATCH (x:%[1]s {id: id})
  WITH x, EXISTS { (x)-[:%[3]s]->(:%[1]s) } AS had
  CALL {
    WITH x
    MATCH (x)-[:%[2]s]->(a:%[4]s)<-[:%[2]s]-(y:%[1]s) WHERE x.id < y.id
    RETURN y, count(DISTINCT a) AS n
  }
  CALL {
    WITH x, y, n, had
    WITH x, y, n WHERE had
    MERGE (x)-[r:%[3]s]->(y) SET r.agreements = n, r.%[5]s = $gen
  }
  CALL {
    WITH x, y, n, had
    WITH x, y, n WHERE NOT had
    CREATE (x)-[:%[3]s {agreements: n, %[5]s: $gen}]->(y)
  }
} IN TRANSACTIONS OF $batch ROWS ON ERROR CONTINUE REPORT STATUS AS s
WITH id, s WHERE NOT s.committed
RETURN id, s.errorMessage AS error`, graph.LabelOrganization, graph.RelPartyTo, graph.RelPartnerOf, graph.LabelAgreement, graph.GenerationProp)

// countPartners runs countPartnersQuery over the organisations, s.writers
// statements at a time, each statement a few batches the server commits
// itself (CALL IN TRANSACTIONS: faster here than a client transaction per
// batch; in one series of runs on one server, 8.0-8.5 s against 9.1-9.7 s
// for the H2020 ties with two writers).
//
// The two writers' transactions can deadlock on relationship locks, or
// read data the other changed. A batch that fails, for whatever reason,
// does not stop the statement (ON ERROR CONTINUE): the statement returns
// the organisations of the failed batches, and they are counted again, up
// to tiesAttempts times in all. Retrying only those keeps them on the
// CREATE path; rerunning the whole statement MERGEd the ties its committed
// batches had written, whose locks deadlocked again. Recounting makes any
// retry harmless.
func (s *Store) countPartners(ctx context.Context, progress func(string, int, int), orgs []string, gen int64) error {
	// Organisations whose batch still failed after tiesAttempts tries
	// beside the other writers: counted again once those are done, by one
	// writer alone. Retrying beside them was not enough: after a load
	// stopped in this step, loading H2020 again failed in 3 runs of 3, a
	// batch deadlocking 5 times in a row with the other writer's.
	var mu sync.Mutex
	var deferred []string
	err := s.inBatches(ctx, progress, phasePartners, len(orgs), s.batch*4, s.writers, func(ctx context.Context, sess neo4j.SessionWithContext, lo, hi int) error {
		if partnersFault != nil && partnersFault(orgs[lo:hi]) {
			mu.Lock()
			deferred = append(deferred, orgs[lo:hi]...)
			mu.Unlock()
			return nil
		}
		failed, _, err := s.retryCountPartners(ctx, sess, orgs[lo:hi], gen)
		if err != nil && (ctx.Err() != nil || !neo4j.IsRetryable(err)) {
			return err
		}
		if err != nil || len(failed) > 0 {
			if len(failed) == 0 {
				failed = orgs[lo:hi]
			}
			mu.Lock()
			deferred = append(deferred, failed...)
			mu.Unlock()
		}
		return nil
	})
	if err != nil || len(deferred) == 0 {
		return err
	}
	if partnersDeferred != nil {
		partnersDeferred(len(deferred))
	}
	slices.Sort(deferred)
	return s.inBatches(ctx, nil, phasePartners+" again, one writer alone,", len(deferred), s.batch*4, 1, func(ctx context.Context, sess neo4j.SessionWithContext, lo, hi int) error {
		failed, why, err := s.retryCountPartners(ctx, sess, deferred[lo:hi], gen)
		if err == nil && len(failed) > 0 {
			err = fmt.Errorf("the ties of %d organisations (%s first) failed %d times: %s", len(failed), failed[0], tiesAttempts, why)
		}
		return err
	})
}

// retryCountPartners counts the ties of ids, up to tiesAttempts times
// for the batches that fail. It returns the organisations still failing
// and why, or an error that stopped the statement.
func (s *Store) retryCountPartners(ctx context.Context, sess neo4j.SessionWithContext, ids []string, gen int64) ([]string, string, error) {
	for attempt, wait := 1, 100*time.Millisecond; ; attempt, wait = attempt+1, wait*2 {
		failed, why, err := runCountPartners(ctx, sess, ids, s.batch, gen)
		if err != nil && ctx.Err() != nil {
			return nil, "", ctx.Err() // the driver's error does not say why
		}
		switch {
		case err == nil && len(failed) == 0:
			return nil, "", nil
		case err != nil && (!neo4j.IsRetryable(err) || attempt == tiesAttempts):
			return nil, "", err
		case attempt == tiesAttempts:
			return failed, why, nil
		case err == nil:
			ids = failed
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, "", ctx.Err()
		}
	}
}

const tiesAttempts = 5

// partnersDeferred, when set (by tests), is told how many organisations
// countPartners counts again alone; partnersFault, when set, makes a
// concurrent batch fail as a deadlock would, for the first tries.
var (
	partnersDeferred func(n int)
	partnersFault    func(ids []string) bool
)

// runCountPartners runs countPartnersQuery once, and returns the
// organisations whose batch failed and the first failure's message.
func runCountPartners(ctx context.Context, sess neo4j.SessionWithContext, ids []string, batch int, gen int64) ([]string, string, error) {
	res, err := sess.Run(ctx, countPartnersQuery, map[string]any{"ids": ids, "batch": batch, "gen": gen})
	if err != nil {
		return nil, "", err
	}
	var failed []string
	var why string
	for res.Next(ctx) {
		id, _ := res.Record().Get("id")
		str, _ := id.(string)
		failed = append(failed, str)
		if why == "" {
			msg, _ := res.Record().Get("error")
			why, _ = msg.(string)
		}
	}
	return failed, why, res.Err()
}
