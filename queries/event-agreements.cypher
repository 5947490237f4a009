// name: event-agreements
// description: The agreements signed at an event, its sessions included.
// param: event = "iasp-2025" -- the event's ID, name or English name (else any event whose name contains it)
// returns: one row per agreement: the event matched, the event or session it was signed at,
//   the agreement's ID, type, date and programme, and its parties with their countries
//   (in the same order).

// An ID or a name equal to the text wins, else the events whose names contain
// it, through the full-text index `names`.
CALL db.index.fulltext.queryNodes('names', '"' + replace(replace($event, '\\', '\\\\'), '"', '\\"') + '"')
  YIELD node
WHERE node:Event
WITH collect(node) AS found
OPTIONAL MATCH (byId:Event {id: $event})
WITH found + CASE WHEN byId IS NULL THEN [] ELSE [byId] END AS found
WITH found, [e IN found WHERE toLower(trim($event)) IN [n IN [e.id, e.name, e.name_en] WHERE n IS NOT NULL | toLower(n)]] AS exact
UNWIND CASE WHEN size(exact) > 0 THEN exact ELSE found END AS e
WITH DISTINCT e
MATCH (ag:Agreement)-[:SIGNED_AT]->(at:Event)-[:PART_OF*0..]->(e)
OPTIONAL MATCH (ag)-[:UNDER]->(pr:Programme)
MATCH (o:Organization)-[:PARTY_TO]->(ag)
WITH e, at, ag, pr, o ORDER BY o.country, o.name
WITH e, at, ag, pr, collect(o.name) AS parties, collect(coalesce(o.country, '')) AS countries
RETURN e.name AS event, at.name AS signed_at, ag.id AS agreement, ag.type AS type, ag.date AS date,
       pr.name AS programme, parties, countries
ORDER BY event, date, agreement
