// name: countries-by-partners
// description: Countries ranked by their number of partner organisations (organisations party to an agreement).
// param: limit = 20 -- how many countries
// returns: one row per country: its code, English and Chinese names, the number of its
//   organisations that are party to at least one agreement, the number of agreements they
//   are party to, and the countries of their partners. Ranked by organisations, then
//   agreements, then code.

MATCH (c:Country)<-[:LOCATED_IN]-(o:Organization)-[:PARTY_TO]->(ag:Agreement)
WITH c, count(DISTINCT o) AS organizations, count(DISTINCT ag) AS agreements
RETURN c.code AS country, c.name AS name, c.name_zh AS name_zh, organizations, agreements,
       COLLECT {
         MATCH (c)<-[:LOCATED_IN]-(:Organization)-[:PARTNER_OF]-(:Organization)-[:LOCATED_IN]->(pc:Country)
         WITH DISTINCT pc.code AS code ORDER BY code
         RETURN code
       } AS partner_countries
ORDER BY organizations DESC, agreements DESC, country
LIMIT $limit
