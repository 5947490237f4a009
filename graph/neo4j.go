package graph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	"github.com/collabnet/collabnet/internal/opencc"
)

// Neo4jConfig says where and how to reach Neo4j. The password is never
// printed or logged.
type Neo4jConfig struct {
	URI            string // bolt://, bolt+s://, neo4j://, neo4j+s:// (routing: clusters, Aura)
	User           string
	Password       string
	Database       string // "" is the server's default database
	BatchSize      int    // agreements per write transaction; 0 means 500
	ConnectTimeout time.Duration
}

// Neo4jStore keeps the graph in Neo4j, the system of record.
type Neo4jStore struct {
	drv   neo4j.DriverWithContext
	db    string
	batch int
	// Progress, when set, is told how many elements of each phase are written.
	Progress func(phase string, done, total int)
}

// OpenNeo4j connects and checks the server answers and the credentials hold.
func OpenNeo4j(ctx context.Context, c Neo4jConfig) (*Neo4jStore, error) {
	if c.URI == "" {
		return nil, errors.New("no Neo4j URI configured (neo4j.uri, COLLABNET_NEO4J_URI)")
	}
	if c.ConnectTimeout <= 0 {
		c.ConnectTimeout = 15 * time.Second
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 500
	}
	drv, err := neo4j.NewDriverWithContext(c.URI, neo4j.BasicAuth(c.User, c.Password, ""), func(cf *config.Config) {
		cf.SocketConnectTimeout = c.ConnectTimeout
		cf.ConnectionAcquisitionTimeout = c.ConnectTimeout
	})
	if err != nil {
		return nil, fmt.Errorf("Neo4j URI %q: %w", c.URI, err)
	}
	vctx, cancel := context.WithTimeout(ctx, c.ConnectTimeout)
	defer cancel()
	if err := drv.VerifyAuthentication(vctx, nil); err != nil {
		drv.Close(ctx)
		return nil, explainConnectError(c, err)
	}
	return &Neo4jStore{drv: drv, db: c.Database, batch: c.BatchSize}, nil
}

func explainConnectError(c Neo4jConfig, err error) error {
	var ne *neo4j.Neo4jError
	if errors.As(err, &ne) && strings.Contains(ne.Code, "Security") {
		return fmt.Errorf("Neo4j at %s refused user %q: wrong user or password (%s)", c.URI, c.User, ne.Code)
	}
	return fmt.Errorf("Neo4j at %s is unreachable (is it running? scripts/neo4j-test-server start, or docker compose up): %w", c.URI, err)
}

func (s *Neo4jStore) Close(ctx context.Context) error { return s.drv.Close(ctx) }

// nodeKey is the property that identifies a node of a label.
func nodeKey(label string) string {
	if label == LabelCountry {
		return "code"
	}
	return "id"
}

// SearchNamesProp is the property the full-text index reads besides name and
// name_en: every other spelling of the name.
const SearchNamesProp = "search_names"

// FulltextIndex is the name of the full-text index over names.
const FulltextIndex = "names"

// schema is the constraints and indexes collabnet relies on. Community
// edition has property uniqueness only, which is what MERGE needs.
func schema() []string {
	var out []string
	for _, l := range []string{LabelOrganization, LabelCountry, LabelEvent, LabelProgramme, LabelAgreement, LabelSource, LabelReportedFigure} {
		out = append(out, fmt.Sprintf("CREATE CONSTRAINT %s_key IF NOT EXISTS FOR (n:%s) REQUIRE n.%s IS UNIQUE",
			strings.ToLower(l), l, nodeKey(l)))
	}
	for _, ix := range [][2]string{{LabelOrganization, "country"}, {LabelOrganization, "kind"}, {LabelAgreement, "type"}, {LabelAgreement, "date"}} {
		out = append(out, fmt.Sprintf("CREATE INDEX %s_%s IF NOT EXISTS FOR (n:%s) ON (n.%s)", strings.ToLower(ix[0]), ix[1], ix[0], ix[1]))
	}
	// The CJK analyzer indexes Chinese by character bigrams, and Latin
	// scripts by words; search_names holds the other scripts' spellings.
	out = append(out, fmt.Sprintf("CREATE FULLTEXT INDEX %s IF NOT EXISTS FOR (n:%s|%s|%s|%s) ON EACH [n.name, n.name_en, n.%s] "+
		"OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}",
		FulltextIndex, LabelOrganization, LabelCountry, LabelEvent, LabelProgramme, SearchNamesProp))
	return out
}

// ApplySchema creates the constraints and indexes; it is idempotent.
func (s *Neo4jStore) ApplySchema(ctx context.Context) error {
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	for _, q := range schema() {
		if _, err := sess.Run(ctx, q, nil); err != nil {
			return fmt.Errorf("applying schema %q: %w", q, err)
		}
	}
	// Wait for the indexes, so that a load right after uses them.
	if _, err := sess.Run(ctx, "CALL db.awaitIndexes(300)", nil); err != nil {
		return fmt.Errorf("waiting for indexes: %w", err)
	}
	return nil
}

func (s *Neo4jStore) session(ctx context.Context, mode neo4j.AccessMode) neo4j.SessionWithContext {
	return s.drv.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: mode})
}

// Write merges ds into Neo4j. It applies the schema, then writes in batched
// managed transactions (the driver retries transient errors):
//  1. every node but agreements, and the relationships among them;
//  2. agreements in batches, each agreement together with its PARTY_TO,
//     SIGNED_AT, UNDER, COUNTED_IN and SOURCED_FROM relationships and the
//     PARTNER_OF ties of its parties, in one transaction.
//
// Everything is MERGEd on keys, so writing twice changes nothing, and a
// load that stops midway leaves no half-written agreement: a rerun
// completes it.
func (s *Neo4jStore) Write(ctx context.Context, ds *Dataset, dryRun bool) (MergeStats, error) {
	if dryRun {
		// Comparing needs the stored graph; a real write does not read it.
		// A dry run writes nothing, the schema included.
		old, err := s.Read(ctx)
		if err != nil {
			return nil, err
		}
		return old.Merge(ds, true), nil
	}
	if err := s.ApplySchema(ctx); err != nil {
		return nil, err
	}
	v := NewView(ds)
	var nodes, agreementNodes []PropNode
	v.Nodes(func(n PropNode) bool {
		if n.Labels[0] == LabelAgreement {
			agreementNodes = append(agreementNodes, n)
		} else {
			nodes = append(nodes, n)
		}
		return true
	})
	byAgreement := map[string][]PropEdge{}
	var edges []PropEdge
	v.Edges(func(e PropEdge) bool {
		switch {
		case e.Type == RelPartnerOf:
			// The view yields these last; the store derives them with each
			// agreement batch (mergePartners), so stop before the view
			// computes them.
			return false
		case strings.HasPrefix(e.To, LabelAgreement+":"):
			byAgreement[e.To] = append(byAgreement[e.To], e)
		case strings.HasPrefix(e.From, LabelAgreement+":"):
			byAgreement[e.From] = append(byAgreement[e.From], e)
		default:
			edges = append(edges, e)
		}
		return true
	})
	if err := s.writeNodes(ctx, "nodes", nodes, ds); err != nil {
		return nil, err
	}
	if err := s.writeBatches(ctx, "relationships", len(edges), func(tx neo4j.ManagedTransaction, lo, hi int) error {
		return writeEdges(ctx, tx, edges[lo:hi])
	}); err != nil {
		return nil, err
	}
	if err := s.writeBatches(ctx, phaseAgreements, len(agreementNodes), func(tx neo4j.ManagedTransaction, lo, hi int) error {
		batch := agreementNodes[lo:hi]
		var es []PropEdge
		var ids []string
		rows := make([]map[string]any, 0, len(batch))
		for _, n := range batch {
			var parties []map[string]any
			for _, e := range byAgreement[n.ID] {
				if e.Type == RelPartyTo {
					_, org, _ := strings.Cut(e.From, ":")
					parties = append(parties, map[string]any{"org": org, "props": propMap(e.Props)})
				} else {
					es = append(es, e)
				}
			}
			id := str(n.Props, "id")
			ids = append(ids, id)
			rows = append(rows, map[string]any{"key": id, "props": propMap(n.Props), "parties": parties})
		}
		if err := mergeAgreements(ctx, tx, rows); err != nil {
			return err
		}
		if err := writeEdges(ctx, tx, es); err != nil {
			return err
		}
		return mergePartners(ctx, tx, ids)
	}); err != nil {
		return nil, err
	}
	return writtenStats(ds), nil
}

// writtenStats reports a write without comparing: every element is counted
// as written (new or updated), the way MERGE does not tell them apart.
func writtenStats(ds *Dataset) MergeStats {
	c := ds.Counts()
	return MergeStats{
		LabelOrganization: {New: c.Organizations}, LabelCountry: {New: c.Countries}, LabelEvent: {New: c.Events},
		LabelProgramme: {New: c.Programmes}, LabelAgreement: {New: c.Agreements}, LabelSource: {New: c.Sources},
		LabelReportedFigure: {New: c.Figures}, "Relation": {New: c.Relations},
	}
}

const phaseAgreements = "agreements"

// writeBatches runs write(lo, hi) over [0, total) in batches, one managed
// write transaction each.
func (s *Neo4jStore) writeBatches(ctx context.Context, phase string, total int, write func(tx neo4j.ManagedTransaction, lo, hi int) error) error {
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	batch := s.batch
	if phase != phaseAgreements {
		// Nodes and their plain relationships are cheap rows: fewer, larger
		// transactions save commits. Agreements carry their parties' ties.
		batch *= 10
	}
	for lo := 0; lo < total; lo += batch {
		hi := min(lo+batch, total)
		if _, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			return nil, write(tx, lo, hi)
		}); err != nil {
			return fmt.Errorf("writing %s %d-%d of %d: %w", phase, lo+1, hi, total, err)
		}
		if s.Progress != nil {
			s.Progress(phase, hi, total)
		}
	}
	return nil
}

func (s *Neo4jStore) writeNodes(ctx context.Context, phase string, nodes []PropNode, ds *Dataset) error {
	return s.writeBatches(ctx, phase, len(nodes), func(tx neo4j.ManagedTransaction, lo, hi int) error {
		return mergeNodes(ctx, tx, nodes[lo:hi], ds)
	})
}

// mergeNodes MERGEs nodes grouped by their label set: labels come from our
// constants, values are always parameters.
func mergeNodes(ctx context.Context, tx neo4j.ManagedTransaction, nodes []PropNode, ds *Dataset) error {
	groups := map[string][]map[string]any{}
	var order []string
	for _, n := range nodes {
		k := strings.Join(n.Labels, ":")
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		props := propMap(n.Props)
		if n.Labels[0] == LabelOrganization {
			props[SearchNamesProp] = searchNames(ds.Organizations[str(n.Props, "id")])
		}
		groups[k] = append(groups[k], map[string]any{"key": Get(n.Props, nodeKey(n.Labels[0])), "props": props})
	}
	for _, k := range order {
		labels := strings.Split(k, ":")
		q := fmt.Sprintf("UNWIND $rows AS r MERGE (n:%s {%s: r.key}) SET n += r.props", labels[0], nodeKey(labels[0]))
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
// so that Browser users find it whichever script they type.
func searchNames(o *Organization) string {
	if o == nil {
		return ""
	}
	var names []string
	for _, n := range append([]string{o.Name}, o.Aliases...) {
		names = append(names, n)
		if t := opencc.ToTraditional(n); t != n {
			names = append(names, t)
		}
	}
	return strings.Join(names[1:], " | ")
}

// writeEdges MERGEs relationships grouped by type and end labels.
func writeEdges(ctx context.Context, tx neo4j.ManagedTransaction, edges []PropEdge) error {
	type group struct{ typ, fl, tl string }
	groups := map[group][]map[string]any{}
	var order []group
	for _, e := range edges {
		fl, from, _ := strings.Cut(e.From, ":")
		tl, to, _ := strings.Cut(e.To, ":")
		g := group{e.Type, fl, tl}
		if _, ok := groups[g]; !ok {
			order = append(order, g)
		}
		groups[g] = append(groups[g], map[string]any{"from": from, "to": to, "props": propMap(e.Props)})
	}
	for _, g := range order {
		q := fmt.Sprintf("UNWIND $rows AS r MATCH (a:%s {%s: r.from}) MATCH (b:%s {%s: r.to}) MERGE (a)-[x:%s]->(b) SET x += r.props",
			g.fl, nodeKey(g.fl), g.tl, nodeKey(g.tl), g.typ)
		res, err := tx.Run(ctx, q, map[string]any{"rows": groups[g]})
		if err != nil {
			return fmt.Errorf("merging %s relationships: %w", g.typ, err)
		}
		if _, err := res.Consume(ctx); err != nil {
			return fmt.Errorf("merging %s relationships: %w", g.typ, err)
		}
	}
	return nil
}

// mergeAgreements MERGEs agreements with their PARTY_TO relationships in
// one statement: one lookup of each agreement rather than one per party.
func mergeAgreements(ctx context.Context, tx neo4j.ManagedTransaction, rows []map[string]any) error {
	q := fmt.Sprintf(`UNWIND $rows AS r
MERGE (a:%[1]s {id: r.key}) SET a += r.props
WITH a, r
UNWIND r.parties AS p
MATCH (o:%[2]s {id: p.org})
MERGE (o)-[x:%[3]s]->(a) SET x += p.props`, LabelAgreement, LabelOrganization, RelPartyTo)
	if _, err := tx.Run(ctx, q, map[string]any{"rows": rows}); err != nil {
		return fmt.Errorf("merging agreements: %w", err)
	}
	return nil
}

// mergePartners links the co-parties of the given agreements directly
// (From < To), traversing from each agreement to its parties: one index
// lookup per agreement, none per pair. Each tie keeps the IDs of the
// agreements behind it in "via" (a set: merging an agreement again adds
// nothing) and their number in "agreements". Parties come from the PARTY_TO
// relationships in the database, so ties stay right when inputs are loaded
// one after another.
func mergePartners(ctx context.Context, tx neo4j.ManagedTransaction, agreementIDs []string) error {
	q := fmt.Sprintf(`UNWIND $ids AS id
MATCH (ag:%[1]s {id: id})
MATCH (x:%[2]s)-[:%[3]s]->(ag)<-[:%[3]s]-(y:%[2]s) WHERE x.id < y.id
MERGE (x)-[r:%[4]s]->(y)
WITH r, ag.id AS aid, coalesce(r.via, []) AS via
SET r.via = CASE WHEN aid IN via THEN via ELSE via + aid END
SET r.agreements = size(r.via)`, LabelAgreement, LabelOrganization, RelPartyTo, RelPartnerOf)
	if _, err := tx.Run(ctx, q, map[string]any{"ids": agreementIDs}); err != nil {
		return fmt.Errorf("merging %s: %w", RelPartnerOf, err)
	}
	return nil
}

func propMap(ps []Prop) map[string]any {
	m := make(map[string]any, len(ps))
	for _, p := range ps {
		if p.Value != nil {
			m[p.Key] = p.Value
		}
	}
	return m
}

// readProps are the node properties that are ours; others (analytics scores
// written by analyze --write, search_names) are left out of the dataset.
func readProps(m map[string]any) []Prop {
	keys := make([]string, 0, len(m))
	for k := range m {
		if k != SearchNamesProp {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := make([]Prop, 0, len(keys))
	for _, k := range keys {
		out = append(out, Prop{k, m[k]})
	}
	return out
}

// Read returns the whole collaboration graph stored in Neo4j.
func (s *Neo4jStore) Read(ctx context.Context) (*Dataset, error) {
	sess := s.session(ctx, neo4j.AccessModeRead)
	defer sess.Close(ctx)
	pg := &memGraph{}
	_, err := sess.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		pg.nodes, pg.edges = nil, nil
		labels := []string{LabelOrganization, LabelCountry, LabelEvent, LabelProgramme, LabelAgreement, LabelSource, LabelReportedFigure}
		for _, l := range labels {
			res, err := tx.Run(ctx, fmt.Sprintf("MATCH (n:%s) RETURN n.%s AS key, labels(n) AS labels, properties(n) AS props", l, nodeKey(l)), nil)
			if err != nil {
				return nil, err
			}
			for res.Next(ctx) {
				r := res.Record()
				key, _ := r.Values[0].(string)
				var ls []string
				for _, x := range r.Values[1].([]any) {
					ls = append(ls, x.(string))
				}
				// The primary label first, as in the view.
				slices.SortFunc(ls, func(a, b string) int {
					if a == l {
						return -1
					}
					if b == l {
						return 1
					}
					return strings.Compare(a, b)
				})
				pg.nodes = append(pg.nodes, PropNode{NodeID(l, key), ls, readProps(r.Values[2].(map[string]any))})
			}
			if err := res.Err(); err != nil {
				return nil, err
			}
		}
		res, err := tx.Run(ctx, `MATCH (a)-[x]->(b) WHERE a.id IS NOT NULL OR a.code IS NOT NULL
RETURN labels(a) AS la, coalesce(a.id, a.code) AS ka, type(x) AS t, labels(b) AS lb, coalesce(b.id, b.code) AS kb, properties(x) AS props`, nil)
		if err != nil {
			return nil, err
		}
		for res.Next(ctx) {
			r := res.Record()
			la, lb := primaryLabel(r.Values[0]), primaryLabel(r.Values[3])
			if la == "" || lb == "" {
				continue // not one of ours
			}
			pg.edges = append(pg.edges, PropEdge{From: NodeID(la, r.Values[1].(string)), To: NodeID(lb, r.Values[4].(string)),
				Type: r.Values[2].(string), Props: readProps(r.Values[5].(map[string]any))})
		}
		return nil, res.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("reading the graph from Neo4j: %w", err)
	}
	return FromView(pg)
}

func primaryLabel(v any) string {
	ls, _ := v.([]any)
	for _, want := range []string{LabelOrganization, LabelCountry, LabelEvent, LabelProgramme, LabelAgreement, LabelSource, LabelReportedFigure} {
		for _, l := range ls {
			if l == want {
				return want
			}
		}
	}
	return ""
}

// memGraph is a PropGraph held in slices.
type memGraph struct {
	nodes []PropNode
	edges []PropEdge
}

func (g *memGraph) Nodes(yield func(PropNode) bool) {
	for _, n := range g.nodes {
		if !yield(n) {
			return
		}
	}
}

func (g *memGraph) Edges(yield func(PropEdge) bool) {
	for _, e := range g.edges {
		if !yield(e) {
			return
		}
	}
}
