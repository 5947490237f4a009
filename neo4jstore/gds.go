package neo4jstore

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/collabnet/collabnet/analysis"
	"github.com/collabnet/collabnet/graph"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// The GDS engine runs the analysis inside Neo4j with the Graph Data Science
// library (GDS 2.x): the network is projected into a named in-memory graph
// on the server, each measure runs there as a GDS procedure, and only the
// per-node scores come back. It is for graphs that live in a server larger
// than the client.
//
// Every score means what the Go engine's (package analytics) means; where
// GDS scales differently the conversion is applied here, and each was
// measured against the Go engine and NetworkX on H2020 networks
// (gds_test.go):
//
//   - betweenness: gds.betweenness on the undirected projection sums
//     σ_st(v)/σ_st over unordered pairs, unnormalised; divided by
//     (n-1)(n-2)/2 it is nx.betweenness_centrality(normalized=True). With
//     samplingSize k GDS does not extrapolate, so sampled scores are also
//     multiplied by n/k, as nx.betweenness_centrality(k=...) does.
//   - closeness: gds.closeness with useWassermanFaust is exactly
//     nx.closeness_centrality(wf_improved=True). GDS has no weighted
//     closeness, so with weighted paths it is not offered.
//   - harmonic: gds.closeness.harmonic divides by n-1; multiplied back it
//     is nx.harmonic_centrality. Hop distances only, like closeness.
//   - pagerank: gds.pageRank does not redistribute the score of nodes
//     without ties and does not sum to 1. On an undirected network a node
//     without ties has no in-ties either, so both fixed points are
//     proportional to (I - αWD⁻¹)⁻¹·1 and dividing by the sum gives
//     nx.pagerank exactly.
//   - clustering_unweighted: gds.localClusteringCoefficient, as it is
//     (it wants an undirected graph; the projection has one tie per pair,
//     so its degrees are the network's).
//   - degree and strength: gds.degree unweighted and weighted.
//   - community: gds.louvain (GDS's Louvain has no resolution parameter,
//     so a resolution other than 1 is refused) or gds.leiden (gamma is the
//     resolution), renumbered as analytics numbers communities; modularity
//     is the procedure's own.
//
// Two measures GDS 2.13 computes with another meaning, so the engine
// refuses them rather than print a different number under the same name:
//
//   - eigenvector: weighted, gds.eigenvector divides each tie's weight by
//     its source node's strength (the eigenvector of A·D⁻¹, which on an
//     undirected network is proportional to strength); unweighted at a
//     tight tolerance it collapsed to 0 on a connected H2020 network.
//   - clustering: gds.localClusteringCoefficient is unweighted; collabnet's
//     clustering is Onnela's weighted coefficient (clustering_unweighted
//     is GDS's).
//
// The registry (analysis.MeasureDef.GDS) declares each measure's
// procedure, configuration and conversion; GDSMeasures lists them.

// GDSMeasures returns the measures the GDS engine computes with the Go
// engine's meaning, in output order: those declared with a GDS procedure.
func GDSMeasures() []analysis.Measure {
	var out []analysis.Measure
	for _, d := range analysis.Measures() {
		if d.GDS != nil {
			out = append(out, d.Name)
		}
	}
	return out
}

// GDSEngine is the analysis.Engine that runs inside Neo4j with Graph Data
// Science, on the graph stored there (Store.AnalyzeGDS).
type GDSEngine struct {
	Store   *Store
	Options GDSOptions
}

// Analyze is Store.AnalyzeGDS.
func (e GDSEngine) Analyze(ctx context.Context, req analysis.Options) (*analysis.Analysis, error) {
	return e.Store.AnalyzeGDS(ctx, req, e.Options)
}

// ErrNoGDS reports a Neo4j server without the Graph Data Science library.
var ErrNoGDS = errors.New("the Neo4j server has no Graph Data Science library (GDS)")

// ErrGDSMemory reports a projection or algorithm that GDS estimates needs
// more heap than the server has free.
var ErrGDSMemory = errors.New("not enough free heap on the Neo4j server for the GDS analysis")

// GDSOptions are the GDS engine's own settings; the analysis settings
// (levels, measures, counting, filter, sampling, seed, resolution,
// tolerance, community algorithm) are the analysis.Options the Go engine
// takes.
type GDSOptions struct {
	// MaxMemory caps the heap GDS may need, in bytes; 0 means the heap
	// the server has available.
	MaxMemory int64
}

// gdsVersionFunction is the function that tells whether GDS is installed
// (a variable so the test can ask for one that does not exist).
var gdsVersionFunction = "gds.version"

// gdsAfterProject, when set by a test, runs right after the projection.
var gdsAfterProject func(ctx context.Context)

// gdsMeasures checks the requested measures and returns them (nil:
// GDSMeasures).
func gdsMeasures(opt analysis.Options) ([]analysis.Measure, error) {
	if opt.Measures == nil {
		return GDSMeasures(), nil
	}
	for _, m := range opt.Measures {
		d := analysis.Lookup(m)
		if d == nil {
			return nil, fmt.Errorf("measure %q is not declared", m)
		}
		if d.GDS == nil {
			return nil, fmt.Errorf("--engine gds does not compute %s: %s; use --engine go, or leave it out of --measures", m, d.GDSRefused)
		}
		if d.GDS.Refuse != nil {
			if err := d.GDS.Refuse(opt); err != nil {
				return nil, err
			}
		}
	}
	return opt.Measures, nil
}

// AnalyzeGDS is analysis.Analyze run inside Neo4j by GDS, on the graph
// stored there: for each level asked for, it projects the network into a
// named in-memory graph (a name unique to the run, dropped before
// AnalyzeGDS returns, also on error or cancellation), runs the measures'
// procedures and converts their scores to the Go engine's meaning. Only
// the scores, and the ties for the Level's Edges, travel to the client.
//
// Errors: ErrNoGDS when the server lacks GDS; ErrGDSMemory when GDS
// estimates the projection and the heaviest algorithm need more heap than
// is available, checked before anything is projected; a refused measure
// (eigenvector, clustering; closeness and harmonic with weighted paths).
//
// It is a reader: it refuses an unfinished load (*IncompleteError), and
// one that started while it projected and ran.
func (s *Store) AnalyzeGDS(ctx context.Context, opt analysis.Options, gopt GDSOptions) (*analysis.Analysis, error) {
	var an *analysis.Analysis
	err := s.consistent(ctx, func() (err error) {
		an, err = s.analyzeGDS(ctx, opt, gopt)
		return err
	})
	return an, err
}

func (s *Store) analyzeGDS(ctx context.Context, opt analysis.Options, gopt GDSOptions) (_ *analysis.Analysis, err error) {
	ms, err := gdsMeasures(opt)
	if err != nil {
		return nil, err
	}
	if opt.Tolerance == 0 {
		opt.Tolerance = 1e-12 // analytics.DefaultTolerance
	}
	if opt.Resolution == 0 {
		opt.Resolution = 1
	}
	switch opt.Community {
	case "":
		opt.Community = "louvain"
	case "louvain", "leiden":
	default:
		return nil, fmt.Errorf("community algorithm %q: want louvain or leiden", opt.Community)
	}
	if opt.Community == "louvain" && opt.Resolution != 1 && slices.Contains(ms, analysis.Community) {
		return nil, fmt.Errorf("gds.louvain has no resolution parameter: use --community leiden for resolution %g, or --engine go", opt.Resolution)
	}
	levels := opt.Levels
	if levels == nil {
		levels = []string{analysis.LevelOrg, analysis.LevelCountry}
	}
	sess := s.drv.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: neo4j.AccessModeWrite})
	defer func() { err = errors.Join(err, sess.Close(context.WithoutCancel(ctx))) }()
	if err := requireGDS(ctx, sess); err != nil {
		return nil, err
	}
	an := &analysis.Analysis{Options: opt}
	an.Options.Measures = ms
	for _, level := range levels {
		g := &gdsRun{ctx: ctx, sess: sess, opt: opt, gopt: gopt, ms: ms, level: level}
		switch level {
		case analysis.LevelOrg:
			g.label, g.key = graph.LabelOrganization, graph.KeyProp(graph.LabelOrganization)
		case analysis.LevelCountry:
			g.label, g.key = graph.LabelCountry, graph.KeyProp(graph.LabelCountry)
		default:
			return nil, fmt.Errorf("level %q: want %s or %s", level, analysis.LevelOrg, analysis.LevelCountry)
		}
		if err := g.checkMemory(); err != nil {
			return nil, err
		}
		l, err := g.analyze()
		if err != nil {
			return nil, err
		}
		if level == analysis.LevelOrg {
			an.Org = l
		} else {
			an.Country = l
		}
	}
	return an, nil
}

// analyze projects the level's network, runs it and drops the projection.
func (g *gdsRun) analyze() (*analysis.Level, error) {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	g.name = "collabnet-" + g.level + "-" + hex.EncodeToString(b)
	defer g.drop()
	return g.run()
}

// sample is the number of betweenness sources: --sample, or as many as
// fit the budget (analysis.BetweennessBudget, set in checkMemory once the
// network's size is known), or 0 for every source.
func (g *gdsRun) sample() int {
	if g.opt.Sample > 0 {
		return g.opt.Sample
	}
	return g.budgetK
}

// warn records a warning for the level and tells opt.Notify at once.
func (g *gdsRun) warn(w string) {
	g.warnings = append(g.warnings, w)
	if g.opt.Notify != nil {
		g.opt.Notify(w)
	}
}

type gdsRun struct {
	budgetK    int      // betweenness sources the budget allows; 0: exact
	warnings   []string // for the Level
	ctx        context.Context
	sess       neo4j.SessionWithContext
	opt        analysis.Options
	gopt       GDSOptions
	ms         []analysis.Measure
	level      string
	name       string
	key, label string
}

func (g *gdsRun) query(q string, params map[string]any) ([]*neo4j.Record, error) {
	res, err := g.sess.Run(g.ctx, q, params)
	if err != nil {
		return nil, err
	}
	return res.Collect(g.ctx)
}

func requireGDS(ctx context.Context, sess neo4j.SessionWithContext) error {
	res, err := sess.Run(ctx, "RETURN "+gdsVersionFunction+"() AS v", nil)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	var ne *neo4j.Neo4jError
	if errors.As(err, &ne) && (strings.Contains(ne.Msg, "Unknown function") || ne.Code == "Neo.ClientError.Procedure.ProcedureNotFound") {
		return fmt.Errorf("%w: install the GDS plugin (docker-compose.yml and scripts/neo4j-test-server have it) or use --engine go", ErrNoGDS)
	}
	if err != nil {
		return fmt.Errorf("asking the server for its GDS version: %w", err)
	}
	return nil
}

// orgTies is the Cypher that yields one row (a, b, w) per organisation tie
// a.id < b.id of the network, with the request's counting and filter.
func (g *gdsRun) orgTies() string {
	filter := ""
	if len(g.opt.Countries) > 0 {
		filter = " AND a.country IN $countries AND b.country IN $countries"
	}
	if g.opt.Fractional {
		return fmt.Sprintf(`MATCH (o:%[1]s)-[:%[2]s]->(ag:%[3]s)
WITH ag, collect(DISTINCT o) AS ps WHERE size(ps) > 1
UNWIND ps AS a UNWIND ps AS b
WITH a, b, ag, size(ps) AS k WHERE a.id < b.id%[4]s
WITH a, b, sum(1.0 / (k - 1)) AS w`, graph.LabelOrganization, graph.RelPartyTo, graph.LabelAgreement, filter)
	}
	return fmt.Sprintf(`MATCH (a:%[1]s)-[r:%[2]s]->(b:%[1]s) WHERE true%[3]s
WITH a, b, toFloat(r.agreements) AS w`, graph.LabelOrganization, graph.RelPartnerOf, filter)
}

// projection is the Cypher aggregation that projects the network: every
// node of the level (isolated ones too) and every tie, undirected, with
// properties weight and distance (1/weight).
func (g *gdsRun) projection() string {
	var nodes, ties string
	filter := ""
	if len(g.opt.Countries) > 0 {
		filter = " AND a.country IN $countries"
	}
	if g.level == analysis.LevelOrg {
		nodes = fmt.Sprintf("MATCH (a:%s) WHERE true%s RETURN a AS s, null AS t, 0.0 AS w", graph.LabelOrganization, filter)
		ties = g.orgTies() + " RETURN a AS s, b AS t, w"
	} else {
		nodes = fmt.Sprintf(`MATCH (a:%[1]s)-[:%[2]s]->(c:%[3]s) WHERE a.country IS NOT NULL%[4]s
RETURN DISTINCT c AS s, null AS t, 0.0 AS w`, graph.LabelOrganization, graph.RelLocatedIn, graph.LabelCountry, filter)
		ties = g.orgTies() + fmt.Sprintf(`
MATCH (a)-[:%[1]s]->(ca:%[2]s), (b)-[:%[1]s]->(cb:%[2]s) WHERE ca <> cb
WITH CASE WHEN ca.code < cb.code THEN ca ELSE cb END AS s, CASE WHEN ca.code < cb.code THEN cb ELSE ca END AS t, w
RETURN s, t, sum(w) AS w`, graph.RelLocatedIn, graph.LabelCountry)
	}
	return fmt.Sprintf(`CALL { %s UNION ALL %s }
WITH gds.graph.project($name, s, t,
  CASE WHEN t IS NULL THEN {} ELSE {relationshipProperties: {weight: w, distance: 1.0 / w}} END,
  {undirectedRelationshipTypes: ['*']}) AS g
RETURN g.nodeCount AS nodes, g.relationshipCount AS rels`, nodes, ties)
}

// checkMemory asks GDS to estimate the projection and the heaviest
// requested algorithm on a graph of the network's size, and fails with
// ErrGDSMemory when that exceeds the available heap (or req.MaxMemory).
func (g *gdsRun) checkMemory() error {
	// The sizes from the stored ties: fractional counting ties the same
	// pairs PARTNER_OF does, only weighted otherwise, so the projection's
	// aggregation need not run twice.
	counts := fmt.Sprintf("MATCH (c:%s) WITH count(c) AS n RETURN n, n * (n - 1) / 2 AS m", graph.LabelCountry)
	if g.level == analysis.LevelOrg {
		node, tie := "", ""
		if len(g.opt.Countries) > 0 {
			node, tie = " WHERE a.country IN $countries", " WHERE a.country IN $countries AND b.country IN $countries"
		}
		counts = fmt.Sprintf(`MATCH (a:%[1]s)%[3]s WITH count(a) AS n
OPTIONAL MATCH (a:%[1]s)-[:%[2]s]->(b:%[1]s)%[4]s
RETURN n, count(b) AS m`, graph.LabelOrganization, graph.RelPartnerOf, node, tie)
	}
	recs, err := g.query(counts, g.params())
	if err != nil || len(recs) != 1 {
		return fmt.Errorf("counting the %s network for the GDS memory estimate: %w", g.level, err)
	}
	n, m := recs[0].Values[0].(int64), recs[0].Values[1].(int64)
	if slices.Contains(g.ms, analysis.Betweenness) {
		var w string
		if g.budgetK, w = analysis.BetweennessBudget(int(n), int(m), g.opt); w != "" {
			g.warn(w)
		}
	}
	fict := map[string]any{"nodeCount": n, "relationshipCount": 2 * m, "nodeProjection": "*",
		"relationshipProjection": map[string]any{"R": map[string]any{"type": "R", "orientation": "UNDIRECTED", "properties": []string{"weight", "distance"}}}}
	need := int64(0)
	recs, err = g.query("CALL gds.graph.project.estimate('*', {R: {orientation: 'UNDIRECTED', properties: ['weight', 'distance']}}, {nodeCount: $n, relationshipCount: $m}) YIELD bytesMax RETURN bytesMax",
		map[string]any{"n": n, "m": 2 * m})
	if err != nil {
		return fmt.Errorf("estimating the GDS projection of %d nodes and %d ties: %w", n, m, err)
	}
	need = recs[0].Values[0].(int64)
	// Closeness and harmonic centrality have no estimate procedure; they
	// need O(n) per thread, far below the projection.
	recs, err = g.query("SHOW PROCEDURES YIELD name WHERE name STARTS WITH 'gds.' AND name ENDS WITH '.estimate' RETURN collect(name)", nil)
	if err != nil {
		return fmt.Errorf("listing the GDS estimate procedures: %w", err)
	}
	estimates, _ := recs[0].Values[0].([]any)
	algo := int64(0)
	for _, p := range g.procedures() {
		if !slices.Contains(estimates, any(p.proc+".estimate")) {
			continue
		}
		recs, err := g.query("CALL "+p.proc+".estimate($graph, $config) YIELD bytesMax RETURN bytesMax", map[string]any{"graph": fict, "config": p.config})
		if err != nil {
			return fmt.Errorf("estimating %s on %d nodes and %d ties: %w", p.proc, n, m, err)
		}
		algo = max(algo, recs[0].Values[0].(int64))
	}
	need += algo
	avail := g.gopt.MaxMemory
	if avail == 0 {
		recs, err := g.query("CALL gds.debug.sysInfo() YIELD key, value WITH key, value WHERE key = 'availableHeapInBytes' RETURN value", nil)
		if err != nil || len(recs) != 1 {
			return fmt.Errorf("asking GDS for the available heap: %w", err)
		}
		avail, _ = recs[0].Values[0].(int64)
	}
	if need > avail {
		return fmt.Errorf("%w: GDS estimates %s for the %s network (%d nodes, %d ties), %s is available; raise the server's heap (server.memory.heap.max_size) or use --engine go",
			ErrGDSMemory, bytesText(need), g.level, n, m, bytesText(avail))
	}
	return nil
}

func bytesText(b int64) string {
	return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
}

func (g *gdsRun) params() map[string]any {
	p := map[string]any{"name": g.name}
	if len(g.opt.Countries) > 0 {
		p["countries"] = g.opt.Countries
	}
	return p
}

type gdsProc struct {
	measure analysis.Measure
	proc    string // the stream (or, for communities, mutate) procedure
	yield   string // the stream procedure's score column
	config  map[string]any
	convert func(v []float64, sampled int)
}

// procedures lists the GDS procedures the requested measures need, with
// their configuration, as the registry declares them. Degree and strength
// have none: figures takes them from the ties it streams for Edges.
func (g *gdsRun) procedures() []gdsProc {
	var ps []gdsProc
	for _, m := range g.ms {
		d := analysis.Lookup(m)
		switch {
		case m == analysis.Community:
			c := map[string]any{"relationshipWeightProperty": "weight", "mutateProperty": "community"}
			if g.opt.Community == "leiden" {
				// One thread: GDS's parallel Leiden differs from run to run
				// even with a seed.
				c["gamma"], c["randomSeed"], c["concurrency"] = g.opt.Resolution, int64(g.opt.Seed), int64(1)
			}
			ps = append(ps, gdsProc{m, "gds." + g.opt.Community + ".mutate", "", c, nil})
		case d != nil && d.GDS != nil && d.GDS.Proc != "":
			k := 0
			if m == analysis.Betweenness {
				k = g.sample()
			}
			ps = append(ps, gdsProc{m, d.GDS.Proc, cmp.Or(d.GDS.Yield, "score"), d.GDS.Config(g.opt, k), d.GDS.Convert})
		}
	}
	return ps
}

func (g *gdsRun) drop() {
	// The projection must go even when ctx was cancelled.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(g.ctx), 30*time.Second)
	defer cancel()
	res, err := g.sess.Run(ctx, "CALL gds.graph.drop($name, false) YIELD graphName RETURN graphName", map[string]any{"name": g.name})
	if err == nil {
		_, _ = res.Consume(ctx)
	}
}

// run analyses the projected network into a Level shaped as the Go
// engine's: nodes sorted by ID, the measures asked for, the graph figures
// and the ties.
func (g *gdsRun) run() (*analysis.Level, error) {
	recs, err := g.query(g.projection(), g.params())
	if err != nil {
		return nil, fmt.Errorf("projecting the %s network into GDS: %w", g.level, err)
	}
	if gdsAfterProject != nil {
		gdsAfterProject(g.ctx)
	}
	n64, rels := recs[0].Values[0].(int64), recs[0].Values[1].(int64)
	l := &analysis.Level{Level: g.level, Measures: slices.Clone(g.ms)}
	l.Graph.Nodes, l.Graph.Edges = int(n64), int(rels/2)
	if n64 > 1 {
		l.Graph.Density = 2 * float64(l.Graph.Edges) / (float64(n64) * float64(n64-1))
	}
	// The nodes, with their names, sorted by ID as the Go engine sorts them.
	nodeQ := `CALL gds.degree.stream($name) YIELD nodeId
WITH gds.util.asNode(nodeId) AS x, nodeId
RETURN nodeId, x[$key] AS id, x.name AS name, x.name_en AS en, x.name_zh AS zh, x.country AS country, x.kind AS kind ORDER BY id`
	if recs, err = g.query(nodeQ, map[string]any{"name": g.name, "key": g.key}); err != nil {
		return nil, fmt.Errorf("reading the projected nodes: %w", err)
	}
	index := make(map[int64]int, len(recs))
	l.Nodes = make([]analysis.NodeScore, len(recs))
	for i, r := range recs {
		index[r.Values[0].(int64)] = i
		str := func(k int) string { v, _ := r.Values[k].(string); return v }
		nd := analysis.NodeScore{ID: str(1), Name: str(2), NameEN: str(3), Country: str(5)}
		if g.level == analysis.LevelCountry {
			nd.Name, nd.NameEN, nd.Country = str(4), str(2), nd.ID
		} else {
			nd.Kind = str(6)
		}
		l.Nodes[i] = nd
	}
	if err := g.avgYears(l); err != nil {
		return nil, err
	}
	for _, p := range g.procedures() {
		if p.measure == analysis.Community {
			if err := g.community(p, index, l); err != nil {
				return nil, err
			}
			continue
		}
		recs, err := g.query("CALL "+p.proc+"($name, $config) YIELD nodeId, "+p.yield+" RETURN nodeId, "+p.yield, map[string]any{"name": g.name, "config": p.config})
		if err != nil {
			return nil, fmt.Errorf("running %s on the %s network: %w", p.proc, g.level, err)
		}
		v := make([]float64, len(l.Nodes))
		for _, r := range recs {
			v[index[r.Values[0].(int64)]] = r.Values[1].(float64)
		}
		k := 0
		if p.measure == analysis.Betweenness {
			k = g.sample()
		}
		if p.convert != nil {
			p.convert(v, k)
		}
		if k > 0 && k < len(v) {
			l.Sampled = map[analysis.Measure]int{analysis.Betweenness: k}
		}
		for i := range l.Nodes {
			l.Nodes[i].Set(p.measure, v[i])
		}
	}
	if err := g.figures(l); err != nil {
		return nil, err
	}
	l.Warnings = g.warnings
	return l, nil
}

// community runs Louvain or Leiden in mutate mode, for its modularity, and
// reads the membership back, numbered as analytics numbers communities:
// by decreasing size, ties by the smallest member index.
func (g *gdsRun) community(p gdsProc, index map[int64]int, l *analysis.Level) error {
	recs, err := g.query("CALL "+p.proc+"($name, $config) YIELD modularity RETURN modularity", map[string]any{"name": g.name, "config": p.config})
	if err != nil {
		return fmt.Errorf("running %s on the %s network: %w", p.proc, g.level, err)
	}
	l.Graph.Modularity = recs[0].Values[0].(float64)
	recs, err = g.query("CALL gds.graph.nodeProperty.stream($name, 'community') YIELD nodeId, propertyValue RETURN nodeId, propertyValue", map[string]any{"name": g.name})
	if err != nil {
		return fmt.Errorf("reading the communities: %w", err)
	}
	raw := make([]int64, len(l.Nodes))
	for _, r := range recs {
		raw[index[r.Values[0].(int64)]] = r.Values[1].(int64)
	}
	member, k := renumber(raw)
	if l.Graph.Modularity < 0 {
		// Louvain and Leiden maximise modularity, and one community for
		// all nodes scores 0: on small dense networks (a few countries)
		// GDS can stop below that, where the Go engine does not.
		g.warn(fmt.Sprintf("%s found a partition with modularity %.4f < 0; reporting one community (modularity 0) instead", p.proc, l.Graph.Modularity))
		l.Graph.Modularity, k = 0, 1
		clear(member)
	}
	l.Graph.Communities = k
	for i := range l.Nodes {
		l.Nodes[i].Set(analysis.Community, float64(member[i]))
	}
	return nil
}

// renumber numbers communities 0, 1, ... by decreasing size, ties broken
// by the smallest member index, as analytics does.
func renumber(raw []int64) ([]int, int) {
	first := map[int64]int{}
	size := map[int64]int{}
	for i, c := range raw {
		if _, ok := first[c]; !ok {
			first[c] = i
		}
		size[c]++
	}
	ids := make([]int64, 0, len(size))
	for c := range size {
		ids = append(ids, c)
	}
	slices.SortFunc(ids, func(a, b int64) int {
		if size[a] != size[b] {
			return size[b] - size[a]
		}
		return first[a] - first[b]
	})
	num := make(map[int64]int, len(ids))
	for k, c := range ids {
		num[c] = k
	}
	out := make([]int, len(raw))
	for i, c := range raw {
		out[i] = num[c]
	}
	return out, len(ids)
}

// figures fills the components, isolated nodes, total weight and ties,
// and at the country level the per-country figures.
func (g *gdsRun) figures(l *analysis.Level) error {
	recs, err := g.query("CALL gds.wcc.stats($name) YIELD componentCount, componentDistribution RETURN componentCount, componentDistribution.max", g.params())
	if err != nil {
		return fmt.Errorf("counting components: %w", err)
	}
	l.Graph.Components, l.Graph.LargestComponent = int(recs[0].Values[0].(int64)), int(recs[0].Values[1].(int64))
	res, err := g.sess.Run(g.ctx, `CALL gds.graph.relationshipProperty.stream($name, 'weight')
YIELD sourceNodeId, targetNodeId, propertyValue
WITH gds.util.asNode(sourceNodeId)[$key] AS s, gds.util.asNode(targetNodeId)[$key] AS t, propertyValue AS w WHERE s < t
RETURN s, t, w ORDER BY s, t`, map[string]any{"name": g.name, "key": g.key})
	if err != nil {
		return fmt.Errorf("reading the ties: %w", err)
	}
	tied := map[string]bool{}
	deg := map[string]int{}
	str := map[string]float64{}
	for res.Next(g.ctx) {
		v := res.Record().Values
		s, t, w := v[0].(string), v[1].(string), v[2].(float64)
		l.Graph.TotalWeight += w
		tied[s], tied[t] = true, true
		deg[s]++
		deg[t]++
		str[s] += w
		str[t] += w
		l.Edges.Append(analysis.Tie{Source: s, Target: t, Weight: w})
	}
	if err := res.Err(); err != nil {
		return fmt.Errorf("reading the ties: %w", err)
	}
	l.Graph.Isolated = l.Graph.Nodes - len(tied)
	// Degree and strength are set for every node, as the Go engine sets
	// them (they cost nothing once the ties are read).
	for i := range l.Nodes {
		l.Nodes[i].Set(analysis.Degree, float64(deg[l.Nodes[i].ID]))
		l.Nodes[i].Set(analysis.Strength, str[l.Nodes[i].ID])
	}
	if g.level == analysis.LevelCountry {
		return g.countryFigures(l)
	}
	return nil
}

// countryFigures sets each country's partners, link strength, domestic
// weight and international share (analytics.CountryFigure), and the
// number of organisations without a country.
// avgYears sets each node's mean year of its dated agreements (for a
// country, the agreements with a party of it), as the Go engine does.
func (g *gdsRun) avgYears(l *analysis.Level) error {
	key := "o.id"
	if g.level == analysis.LevelCountry {
		key = "o.country"
	}
	q := fmt.Sprintf(`MATCH (o:%s)-[:%s]->(a:%s)
WHERE a.date =~ '[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?' AND coalesce(%s, '') <> ''
WITH DISTINCT %s AS k, a
RETURN k, avg(toFloat(left(a.date, 4))) AS y`, graph.LabelOrganization, graph.RelPartyTo, graph.LabelAgreement, key, key)
	recs, err := g.query(q, nil)
	if err != nil {
		return fmt.Errorf("averaging the agreement years: %w", err)
	}
	years := make(map[string]float64, len(recs))
	for _, r := range recs {
		if k, ok := r.Values[0].(string); ok {
			years[k] = r.Values[1].(float64)
		}
	}
	for i := range l.Nodes {
		if y, ok := years[l.Nodes[i].ID]; ok {
			l.Nodes[i].AvgYear = &y
		}
	}
	return nil
}

func (g *gdsRun) countryFigures(l *analysis.Level) error {
	q := g.orgTies() + fmt.Sprintf(`
WHERE a.country IS NOT NULL AND a.country = b.country
RETURN a.country AS c, sum(w) AS domestic`)
	recs, err := g.query(q, g.params())
	if err != nil {
		return fmt.Errorf("summing the domestic ties: %w", err)
	}
	domestic := map[string]float64{}
	for _, r := range recs {
		domestic[r.Values[0].(string)] = r.Values[1].(float64)
	}
	for i := range l.Nodes {
		nd := &l.Nodes[i]
		partners, strength, dom := nd.Int(analysis.Degree), nd.Value(analysis.Strength), domestic[nd.ID]
		share := 0.0
		if t := strength + dom; t > 0 {
			share = strength / t
		}
		nd.Partners, nd.LinkStrength, nd.Domestic, nd.InternationalShare = &partners, &strength, &dom, &share
	}
	recs, err = g.query(fmt.Sprintf("MATCH (o:%s) WHERE o.country IS NULL OR o.country = '' RETURN count(o)", graph.LabelOrganization), nil)
	if err != nil {
		return fmt.Errorf("counting organisations without a country: %w", err)
	}
	l.Unlocated = int(recs[0].Values[0].(int64))
	return nil
}
