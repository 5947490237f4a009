// name: country-matrix
// description: The country-to-country tie matrix: organisation ties aggregated by country pair.
// param: countries = [] -- ISO codes to keep, such as ["CN", "DE"], or [] for every country
// returns: one row per pair of countries (A <= B by code, A = B for domestic ties): the codes
//   and English names, the number of organisation ties (PARTNER_OF) between them and the
//   number of agreements behind those ties (the weight of the analytics' country network).
//   Organisations of unknown country are left out.

MATCH (ca:Country)<-[:LOCATED_IN]-(:Organization)-[r:PARTNER_OF]->(:Organization)-[:LOCATED_IN]->(cb:Country)
WITH r, CASE WHEN ca.code <= cb.code THEN [ca, cb] ELSE [cb, ca] END AS pair
WITH pair[0] AS c1, pair[1] AS c2, count(r) AS ties, sum(r.agreements) AS agreements
WHERE size($countries) = 0 OR (c1.code IN $countries AND c2.code IN $countries)
RETURN c1.code AS country_a, c1.name AS name_a, c2.code AS country_b, c2.name AS name_b, ties, agreements
ORDER BY agreements DESC, ties DESC, country_a, country_b
