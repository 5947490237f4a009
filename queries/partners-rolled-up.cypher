// name: partners-rolled-up
// description: The partners of an organisation with its units counted as one (PART_OF rolled up), each partner rolled up to its own topmost parent.
// param: org = "中关村工业互联网产业园" -- a name, alias, English name or ID, in either script (a unit finds its group)
// returns: one row per partner group: the group matched (its topmost parent: name, ID), the partner's
//   topmost parent (name, English name, ID, country, kind), how many agreements the two groups
//   share and their IDs (via). A group without partners gives no row. PART_OF that loops has no
//   topmost parent, so such organisations give no row.

// Find the organisation as the partners query does.
CALL db.index.fulltext.queryNodes('names', '"' + replace(replace($org, '\\', '\\\\'), '"', '\\"') + '"')
  YIELD node
WHERE node:Organization
WITH collect(node) AS found
OPTIONAL MATCH (byId:Organization {id: $org})
WITH found + CASE WHEN byId IS NULL THEN [] ELSE [byId] END AS found
WITH found, [o IN found WHERE toLower(trim($org)) IN
  [n IN [o.id, o.name, o.name_en] + split(coalesce(o.search_names, ''), ' | ') WHERE n IS NOT NULL | toLower(n)]] AS exact
UNWIND CASE WHEN size(exact) > 0 THEN exact ELSE found END AS o
// Its topmost parent, and every unit of that parent (the group).
MATCH (o)-[:PART_OF*0..]->(grp:Organization)
WHERE NOT (grp)-[:PART_OF]->(:Organization)
WITH DISTINCT grp
MATCH (m:Organization)-[:PART_OF*0..]->(grp)
WITH grp, collect(DISTINCT m) AS members
UNWIND members AS m
MATCH (m)-[:PARTY_TO]->(a:Agreement)<-[:PARTY_TO]-(p:Organization)
WHERE NOT p IN members
MATCH (p)-[:PART_OF*0..]->(ptop:Organization)
WHERE NOT (ptop)-[:PART_OF]->(:Organization)
WITH grp, ptop, collect(DISTINCT a.id) AS via
RETURN grp.name AS organization, grp.id AS organization_id,
       ptop.name AS partner, ptop.name_en AS partner_en, ptop.id AS partner_id, ptop.country AS country, ptop.kind AS kind,
       size(via) AS agreements, [v IN via | v] AS via
ORDER BY organization_id, agreements DESC, partner_id
