// name: programme-agreements
// description: The agreements under a programme, such as the 牵手计划 pairing plan.
// param: programme = "牵手计划" -- the programme's ID, name or English name (else any programme whose name contains it)
// returns: one row per agreement: the programme matched, the agreement's ID, type and date,
//   the event it was signed at, and its parties with their countries (in the same order).

// An ID or a name equal to the text wins, else the programmes whose names
// contain it, through the full-text index `names`.
CALL db.index.fulltext.queryNodes('names', '"' + replace(replace($programme, '\\', '\\\\'), '"', '\\"') + '"')
  YIELD node
WHERE node:Programme
WITH collect(node) AS found
OPTIONAL MATCH (byId:Programme {id: $programme})
WITH found + CASE WHEN byId IS NULL THEN [] ELSE [byId] END AS found
WITH found, [p IN found WHERE toLower(trim($programme)) IN [n IN [p.id, p.name, p.name_en] WHERE n IS NOT NULL | toLower(n)]] AS exact
UNWIND CASE WHEN size(exact) > 0 THEN exact ELSE found END AS pr
WITH DISTINCT pr
MATCH (ag:Agreement)-[:UNDER]->(pr)
OPTIONAL MATCH (ag)-[:SIGNED_AT]->(e:Event)
MATCH (o:Organization)-[:PARTY_TO]->(ag)
WITH pr, ag, e, o ORDER BY o.country, o.name
WITH pr, ag, e, collect(o.name) AS parties, collect(coalesce(o.country, '')) AS countries
RETURN pr.name AS programme, ag.id AS agreement, ag.type AS type, ag.date AS date, e.name AS event,
       parties, countries
ORDER BY programme, date, agreement
