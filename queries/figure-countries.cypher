// name: figure-countries
// description: The countries a reported figure names, with the named agreements counted in it that involve each, and the range of each country's share of its ties.
// param: figure = "iasp-2025-sino-foreign-pairs" -- the figure's ID (collabnet list figures shows them)
// returns: one row per country the figure names (its countries property): the figure, the
//   country's code and names, the agreements COUNTED_IN the figure by a stated link (evidence
//   stated or absent on the link, else on the agreement) with a party located in the country,
//   the fewest and the most of the figure's ties that can involve the country (at least 1,
//   since the figure names it, and at most its named ties plus every unnamed one), and both as
//   shares of the figure's value (low, high).

MATCH (f:ReportedFigure {id: $figure})
WHERE coalesce(f.coverage, false) AND f.value > 0
OPTIONAL MATCH (ag:Agreement)-[l:COUNTED_IN]->(f)
WHERE coalesce(l.evidence, ag.evidence, 'stated') = 'stated'
WITH f, ag ORDER BY ag.id
WITH f, collect(ag) AS named
WITH f, named, CASE WHEN f.value > size(named) THEN f.value - size(named) ELSE 0 END AS unnamed
UNWIND coalesce(f.countries, []) AS code
OPTIONAL MATCH (c:Country {code: code})
WITH f, unnamed, code, c,
     [ag IN named WHERE EXISTS { (ag)<-[:PARTY_TO]-(:Organization {country: code}) } | ag.id] AS mine
WITH f, code, c, mine,
     CASE WHEN size(mine) > 1 THEN size(mine) ELSE 1 END AS min_ties,
     CASE WHEN size(mine) + unnamed < f.value THEN size(mine) + unnamed ELSE f.value END AS max_ties
RETURN f.id AS figure, code AS country, c.name AS name, c.name_zh AS name_zh,
       mine AS named_agreements, min_ties, max_ties,
       CASE WHEN min_ties < f.value THEN toFloat(min_ties) / f.value ELSE 1.0 END AS low,
       toFloat(max_ties) / f.value AS high
ORDER BY country
