package graph_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/collabnet/collabnet/graph"
	"github.com/collabnet/collabnet/loader"
)

// The load benchmark: the H2020 participations file (144,726 rows) into
// Neo4j by collabnet, and by Neo4j's own LOAD CSV building the same graph
// (organisations with kind and country, countries, projects, PARTY_TO with
// role and contribution, PARTNER_OF with the shared projects), on the same
// server in the same run. scripts/bench-load runs it and prints the ratio.
//
// It needs COLLABNET_TEST_NEO4J_URI and COLLABNET_TEST_NEO4J_IMPORT, the
// server's import directory on this machine (LOAD CSV reads from there).

const h2020Rows = 144726

var loadCSV = []string{
	`LOAD CSV WITH HEADERS FROM 'file:///participations.csv.gz' AS row
CALL { WITH row
  MERGE (o:Organization {id: row.pic})
  ON CREATE SET o.kind = CASE row.type WHEN 'HES' THEN 'university' WHEN 'PRC' THEN 'company'
      WHEN 'REC' THEN 'research_institute' WHEN 'PUB' THEN 'government_agency' ELSE 'other' END,
    o.country = CASE row.country WHEN 'EL' THEN 'GR' WHEN 'UK' THEN 'GB' ELSE row.country END
  MERGE (a:Agreement {id: 'project:' + row.rcn}) ON CREATE SET a.type = 'project', a.date = row.start_date
  MERGE (o)-[p:PARTY_TO]->(a) SET p.role = row.role, p.contribution = toFloat(row.contribution)
} IN TRANSACTIONS OF 2000 ROWS`,
	`MATCH (o:Organization) WHERE o.country IS NOT NULL AND o.country <> ''
WITH DISTINCT o.country AS code MERGE (:Country {code: code})`,
	`MATCH (o:Organization) WHERE o.country IS NOT NULL AND o.country <> ''
CALL { WITH o MATCH (c:Country {code: o.country}) MERGE (o)-[:LOCATED_IN]->(c) } IN TRANSACTIONS OF 5000 ROWS`,
	`MATCH (a:Agreement)
CALL { WITH a
  MATCH (x:Organization)-[:PARTY_TO]->(a)<-[:PARTY_TO]-(y:Organization) WHERE x.id < y.id
  MERGE (x)-[r:PARTNER_OF]->(y)
  ON CREATE SET r.via = [a.id] ON MATCH SET r.via = r.via + a.id
  SET r.agreements = size(r.via)
} IN TRANSACTIONS OF 500 ROWS`,
}

func benchSetup(b *testing.B) (string, neo4j.DriverWithContext) {
	uri, imp := os.Getenv("COLLABNET_TEST_NEO4J_URI"), os.Getenv("COLLABNET_TEST_NEO4J_IMPORT")
	if uri == "" || imp == "" {
		b.Skip("set COLLABNET_TEST_NEO4J_URI and COLLABNET_TEST_NEO4J_IMPORT (scripts/bench-load does)")
	}
	src := filepath.Join("..", "..", "shared", "datasets", "h2020", "participations.csv.gz")
	if _, err := os.Stat(src); err != nil {
		b.Skipf("%s absent", src)
	}
	if err := copyFile(src, filepath.Join(imp, "participations.csv.gz")); err != nil {
		b.Fatal(err)
	}
	drv, err := neo4j.NewDriverWithContext(uri, neo4j.BasicAuth("neo4j", os.Getenv("COLLABNET_TEST_NEO4J_PASSWORD"), ""))
	if err != nil {
		b.Fatal(err)
	}
	return src, drv
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func autoCommit(b *testing.B, drv neo4j.DriverWithContext, qs ...string) {
	ctx := context.Background()
	sess := drv.NewSession(ctx, neo4j.SessionConfig{})
	defer sess.Close(ctx)
	for _, q := range qs {
		res, err := sess.Run(ctx, q, nil)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			b.Fatalf("%.60s: %v", q, err)
		}
	}
}

func emptyDB(b *testing.B, drv neo4j.DriverWithContext) {
	autoCommit(b, drv, "MATCH ()-[r]->() CALL { WITH r DELETE r } IN TRANSACTIONS OF 10000 ROWS",
		"MATCH (n) CALL { WITH n DELETE n } IN TRANSACTIONS OF 10000 ROWS")
}

func BenchmarkLoadH2020(b *testing.B) {
	src, drv := benchSetup(b)
	defer drv.Close(context.Background())
	ctx := context.Background()
	b.Run("collabnet", func(b *testing.B) {
		s, err := graph.OpenNeo4j(ctx, graph.Neo4jConfig{URI: os.Getenv("COLLABNET_TEST_NEO4J_URI"), User: "neo4j",
			Password: os.Getenv("COLLABNET_TEST_NEO4J_PASSWORD"), BatchSize: 500})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close(ctx)
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			emptyDB(b, drv)
			if err := s.ApplySchema(ctx); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			l, _ := loader.New(loader.Options{})
			ds, _, err := l.Load(ctx, []loader.Input{loader.FileInput(src)})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := s.Write(ctx, ds, false); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(h2020Rows*b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("loadcsv", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			emptyDB(b, drv)
			b.StartTimer()
			autoCommit(b, drv, loadCSV...)
		}
		b.ReportMetric(float64(h2020Rows*b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}
