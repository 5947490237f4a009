"""Independent reference values for package analysis's filters, written from
the papers and counted with pandas straight from the H2020 CSV, without
collabnet's code:

- ../../analytics/testdata/disparity_lesmis.json: the disparity filter of Serrano, Boguna &
  Vespignani (2009, PNAS 106, 6483), eq. 2 integrated numerically
  (scipy.integrate.quad) on NetworkX's weighted Les Miserables graph.
- h2020_india_norm.csv.gz: the network of the H2020 projects with an Indian
  participant, at organisation and country level: co-occurrence c_ij
  (projects shared), occurrences s_i (projects of i) and the five
  similarity measures of van Eck & Waltman (2009, JASIST 60, 1635), the
  formulas of bibliometrix's normalizeSimilarity.
- h2020_india_ego.json: the organisations and countries of that network
  (who works with India), and its number of organisation ties.
- h2020_country_years.csv: per start year, the countries present, their
  strength (full counting, international organisation ties) and rank;
  undated projects are counted apart.

Run from the repository root: scripts/make-analysis-fixtures.
"""
import gzip, itertools, json, os, sys
from collections import Counter, defaultdict

import networkx as nx
import pandas as pd
from scipy import integrate

here = os.path.dirname(os.path.abspath(__file__))
h2020 = os.path.join(here, "..", "..", "..", "shared", "datasets", "h2020", "participations.csv.gz")


def disparity():
    g = nx.les_miserables_graph()
    alpha = {}
    for u in g:
        k = g.degree(u)
        if k < 2:
            continue
        s = sum(d["weight"] for _, _, d in g.edges(u, data=True))
        for v in g[u]:
            p = g[u][v]["weight"] / s
            a = 1 - (k - 1) * integrate.quad(lambda x: (1 - x) ** (k - 2), 0, p, epsabs=1e-14, epsrel=1e-14)[0]
            key = tuple(sorted((u, v)))
            alpha[key] = min(alpha.get(key, 1.0), a)
    edges = []
    for u, v, d in g.edges(data=True):
        a, b = sorted((u, v))
        edges.append({"source": a, "target": b, "weight": d["weight"], "alpha": alpha.get((a, b), 1.0)})
    edges.sort(key=lambda e: (e["source"], e["target"]))
    kept = {str(t): sorted([[e["source"], e["target"]] for e in edges if e["alpha"] < t]) for t in (0.05, 0.2)}
    json.dump({"graph": "networkx.les_miserables_graph()", "networkx": nx.__version__, "edges": edges, "kept": kept},
              open(os.path.join(here, "..", "..", "analytics", "testdata", "disparity_lesmis.json"), "w"), indent=1, sort_keys=True)


def measures(c, si, sj):
    return {
        "association": c / (si * sj),
        "cosine": c / (si * sj) ** 0.5,
        "jaccard": c / (si + sj - c),
        "inclusion": c / min(si, sj),
        "equivalence": (c / (si * sj) ** 0.5) ** 2,
    }


def cooccurrence(groups):
    occ, co = Counter(), Counter()
    for members in groups:
        ms = sorted(set(members))
        occ.update(ms)
        co.update(itertools.combinations(ms, 2))
    return occ, co


def h2020_fixtures():
    d = pd.read_csv(h2020, dtype=str, keep_default_na=False)
    d["country"] = d["country"].replace({"EL": "GR", "UK": "GB"})
    india = set(d.loc[d.country == "IN", "rcn"])
    sub = d[d.rcn.isin(india)]
    rows = []
    for level, col in (("org", "pic"), ("country", "country")):
        groups = [g[col].tolist() for _, g in sub[sub[col] != ""].groupby("rcn")]
        occ, co = cooccurrence(groups)
        for (a, b), c in sorted(co.items()):
            r = {"level": level, "source": a, "target": b, "c": c, "si": occ[a], "sj": occ[b]}
            r.update(measures(c, occ[a], occ[b]))
            rows.append(r)
    with gzip.open(os.path.join(here, "h2020_india_norm.csv.gz"), "wt", newline="") as f:
        pd.DataFrame(rows).to_csv(f, index=False, float_format="%.17g")
    org_ties = sum(1 for r in rows if r["level"] == "org")
    json.dump({"projects": len(india), "orgs": sorted(set(sub.pic)), "countries": sorted(set(sub.country) - {""}),
               "org_ties": org_ties, "indian_orgs": sorted(set(sub.loc[sub.country == "IN", "pic"]))},
              open(os.path.join(here, "h2020_india_ego.json"), "w"), indent=0, sort_keys=True)

    # Country network per start year: strength = sum over projects of the
    # international organisation pairs (full counting).
    d["year"] = d["start_date"].str[:4]
    undated = d.loc[~d.year.str.fullmatch(r"\d{4}"), "rcn"].nunique()
    out = []
    for year, yd in d[d.year.str.fullmatch(r"\d{4}")].groupby("year"):
        strength = defaultdict(float)
        present = set(yd.country) - {""}
        for _, p in yd.groupby("rcn"):
            per = Counter(p.drop_duplicates("pic").country)
            per.pop("", None)
            n = sum(per.values())
            for c, k in per.items():
                strength[c] += k * (n - k)
        t = pd.DataFrame({"country": sorted(present)})
        t["strength"] = [strength[c] for c in t.country]
        t["rank"] = t.strength.rank(method="min", ascending=False).astype(int)
        t["year"] = year
        out.append(t)
    t = pd.concat(out)[["year", "country", "strength", "rank"]]
    with open(os.path.join(here, "h2020_country_years.csv"), "w") as f:
        f.write(f"# undated projects: {undated}\n")
        t.to_csv(f, index=False, float_format="%.17g")


disparity()
if os.path.exists(h2020):
    h2020_fixtures()
else:
    print(f"{h2020} absent: the H2020 fixtures are kept as committed", file=sys.stderr)
