#!/usr/bin/env python3
"""Write the reference fixtures the Go tests of package analytics check against.

Run by hand from the repository root when a measure's definition changes
(see analytics/testdata/README.md):

    pip install networkx igraph scipy      # networkx 3.6.1, igraph 1.0.0 used
    python3 analytics/testdata/make_fixtures.py   # or: scripts/make-analytics-fixtures

Every graph is written to analytics/testdata/fixtures/<name>.json with the
expected value of every measure computed by NetworkX, the independent
implementation the Go code is verified against. python-igraph computes the
same measures where it has them; the largest difference NetworkX vs igraph
(after converting igraph's conventions) is stored under "igraph_maxdiff" and
printed, so disagreements between the two references are on record.
"""

import csv
import gzip
import heapq
import json
import math
import os
import random
import sys
from fractions import Fraction

import networkx as nx

try:
    import igraph as ig
except ImportError:  # igraph is only used for the cross-check table
    ig = None

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
H2020 = os.path.join(ROOT, "..", "shared", "datasets", "h2020", "participations.csv.gz")

# PageRank and eigenvector centrality are iterated to this tolerance
# (NetworkX's rule: L1 change below n*TOL) and must agree with igraph's
# direct solvers (PRPACK, ARPACK) to IGRAPH_AGREE, or the script fails.
TOL = 1e-12
IGRAPH_AGREE = 1e-9
# Exact rational betweenness is computed on graphs up to this many nodes.
EXACT_MAX_NODES = 100


def relabel(G):
    """Node IDs become strings (the Go Network keys nodes by string ID)."""
    return nx.relabel_nodes(G, {v: str(v) for v in G}, copy=True)


def with_weights(G, default=1):
    for u, v, d in G.edges(data=True):
        d["weight"] = d.get("weight", default)
        # Weighted paths: a tie of strength w is a segment of length 1/w.
        d["distance"] = 1 / d["weight"]
    return G


def graphs():
    out = {}

    # Disconnected: a triangle, a path, a single tie and an isolated node.
    G = nx.Graph()
    G.add_weighted_edges_from([("a", "b", 1), ("b", "c", 2), ("a", "c", 3),
                               ("d", "e", 1), ("e", "f", 4), ("f", "g", 1),
                               ("h", "i", 2)])
    G.add_node("j")
    out["disconnected"] = G

    # Star: a hub and six leaves with different weights.
    G = nx.Graph()
    G.add_weighted_edges_from([("hub", f"leaf{i}", i) for i in range(1, 7)])
    out["star"] = G

    # Small weighted graph with fractional weights and weighted-path ties
    # (1/2 + 1/2 == 1/1: two equally short weighted routes).
    G = nx.Graph()
    G.add_weighted_edges_from([("A", "B", 2), ("B", "C", 2), ("A", "C", 1),
                               ("C", "D", 0.5), ("D", "E", 4), ("C", "E", 0.25),
                               ("E", "F", 1.5), ("F", "G", 3), ("G", "H", 1),
                               ("E", "H", 0.75), ("B", "H", 1 / 3)])
    out["weighted"] = G

    # Ties in rank: the barbell is symmetric, so nodes share values.
    out["ties"] = relabel(nx.barbell_graph(4, 2))

    # A grid: many equally short paths (sigma > 1 everywhere).
    G = nx.grid_2d_graph(4, 5)
    out["grid"] = nx.relabel_nodes(G, {v: f"{v[0]}-{v[1]}" for v in G})

    # Zachary's karate club with NetworkX's edge weights and 'club' split.
    out["karate"] = relabel(nx.karate_club_graph())

    # Les Miserables co-appearances (weighted).
    out["lesmis"] = nx.les_miserables_graph()

    # Random graph, fixed seeds, integer weights; it has isolated nodes.
    G = relabel(nx.gnm_random_graph(80, 160, seed=42))
    rnd = random.Random(7)
    for u, v, d in G.edges(data=True):
        d["weight"] = rnd.randint(1, 5)
    out["random"] = G

    # A real network: the H2020 projects with an Indian partner, projected
    # onto their organisations (weight = shared projects, full counting).
    G = h2020_india()
    if G is not None:
        out["h2020_india"] = G
    return out


def h2020_india():
    """Organisations of the H2020 projects that have a partner in India (IN).

    Data: CORDIS H2020 participations (c) European Union, reuse authorised
    with attribution, via ../shared/datasets/h2020 (see its README). Returns
    None, and says so, when the file is absent: the committed fixture stays.
    """
    if not os.path.exists(H2020):
        print(f"h2020_india: {H2020} not found, fixture not regenerated", file=sys.stderr)
        return None
    groups = {}
    with gzip.open(H2020, "rt", newline="") as f:
        for row in csv.DictReader(f):
            if row["rcn"] and row["pic"]:
                groups.setdefault(row["rcn"], []).append((row["pic"], row["country"]))
    G = nx.Graph()
    for rcn in sorted(groups):
        members = groups[rcn]
        if not any(c == "IN" for _, c in members):
            continue
        pics = sorted({p for p, _ in members})
        G.add_nodes_from(pics)
        for a in range(len(pics)):
            for b in range(a + 1, len(pics)):
                u, v = pics[a], pics[b]
                w = G.edges[u, v]["weight"] + 1 if G.has_edge(u, v) else 1
                G.add_edge(u, v, weight=w)
    return G


def exact_distance(w):
    """1/w as a rational. Weights are counts or sums of 1/(k-1) (fractional
    counting): limit_denominator recovers the rational the float stands for,
    so 1/3 written as 0.333... is the length 3, as intended."""
    return 1 / Fraction(w).limit_denominator(10**6)


def exact_weighted_betweenness(G, sources=None):
    """Brandes' betweenness with distance 1/w in exact rational arithmetic:
    two routes are equally short exactly when their lengths are equal as
    fractions. Normalised as nx.betweenness_centrality(normalized=True),
    with NetworkX's own rescaling; sources (pivots) as its k/seed sample."""
    from networkx.algorithms.centrality.betweenness import _rescale
    nodes = list(G.nodes())
    length = {}
    for u, v, d in G.edges(data=True):
        length[u, v] = length[v, u] = exact_distance(d["weight"])
    bc = dict.fromkeys(nodes, Fraction(0))
    order_of = {v: i for i, v in enumerate(nodes)}
    for s in (nodes if sources is None else sources):
        dist, sigma, preds, order = {s: Fraction(0)}, {s: 1}, {s: []}, []
        done = set()
        heap = [(Fraction(0), order_of[s], s)]
        while heap:
            d, _, v = heapq.heappop(heap)
            if v in done or d > dist[v]:
                continue
            done.add(v)
            order.append(v)
            for w in G[v]:
                alt = d + length[v, w]
                if w not in dist or alt < dist[w]:
                    dist[w], sigma[w], preds[w] = alt, sigma[v], [v]
                    heapq.heappush(heap, (alt, order_of[w], w))
                elif alt == dist[w] and w not in done:
                    sigma[w] += sigma[v]
                    preds[w].append(v)
        delta = dict.fromkeys(order, Fraction(0))
        for w in reversed(order):
            for v in preds[w]:
                delta[v] += Fraction(sigma[v], sigma[w]) * (1 + delta[w])
            if w != s:
                bc[w] += delta[w]
    raw = {v: float(x) for v, x in bc.items()}  # exact sums, one rounding
    return _rescale(raw, len(nodes), normalized=True, directed=False, endpoints=False,
                    sampled_nodes=sources)


def path_measures(G, weighted):
    dist = "distance" if weighted else None
    return {
        "betweenness": nx.betweenness_centrality(G, normalized=True, weight=dist),
        "closeness": nx.closeness_centrality(G, distance=dist, wf_improved=True),
        "harmonic": nx.harmonic_centrality(G, distance=dist),
    }


def sampled(G, k, seed):
    # nx.betweenness_centrality(k, seed) draws random.Random(seed).sample(
    # list(G), k); we draw the same list so the Go test can use it.
    sources = random.Random(seed).sample(list(G.nodes()), k)
    res = {"k": k, "seed": seed, "sources": sources}
    for name, dist in (("hop", None), ("weighted", "distance")):
        res[name] = nx.betweenness_centrality(G, k=k, seed=seed, normalized=True, weight=dist)
    return res


def partitions(G, name):
    parts = []
    def add(label, comms, resolution=1.0):
        member = {}
        for c, nodes in enumerate(comms):
            for v in nodes:
                member[v] = c
        parts.append({
            "name": label,
            "resolution": resolution,
            "membership": member,
            "modularity": nx.community.modularity(G, comms, weight="weight", resolution=resolution),
        })
    if G.number_of_edges() == 0:
        return parts
    if name == "karate":
        clubs = {}
        for v, d in G.nodes(data=True):
            clubs.setdefault(d["club"], set()).add(v)
        add("club", list(clubs.values()))
    comms = nx.community.louvain_communities(G, weight="weight", seed=0)
    add("nx-louvain", comms)
    add("nx-louvain-gamma0.5", comms, 0.5)
    add("components", [set(c) for c in nx.connected_components(G)])
    return parts


def igraph_check(G, exp):
    """Largest |NetworkX − igraph| per measure, igraph converted to NX conventions."""
    if ig is None:
        return None
    nodes = list(G.nodes())
    idx = {v: i for i, v in enumerate(nodes)}
    h = ig.Graph(n=len(nodes), edges=[(idx[u], idx[v]) for u, v in G.edges()])
    h.es["weight"] = [d["weight"] for _, _, d in G.edges(data=True)]
    h.es["distance"] = [d["distance"] for _, _, d in G.edges(data=True)]
    n = len(nodes)
    diff = {}

    def md(name, nxvals, igvals):
        diff[name] = max((abs(nxvals[v] - igvals[idx[v]]) for v in nodes), default=0.0)

    pairs = (n - 1) * (n - 2) / 2 if n > 2 else 1
    for mode, w in (("hop", None), ("weighted", "distance")):
        e = exp[mode]
        md(mode + ".betweenness", e["betweenness"], [b / pairs for b in h.betweenness(weights=w)])
        # igraph closeness ignores unreachable nodes: no Wasserman–Faust factor.
        cl = h.closeness(weights=w)
        comp = h.connected_components().membership
        size = {c: comp.count(c) for c in set(comp)}
        wf = [0.0 if (c != c) else c * (size[comp[i]] - 1) / (n - 1) for i, c in enumerate(cl)]
        md(mode + ".closeness", e["closeness"], wf)
        md(mode + ".harmonic", e["harmonic"],
           [x * (n - 1) for x in h.harmonic_centrality(weights=w, normalized=True)])
    # igraph's PageRank is the exact solution (PRPACK), its eigenvector
    # centrality ARPACK's; NetworkX iterates to TOL. They must agree.
    md("pagerank", exp["pagerank"], igraph_pagerank(h, nodes))
    ev = igraph_eigenvector(h, nodes)
    if exp["eigenvector"] is not None and ev is not None:
        md("eigenvector", exp["eigenvector"], [ev[v] for v in nodes])
    if "weighted_exact" in exp:
        md("weighted.betweenness(exact)", exp["weighted_exact"]["betweenness"],
           [b / pairs for b in h.betweenness(weights="distance")])
    # igraph's weighted local transitivity is Barrat's, not Onnela's.
    md("clustering", exp["clustering"], h.transitivity_local_undirected(mode="zero"))
    md("clustering_weighted(barrat)", exp["clustering_weighted"],
       h.transitivity_local_undirected(mode="zero", weights="weight"))
    return diff


def igraph_graph(G):
    nodes = list(G.nodes())
    idx = {v: i for i, v in enumerate(nodes)}
    h = ig.Graph(n=len(nodes), edges=[(idx[u], idx[v]) for u, v in G.edges()])
    h.es["weight"] = [d["weight"] for _, _, d in G.edges(data=True)]
    return h, nodes


def igraph_pagerank(h, nodes):
    return h.pagerank(weights="weight", implementation="prpack")


def igraph_eigenvector(h, nodes):
    """igraph's eigenvector centrality (ARPACK) scaled to unit length. On a
    disconnected graph igraph warns and returns the dominant eigenvector of
    the whole graph (zero outside the component with the largest
    eigenvalue), the limit of the power iteration too; the agreement check
    below would catch a tie between components."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ev = h.eigenvector_centrality(weights="weight", scale=False)
    norm = math.sqrt(sum(x * x for x in ev)) or 1
    return {v: x / norm for v, x in zip(nodes, ev)}


def fixture(name, G):
    G = with_weights(G)
    exp = {
        "degree": dict(G.degree()),
        "strength": dict(G.degree(weight="weight")),
        "degree_centrality": nx.degree_centrality(G),
        "density": nx.density(G),
        "components": nx.number_connected_components(G),
        "hop": path_measures(G, False),
        "weighted": path_measures(G, True),
        "pagerank": nx.pagerank(G, alpha=0.85, weight="weight", tol=TOL, max_iter=100000),
        "clustering": nx.clustering(G),
        "clustering_weighted": nx.clustering(G, weight="weight"),
    }
    try:
        exp["eigenvector"] = nx.eigenvector_centrality(G, weight="weight", tol=TOL, max_iter=100000)
    except nx.PowerIterationFailedConvergence:
        exp["eigenvector"] = None
    if ig is not None:
        h, nodes = igraph_graph(G)
        exp["pagerank_igraph"] = dict(zip(nodes, igraph_pagerank(h, nodes)))
        exp["eigenvector_igraph"] = igraph_eigenvector(h, nodes)
        for m in ("pagerank", "eigenvector"):
            ref = exp[m + "_igraph"]
            if exp[m] is None or ref is None:
                continue
            d = max(abs(exp[m][v] - ref[v]) for v in nodes)
            if d > IGRAPH_AGREE:
                sys.exit(f"{name}: {m}: NetworkX (tol {TOL}) and igraph differ by {d:.3g} > {IGRAPH_AGREE}")
    k = max(2, G.number_of_nodes() // 4)
    exp["sampled"] = sampled(G, k, seed=1)
    if G.number_of_nodes() <= EXACT_MAX_NODES:
        exp["weighted_exact"] = {"betweenness": exact_weighted_betweenness(G)}
        exp["sampled"]["weighted_exact"] = exact_weighted_betweenness(G, exp["sampled"]["sources"])
    exp["partitions"] = partitions(G, name)
    return {
        "name": name,
        "networkx": nx.__version__,
        "igraph": ig.__version__ if ig else None,
        "nodes": list(G.nodes()),
        "edges": [[u, v, d["weight"]] for u, v, d in G.edges(data=True)],
        "expected": exp,
        "igraph_maxdiff": igraph_check(G, exp),
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, G in graphs().items():
        fx = fixture(name, G)
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            # The real network is large: one line keeps its file small.
            json.dump(fx, f, indent=1 if G.number_of_nodes() <= EXACT_MAX_NODES else None, sort_keys=True)
            f.write("\n")
        print(f"{name}: n={G.number_of_nodes()} m={G.number_of_edges()}")
        for k, v in sorted((fx["igraph_maxdiff"] or {}).items()):
            flag = "" if v < 1e-6 else "   <- differs"
            print(f"    nx vs igraph {k:32s} {v:.3g}{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
