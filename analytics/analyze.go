package analytics

// Summary holds the graph-level figures every analysed network has:
// size, density and connectivity. Its JSON is the "graph" object of
// analyze's output (package analysis adds the modularity).
type Summary struct {
	// Nodes is the number of nodes, isolated ones included.
	Nodes int `json:"nodes"`
	// Edges is the number of ties (unordered pairs).
	Edges int `json:"edges"`
	// TotalWeight is the sum of tie weights, each tie once.
	TotalWeight float64 `json:"total_weight"`
	// Density is nx.density: 2·Edges / (Nodes·(Nodes-1)), 0 below 2 nodes.
	Density float64 `json:"density"`
	// Components is the number of connected components (isolated nodes
	// are components of one).
	Components int `json:"components"`
	// LargestComponent is the node count of the largest component.
	LargestComponent int `json:"largest_component"`
	// Isolated counts nodes without ties.
	Isolated int `json:"isolated"`
}

// Summarize computes the graph-level figures.
func Summarize(g *Network) Summary {
	n, m := g.N(), g.M()
	s := Summary{Nodes: n, Edges: m, TotalWeight: g.TotalWeight()}
	if n > 1 {
		s.Density = 2 * float64(m) / (float64(n) * float64(n-1))
	}
	_, sizes := Components(g)
	s.Components = len(sizes)
	if len(sizes) > 0 {
		s.LargestComponent = sizes[0]
		for _, z := range sizes {
			s.LargestComponent = max(s.LargestComponent, z)
		}
	}
	for i := 0; i < n; i++ {
		if g.Degree(i) == 0 {
			s.Isolated++
		}
	}
	return s
}

// Components labels the connected components: label[i] is the component of
// node i, numbered in order of their smallest node index, and sizes[c] is
// the node count of component c.
func Components(g *Network) (label []int, sizes []int) {
	n := g.N()
	label = make([]int, n)
	for i := range label {
		label[i] = -1
	}
	queue := make([]int32, 0, n)
	for s := 0; s < n; s++ {
		if label[s] >= 0 {
			continue
		}
		c := len(sizes)
		label[s] = c
		queue = append(queue[:0], int32(s))
		for h := 0; h < len(queue); h++ {
			v := queue[h]
			for _, w := range g.adj[g.off[v]:g.off[v+1]] {
				if label[w] < 0 {
					label[w] = c
					queue = append(queue, w)
				}
			}
		}
		sizes = append(sizes, len(queue))
	}
	return label, sizes
}
