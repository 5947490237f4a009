#!/usr/bin/env python3
"""Time NetworkX's write_graphml on the synthetic benchmark graph.

usage: bench_networkx.py DIR OUT.graphml

DIR holds nodes.csv and edges.csv as written by
`go run ./export/internal/benchexport -csv DIR` (the same deterministic graph
that BenchmarkWriteGraphML writes). The graph is loaded into a MultiDiGraph
with the same typed attributes the Go writer emits (labels, name, community,
score, active, country on nodes; the relationship type as "label", weight,
agreements, year on edges; edge ids as keys); only nx.write_graphml is timed.

Prints one JSON line: write_s, peak_rss_mb (high-water mark during the write,
reset just before it via /proc/self/clear_refs), base_rss_mb (RSS before the
write, i.e. with the graph loaded), writer ("lxml" when lxml is installed:
NetworkX then streams with lxml's incremental writer; else "ElementTree":
the whole document is built in memory first), versions, bytes.
Exit status 3 when networkx is missing.
"""
import csv
import json
import os
import sys
import time

try:
    import networkx as nx
except ImportError as e:
    print(f"missing module: {e}", file=sys.stderr)
    sys.exit(3)

NODE_TYPES = {"community": int, "score": float, "active": lambda s: s == "true"}
EDGE_TYPES = {"agreements": int, "year": int, "weight": float}


def status_kb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def convert(row, types):
    return {k: types.get(k, str)(v) for k, v in row.items() if v != ""}


def main():
    d, out = sys.argv[1], sys.argv[2]
    G = nx.MultiDiGraph()
    with open(os.path.join(d, "nodes.csv"), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            nid = row.pop("id")
            G.add_node(nid, **convert(row, NODE_TYPES))
    with open(os.path.join(d, "edges.csv"), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            eid, s, t, typ = row.pop("id"), row.pop("source"), row.pop("target"), row.pop("type")
            G.add_edge(s, t, key=eid, label=typ, **convert(row, EDGE_TYPES))

    base = status_kb("VmRSS")
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
    t0 = time.perf_counter()
    nx.write_graphml(G, out)
    elapsed = time.perf_counter() - t0
    peak = status_kb("VmHWM")
    try:
        import lxml

        lxml_version = lxml.__version__
    except ImportError:
        lxml_version = None
    print(
        json.dumps(
            {
                "write_s": elapsed,
                "peak_rss_mb": peak / 1024,
                "base_rss_mb": base / 1024,
                "writer": "lxml" if lxml_version else "ElementTree",
                "networkx": nx.__version__,
                "lxml": lxml_version,
                "python": sys.version.split()[0],
                "nodes": G.number_of_nodes(),
                "edges": G.number_of_edges(),
                "bytes": os.path.getsize(out),
            }
        )
    )


if __name__ == "__main__":
    main()
