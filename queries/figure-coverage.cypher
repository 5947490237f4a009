// name: figure-coverage
// description: Reported figures against the named agreements counted in them (coverage).
// param: coverage_only = true -- only figures that count agreements (coverage: true), false for every figure
// returns: one row per reported figure: its ID, what it counts, the event or programme it is
//   about, its value and unit, the number of named agreements COUNTED_IN it, their share of
//   the value (named / value, for figures that count agreements), how many the sources
//   report but do not name, and the named agreements' IDs.

MATCH (f:ReportedFigure)
WHERE coalesce(f.coverage, false) OR NOT $coverage_only
OPTIONAL MATCH (f)-[:ABOUT]->(about)
OPTIONAL MATCH (ag:Agreement)-[:COUNTED_IN]->(f)
WITH f, about, ag ORDER BY ag.id
WITH f, about, collect(ag.id) AS named
WITH f, about, named, coalesce(f.coverage, false) AND f.value > 0 AS counts_agreements
RETURN f.id AS figure, f.name AS counts, about.name AS about, f.value AS value, f.unit AS unit,
       size(named) AS named,
       CASE WHEN counts_agreements THEN toFloat(size(named)) / f.value END AS share,
       CASE WHEN counts_agreements THEN CASE WHEN f.value > size(named) THEN f.value - size(named) ELSE 0 END END AS unnamed,
       named AS agreements
ORDER BY figure
