#!/usr/bin/env python3
"""Read a graph file with NetworkX or python-igraph and dump it as JSON.

Used by the export package tests (export/*_test.go) to check that third-party
readers see what the Go writers were given.

usage: readgraph.py {nx-graphml|igraph-graphml|nx-gexf} FILE

Output: {"reader", "version", "directed", "multigraph",
         "nodes": {id: {attr: VALUE}},
         "edges": [{"id", "source", "target", "attrs": {attr: VALUE}}]}
where VALUE is [tag, text]: tag is bool/int/float/str/none/dict and text is a
string form that survives JSON (floats as repr: 'nan', 'inf', '-inf', ...).
Exit status 3 when the reader's module is not installed.
"""
import json
import sys


def enc(v):
    if v is None:
        return ["none", None]
    if isinstance(v, bool):
        return ["bool", "true" if v else "false"]
    if isinstance(v, int):
        return ["int", str(v)]
    if isinstance(v, float):
        return ["float", repr(v)]
    if isinstance(v, str):
        return ["str", v]
    if isinstance(v, dict):
        return ["dict", {str(k): enc(x) for k, x in v.items()}]
    return ["other", repr(v)]


def nx_dump(G, reader, version):
    out = {
        "reader": reader,
        "version": version,
        "directed": G.is_directed(),
        "multigraph": G.is_multigraph(),
        "nodes": {},
        "edges": [],
    }
    for n, d in G.nodes(data=True):
        out["nodes"][str(n)] = {str(k): enc(v) for k, v in d.items()}
    if G.is_multigraph():
        it = ((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True))
    else:
        it = ((u, v, None, d) for u, v, d in G.edges(data=True))
    for u, v, k, d in it:
        d = dict(d)
        eid = d.pop("id", None)
        if k is not None:
            eid = k
        out["edges"].append(
            {
                "id": None if eid is None else str(eid),
                "source": str(u),
                "target": str(v),
                "attrs": {str(a): enc(x) for a, x in d.items()},
            }
        )
    return out


def main():
    mode, path = sys.argv[1], sys.argv[2]
    try:
        if mode.startswith("nx-"):
            import networkx as nx
        else:
            import igraph
    except ImportError as e:
        print(f"missing module: {e}", file=sys.stderr)
        sys.exit(3)

    if mode == "nx-graphml":
        out = nx_dump(nx.read_graphml(path), "networkx", nx.__version__)
    elif mode == "nx-gexf":
        try:
            G = nx.read_gexf(path, version="1.3")
        except nx.NetworkXError as e:
            if "Unknown GEXF version" in str(e):
                # GEXF 1.3 support arrived in NetworkX 3.6 (networkx PR #8196).
                print(f"networkx {nx.__version__} cannot read GEXF 1.3 ({e}); need networkx >= 3.6", file=sys.stderr)
                sys.exit(3)
            raise
        out = nx_dump(G, "networkx", nx.__version__)
    elif mode == "igraph-graphml":
        g = igraph.Graph.Read_GraphML(path)
        out = {
            "reader": "igraph",
            "version": igraph.__version__,
            "directed": g.is_directed(),
            "multigraph": any(g.is_multiple()),
            "nodes": {},
            "edges": [],
        }
        for v in g.vs:
            a = v.attributes()
            vid = a.pop("id")
            out["nodes"][vid] = {k: enc(x) for k, x in a.items()}
        for e in g.es:
            a = e.attributes()
            eid = a.pop("id", None)
            out["edges"].append(
                {
                    "id": eid,
                    "source": g.vs[e.source]["id"],
                    "target": g.vs[e.target]["id"],
                    "attrs": {k: enc(x) for k, x in a.items()},
                }
            )
    else:
        sys.exit(f"unknown mode {mode}")
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
