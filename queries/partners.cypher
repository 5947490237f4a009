// name: partners
// description: The partners of an organisation, found by any of its names (either script, aliases, English).
// param: org = "中关村工业互联网产业园" -- a name, alias, English name or ID, in either script
// returns: one row per partner: the organisation matched, the partner (name, English name,
//   ID, country, kind), how many agreements they share and the IDs of those agreements (via).
//   An organisation found without partners gives one row with empty partner columns.

// Find the organisation through the full-text index `names` (CJK analyzer over
// name, name_en and search_names, which holds aliases and traditional forms).
// The text is searched as one Lucene phrase: backslashes and double quotes are
// escaped, so any text is safe. A name equal to the text (or an ID) wins over
// names that merely contain it: "中关村" is 中关村科技园区, not every 中关村 park.
CALL db.index.fulltext.queryNodes('names', '"' + replace(replace($org, '\\', '\\\\'), '"', '\\"') + '"')
  YIELD node
WHERE node:Organization
WITH collect(node) AS found
OPTIONAL MATCH (byId:Organization {id: $org})
WITH found + CASE WHEN byId IS NULL THEN [] ELSE [byId] END AS found
WITH found, [o IN found WHERE toLower(trim($org)) IN
  [n IN [o.id, o.name, o.name_en] + split(coalesce(o.search_names, ''), ' | ') WHERE n IS NOT NULL | toLower(n)]] AS exact
UNWIND CASE WHEN size(exact) > 0 THEN exact ELSE found END AS o
WITH DISTINCT o
OPTIONAL MATCH (o)-[r:PARTNER_OF]-(p:Organization)
RETURN o.name AS organization, o.id AS organization_id,
       p.name AS partner, p.name_en AS partner_en, p.id AS partner_id, p.country AS country, p.kind AS kind,
       r.agreements AS agreements,
       // The tie counts the agreements the two share, via lists them.
       CASE WHEN p IS NOT NULL THEN
         COLLECT { MATCH (o)-[:PARTY_TO]->(a:Agreement)<-[:PARTY_TO]-(p) RETURN a.id ORDER BY a.id } END AS via
ORDER BY organization_id, agreements DESC, partner_id
