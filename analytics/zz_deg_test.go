package analytics
import ("testing";"time";"context")
func BenchmarkH2020Zdeg(b *testing.B) {
	g, _ := loadH2020(b)
	var s2, mx float64
	for i := 0; i < g.N(); i++ { d := float64(g.Degree(i)); s2 += d*d; mx = max(mx, d) }
	b.Logf("n=%d m=%d sumdeg2=%.3g maxdeg=%g", g.N(), g.M(), s2, mx)
	t := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second); defer cancel()
	_, err := Clustering(ctx, g, true, 0)
	b.Logf("clustering %v %v", time.Since(t), err)
	t = time.Now()
	p := Louvain(g, LouvainOptions{Seed: 1})
	b.Logf("louvain %v Q=%v k=%d", time.Since(t), p.Q, len(p.Sizes))
}
