// name: figure-coverage
// description: Reported figures against the named agreements counted in them (coverage).
// param: coverage_only = true -- only figures that count agreements (coverage: true), false for every figure
// returns: one row per reported figure: its ID, what it counts, the event or programme it is
//   about, its value and unit, the number of named agreements COUNTED_IN it by a stated link
//   (evidence stated or absent on the link, else on the agreement), their share of the value
//   (named / value, for figures that count agreements), how many the sources report but do
//   not name, the named agreements' IDs, and the agreements linked by an inferred or
//   reported link (unconfirmed: not counted as named).

MATCH (f:ReportedFigure)
WHERE coalesce(f.coverage, false) OR NOT $coverage_only
OPTIONAL MATCH (f)-[:ABOUT]->(about)
OPTIONAL MATCH (ag:Agreement)-[l:COUNTED_IN]->(f)
WITH f, about, ag, coalesce(l.evidence, ag.evidence, 'stated') = 'stated' AS stated ORDER BY ag.id
WITH f, about, [x IN collect(CASE WHEN stated THEN ag.id END) WHERE x IS NOT NULL] AS named,
     [x IN collect(CASE WHEN NOT stated THEN ag.id END) WHERE x IS NOT NULL] AS unconfirmed
WITH f, about, named, unconfirmed, coalesce(f.coverage, false) AND f.value > 0 AS counts_agreements
RETURN f.id AS figure, f.name AS counts, about.name AS about, f.value AS value, f.unit AS unit,
       size(named) AS named,
       CASE WHEN counts_agreements THEN toFloat(size(named)) / f.value END AS share,
       CASE WHEN counts_agreements THEN CASE WHEN f.value > size(named) THEN f.value - size(named) ELSE 0 END END AS unnamed,
       named AS agreements, unconfirmed
ORDER BY figure
