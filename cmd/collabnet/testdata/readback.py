"""Reads an export back with one reader and prints what it saw as JSON.

usage: readback.py READER FILE
READER: networkx-graphml, networkx-gexf, igraph-graphml.
Output: {"version": ..., "warnings": [...], "nodes": {id: {attr: [type, value]}}}
with type one of int, float, bool, str, other. Warnings are everything the
reader reported through Python's warnings module or wrote to stderr.
"""
import io
import json
import os
import sys
import tempfile
import warnings


def typed(v):
    if isinstance(v, bool):
        return ["bool", v]
    if isinstance(v, int):
        return ["int", v]
    if isinstance(v, float):
        return ["float", v if v == v else "NaN"]
    if isinstance(v, str):
        return ["str", v]
    return ["other", repr(v)]


def main():
    reader, path = sys.argv[1], sys.argv[2]
    out = {"warnings": [], "nodes": {}}
    # C libraries (igraph) write warnings to fd 2: catch those too.
    err = tempfile.TemporaryFile()
    saved = os.dup(2)
    os.dup2(err.fileno(), 2)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if reader.startswith("networkx"):
                import networkx as nx
                out["version"] = nx.__version__
                g = nx.read_graphml(path) if reader == "networkx-graphml" else nx.read_gexf(path)
                for n, d in g.nodes(data=True):
                    out["nodes"][str(n)] = {k: typed(v) for k, v in d.items() if k != "viz"}
            elif reader == "igraph-graphml":
                import igraph
                out["version"] = igraph.__version__
                g = igraph.Graph.Read_GraphML(path)
                names = g.vs.attributes()
                for v in g.vs:
                    d = {k: v[k] for k in names}
                    nid = d.get("id")
                    out["nodes"][str(nid)] = {k: typed(x) for k, x in d.items() if x is not None and k != "id"}
            else:
                raise SystemExit("unknown reader " + reader)
        out["warnings"] += [f"{w.category.__name__}: {w.message}" for w in caught]
    finally:
        os.dup2(saved, 2)
    err.seek(0)
    text = err.read().decode("utf-8", "replace").strip()
    if text:
        out["warnings"].append("stderr: " + text)
    json.dump(out, sys.stdout, ensure_ascii=False)


main()
