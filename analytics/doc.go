// Package analytics computes network measures on collaboration graphs:
// organisation networks projected from projects or agreements
// (ProjectGroups), country networks aggregated from them (CountryNetwork),
// node centralities, clustering coefficients, Louvain communities and
// graph-level figures.
//
// The package is self-contained on purpose: it does not import the rest of
// collabnet, so the command layer feeds it plain IDs, names and country codes
// and turns the results into JSON. Every measure is defined to match NetworkX
// (the reference implementation the tests are checked against, see
// testdata/README.md), so figures can be compared with studies that use it.
//
// Design choices that matter to callers:
//
//   - A Network stores its nodes sorted by ID and its ties in compressed
//     sparse row (CSR) form; node indices are positions in that order, and
//     every per-node result slice is indexed the same way.
//   - Every result is deterministic: the same input and options give
//     bit-identical output, whatever GOMAXPROCS or the number of workers.
//   - Long computations take a context.Context and stop early when it is
//     cancelled.
//
// Louvain (louvain.go), shortest-path measures, PageRank, eigenvector
// centrality and clustering are implemented here on the CSR network, because
// Gonum's versions are quadratic in community size (community.Modularize:
// over six minutes on H2020; the tests still compare with it), count
// undirected pairs twice (betweenness), build dense n×n matrices or start
// from an unseeded random vector (PageRank), keep all shortest paths in
// memory (O(n²)), or run on a single core.
package analytics
