// Package neo4jstore keeps the collaboration graph in Neo4j, the system of
// record: one connection (Open) for the load, the read-back, the load
// lock, the analytics score write-back and running Cypher queries.
package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	"github.com/collabnet/collabnet/graph"
)

// Config says where and how to reach Neo4j. The password is never
// printed or logged.
type Config struct {
	URI            string // bolt://, bolt+s://, neo4j://, neo4j+s:// (routing: clusters, Aura)
	User           string
	Password       string
	Database       string // "" is the server's default database
	BatchSize      int    // agreements per write transaction; 0 means 500
	Writers        int    // write transactions at a time; 0 means 2
	ConnectTimeout time.Duration
	// QueryTimeout bounds each transaction Query runs (the driver's
	// transaction timeout: the server ends the transaction when it runs
	// longer); 0 leaves the server's own limit (db.transaction.timeout,
	// none by default).
	QueryTimeout time.Duration
}

// Store keeps the graph in Neo4j, the system of record.
type Store struct {
	drv     neo4j.DriverWithContext
	db      string
	batch   int
	writers int
	// queryTimeout is Config.QueryTimeout.
	queryTimeout time.Duration
}

// Open connects and checks the server answers and the credentials hold.
func Open(ctx context.Context, c Config) (*Store, error) {
	if c.URI == "" {
		return nil, errors.New("no Neo4j URI configured (neo4j.uri, COLLABNET_NEO4J_URI)")
	}
	if c.ConnectTimeout <= 0 {
		c.ConnectTimeout = 15 * time.Second
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 500
	}
	if c.Writers <= 0 {
		c.Writers = 2
	}
	// A URI without a host ("neo4j:pw@host:7687", its // missing) would
	// reach the driver whole, password and all, and fail as "unreachable".
	if u, err := url.Parse(c.URI); err == nil && u.Host == "" {
		return nil, fmt.Errorf("Neo4j URI %q has no host: want scheme://host:port, such as bolt://127.0.0.1:7687 or neo4j+s://xxxx.databases.neo4j.io", RedactURI(c.URI))
	}
	// Credentials in the URI (bolt://user:password@host) are taken out of
	// it; every message names the URI redacted.
	bare, user, password := splitURI(c.URI)
	if c.User == "" || user != "" {
		c.User = user
	}
	if password != "" {
		c.Password = password
	}
	c.URI = bare
	drv, err := neo4j.NewDriverWithContext(c.URI, neo4j.BasicAuth(c.User, c.Password, ""), func(cf *config.Config) {
		cf.SocketConnectTimeout = c.ConnectTimeout
		cf.ConnectionAcquisitionTimeout = c.ConnectTimeout
	})
	if err != nil {
		// The driver's message may quote the URI as given.
		return nil, fmt.Errorf("Neo4j URI %q: %s", RedactURI(c.URI), strings.ReplaceAll(err.Error(), c.URI, RedactURI(c.URI)))
	}
	vctx, cancel := context.WithTimeout(ctx, c.ConnectTimeout)
	defer cancel()
	if err := drv.VerifyAuthentication(vctx, nil); err != nil {
		return nil, errors.Join(explainConnectError(c, err), drv.Close(ctx))
	}
	return &Store{drv: drv, db: c.Database, batch: c.BatchSize, writers: c.Writers, queryTimeout: c.QueryTimeout}, nil
}

func explainConnectError(c Config, err error) error {
	var ne *neo4j.Neo4jError
	if errors.As(err, &ne) && ne.HasSecurityCode() {
		return fmt.Errorf("Neo4j at %s refused user %q: wrong user or password (%s)", RedactURI(c.URI), c.User, ne.Code)
	}
	if errors.As(err, &ne) {
		return fmt.Errorf("Neo4j at %s: %w", RedactURI(c.URI), err)
	}
	return fmt.Errorf("Neo4j at %s is unreachable (is it running? scripts/neo4j-test-server start, or docker compose up): %w", RedactURI(c.URI), err)
}

// Close closes the connection.
func (s *Store) Close(ctx context.Context) error { return s.drv.Close(ctx) }

// SearchNamesProp is the property the full-text index reads besides name and
// name_en: every other spelling of the name.
const SearchNamesProp = "search_names"

// FulltextIndex is the name of the full-text index over names.
const FulltextIndex = "names"

// schema is the constraints and indexes collabnet relies on. Community
// edition has property uniqueness only, which is what MERGE needs.
func schema() []string {
	var out []string
	for _, l := range append(slices.Clone(graph.NodeLabels), graph.LabelLoadLock, graph.LabelLoadState, graph.LabelLoadSource) {
		out = append(out, fmt.Sprintf("CREATE CONSTRAINT %s_key IF NOT EXISTS FOR (n:%s) REQUIRE n.%s IS UNIQUE",
			strings.ToLower(l), l, graph.KeyProp(l)))
	}
	for _, ix := range [][2]string{{graph.LabelOrganization, "country"}, {graph.LabelOrganization, "kind"}, {graph.LabelAgreement, "type"}, {graph.LabelAgreement, "date"}} {
		out = append(out, fmt.Sprintf("CREATE INDEX %s_%s IF NOT EXISTS FOR (n:%s) ON (n.%s)", strings.ToLower(ix[0]), ix[1], ix[0], ix[1]))
	}
	// The CJK analyzer indexes Chinese by character bigrams, and Latin
	// scripts by words; search_names holds the other scripts' spellings.
	out = append(out, fmt.Sprintf("CREATE FULLTEXT INDEX %s IF NOT EXISTS FOR (n:%s|%s|%s|%s) ON EACH [n.name, n.name_en, n.%s] "+
		"OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}",
		FulltextIndex, graph.LabelOrganization, graph.LabelCountry, graph.LabelEvent, graph.LabelProgramme, SearchNamesProp))
	return out
}

// ApplySchema creates the constraints and indexes; it is idempotent.
func (s *Store) ApplySchema(ctx context.Context) (err error) {
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer func() { err = errors.Join(err, sess.Close(ctx)) }()
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

func (s *Store) session(ctx context.Context, mode neo4j.AccessMode) neo4j.SessionWithContext {
	return s.drv.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: mode})
}

func propMap(ps []graph.Prop) map[string]any {
	m := make(map[string]any, len(ps))
	for _, p := range ps {
		if p.Value != nil {
			m[p.Key] = p.Value
		}
	}
	return m
}

// BrowserCaptionProp and BrowserCaptionENProp are the node properties Neo4j
// Browser's style sheet captions nodes by (queries.Style): the display names
// "caption" and "caption_en" with spaces where Browser may break a line of
// Chinese (graph.BrowserCaption), since Browser breaks only at spaces. Like
// search_names, they are the store's and not the dataset's.
const (
	BrowserCaptionProp   = "browser_caption"
	BrowserCaptionENProp = "browser_caption_en"
)

// setBrowserCaptions sets BrowserCaptionProp and BrowserCaptionENProp in a
// node's property map from its captions.
func setBrowserCaptions(props map[string]any) {
	for k, b := range map[string]string{"caption": BrowserCaptionProp, "caption_en": BrowserCaptionENProp} {
		if s, ok := props[k].(string); ok {
			props[b] = graph.BrowserCaption(s)
		}
	}
}

// readProps are the node properties that are ours; others (analytics scores
// written by analyze --write, search_names, the Browser captions) are left
// out of the dataset.
func readProps(m map[string]any) []graph.Prop {
	keys := make([]string, 0, len(m))
	for k := range m {
		if k != SearchNamesProp && k != graph.GenerationProp && k != BrowserCaptionProp && k != BrowserCaptionENProp {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := make([]graph.Prop, 0, len(keys))
	for _, k := range keys {
		out = append(out, graph.Prop{Key: k, Value: m[k]})
	}
	return out
}

// Read returns the whole collaboration graph stored in Neo4j.
//
// It is a reader: it refuses an unfinished load (*IncompleteError).
func (s *Store) Read(ctx context.Context) (*graph.Dataset, error) {
	var ds *graph.Dataset
	err := s.consistent(ctx, func() (err error) {
		ds, err = s.read(ctx)
		return err
	})
	return ds, err
}

// read reads the graph without checking the load state.
func (s *Store) read(ctx context.Context) (_ *graph.Dataset, err error) {
	sess := s.session(ctx, neo4j.AccessModeRead)
	defer func() { err = errors.Join(err, sess.Close(ctx)) }()
	pg := &memGraph{}
	_, err = sess.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		pg.nodes, pg.edges = nil, nil
		for _, l := range graph.NodeLabels {
			res, err := tx.Run(ctx, fmt.Sprintf("MATCH (n:%s) RETURN n.%s AS key, labels(n) AS labels, properties(n) AS props", l, graph.KeyProp(l)), nil)
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
				pg.nodes = append(pg.nodes, graph.PropNode{ID: graph.NodeID(l, key), Labels: ls, Props: readProps(r.Values[2].(map[string]any))})
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
			from, to := graph.NodeRef{Label: la, Key: r.Values[1].(string)}, graph.NodeRef{Label: lb, Key: r.Values[4].(string)}
			pg.edges = append(pg.edges, graph.PropEdge{From: from.ID(), To: to.ID(), FromNode: from, ToNode: to,
				Type: r.Values[2].(string), Props: readProps(r.Values[5].(map[string]any))})
		}
		return nil, res.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("reading the graph from Neo4j: %w", err)
	}
	return graph.FromView(pg)
}

func primaryLabel(v any) string {
	ls, _ := v.([]any)
	for _, want := range graph.NodeLabels {
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
	nodes []graph.PropNode
	edges []graph.PropEdge
}

func (g *memGraph) Nodes(yield func(graph.PropNode) bool) {
	for _, n := range g.nodes {
		if !yield(n) {
			return
		}
	}
}

func (g *memGraph) Edges(yield func(graph.PropEdge) bool) {
	for _, e := range g.edges {
		if !yield(e) {
			return
		}
	}
}

func str(p []graph.Prop, k string) string {
	s, _ := graph.Get(p, k).(string)
	return s
}
