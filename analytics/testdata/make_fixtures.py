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

import json
import math
import os
import random
import sys

import networkx as nx

try:
    import igraph as ig
except ImportError:  # igraph is only used for the cross-check table
    ig = None

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


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
    return out


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
    # igraph's PageRank is the exact solution (PRPACK); NetworkX stops at tol.
    md("pagerank", exp["pagerank"], h.pagerank(weights="weight"))
    if exp["eigenvector"] is not None:
        ev = h.eigenvector_centrality(weights="weight", scale=False)
        norm = math.sqrt(sum(x * x for x in ev)) or 1
        md("eigenvector", exp["eigenvector"], [x / norm for x in ev])
    # igraph's weighted local transitivity is Barrat's, not Onnela's.
    md("clustering", exp["clustering"], h.transitivity_local_undirected(mode="zero"))
    md("clustering_weighted(barrat)", exp["clustering_weighted"],
       h.transitivity_local_undirected(mode="zero", weights="weight"))
    return diff


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
        "pagerank": nx.pagerank(G, alpha=0.85, weight="weight"),
        "clustering": nx.clustering(G),
        "clustering_weighted": nx.clustering(G, weight="weight"),
    }
    try:
        exp["eigenvector"] = nx.eigenvector_centrality(G, weight="weight")
    except nx.PowerIterationFailedConvergence:
        exp["eigenvector"] = None
    k = max(2, G.number_of_nodes() // 4)
    exp["sampled"] = sampled(G, k, seed=1)
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
            json.dump(fx, f, indent=1, sort_keys=True)
            f.write("\n")
        print(f"{name}: n={G.number_of_nodes()} m={G.number_of_edges()}")
        for k, v in sorted((fx["igraph_maxdiff"] or {}).items()):
            flag = "" if v < 1e-6 else "   <- differs"
            print(f"    nx vs igraph {k:32s} {v:.3g}{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
