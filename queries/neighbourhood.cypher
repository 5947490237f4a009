// name: neighbourhood
// description: An organisation's two-hop neighbourhood, for Browser's graph view.
// param: org = "中关村工业互联网产业园" -- a name, alias, English name or ID, in either script
// returns: paths of one or two relationships from the organisation: its agreements, partners,
//   parent and units, visitors, country, and one step further (the events, programmes and
//   reported figures of its agreements, its partners' countries, its sister units). Citations
//   (SOURCED_FROM) are left out, and paths do not run on through a country, which would
//   bring in every organisation of it. Run in Browser and open the Graph view.

// The organisation is found as in the partners query.
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
MATCH p = (o)-[*1..2]-()
WHERE none(r IN relationships(p) WHERE type(r) = 'SOURCED_FROM')
  AND (length(p) = 1 OR NOT nodes(p)[1]:Country)
RETURN p AS path
