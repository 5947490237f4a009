package analytics

// CountryNet is an organisation network aggregated by country.
type CountryNet struct {
	// Network has one node per country (ID, Name and Country are all the
	// country code) and one tie per pair of countries whose organisations
	// are tied; its weight is the sum of those organisation tie weights.
	// Countries whose organisations only have domestic ties are isolated
	// nodes, so their domestic figures still have a home.
	*Network
	// Domestic is, per country node, the total weight of ties between two
	// organisations of that country. They are kept apart rather than
	// stored as self-loops, which would distort strength, path and
	// modularity measures.
	Domestic []float64
	// DomesticTies is, per country node, the number of such ties.
	DomesticTies []int
	// Unlocated counts organisation nodes without a country; they and
	// their ties are left out.
	Unlocated int
	// UnlocatedWeight is the total weight of organisation ties left out
	// because at least one end has no country.
	UnlocatedWeight float64
	// Excluded counts located organisation nodes left out by the filter.
	Excluded int
}

// CountryNetwork aggregates an organisation network by the Country of its
// nodes. Country codes are used as they are (the command layer normalises
// them). If filter is non-empty, only organisations whose country is in it
// are kept, so the result is the sub-network among those countries (an
// organisation tie counts only when both ends are inside). Weights are summed
// in tie order, so the result is reproducible to the bit.
func CountryNetwork(org *Network, filter []string) (*CountryNet, error) {
	var keep map[string]bool
	if len(filter) > 0 {
		keep = make(map[string]bool, len(filter))
		for _, c := range filter {
			keep[c] = true
		}
	}
	res := &CountryNet{}
	in := make([]bool, org.N())
	b := NewBuilder()
	for i, nd := range org.nodes {
		switch {
		case nd.Country == "":
			res.Unlocated++
		case keep != nil && !keep[nd.Country]:
			res.Excluded++
		default:
			in[i] = true
			b.AddNode(Node{ID: nd.Country, Name: nd.Country, Country: nd.Country})
		}
	}
	domestic := map[string]float64{}
	domesticTies := map[string]int{}
	for u := range org.nodes {
		cu := org.nodes[u].Country
		for k := org.off[u]; k < org.off[u+1]; k++ {
			v := int(org.adj[k])
			if v <= u {
				continue
			}
			w := org.w[k]
			cv := org.nodes[v].Country
			switch {
			case cu == "" || cv == "":
				res.UnlocatedWeight += w
			case !in[u] || !in[v]:
			case cu == cv:
				domestic[cu] += w
				domesticTies[cu]++
			default:
				b.AddTie(cu, cv, w)
			}
		}
	}
	g, err := b.Build()
	if err != nil {
		return nil, err
	}
	res.Network = g
	res.Domestic = make([]float64, g.N())
	res.DomesticTies = make([]int, g.N())
	for i, nd := range g.nodes {
		res.Domestic[i] = domestic[nd.ID]
		res.DomesticTies[i] = domesticTies[nd.ID]
	}
	return res, nil
}

// CountryFigure holds the per-country collaboration figures.
type CountryFigure struct {
	// Country is the country code (the node ID).
	Country string
	// Partners is the number of partner countries (the degree).
	Partners int
	// LinkStrength is the total weight of international ties (the
	// strength; VOSviewer's "total link strength").
	LinkStrength float64
	// Domestic is the total weight of domestic ties.
	Domestic float64
	// InternationalShare is LinkStrength / (LinkStrength + Domestic), the
	// share of a country's collaboration that crosses its border; 0 when
	// the country has no ties at all.
	InternationalShare float64
}

// Figures returns the per-country figures, in node order.
func (c *CountryNet) Figures() []CountryFigure {
	out := make([]CountryFigure, c.N())
	for i, nd := range c.nodes {
		s := c.Strength(i)
		f := CountryFigure{Country: nd.ID, Partners: c.Degree(i), LinkStrength: s, Domestic: c.Domestic[i]}
		if t := s + c.Domestic[i]; t > 0 {
			f.InternationalShare = s / t
		}
		out[i] = f
	}
	return out
}
