// name: shortest-path
// description: The shortest collaboration path between two organisations, over PARTNER_OF ties.
// param: from = "中关村工业互联网产业园" -- the first organisation: a name, alias, English name or ID
// param: to = "Seoul Business Agency" -- the second organisation, found the same way
// returns: one row per pair of organisations matched (usually one pair): from, to, the number
//   of hops, the names along the path and the path itself (for Browser's graph view). No row
//   when they are not connected within 15 hops.

// Each end is found as in the partners query: the full-text index `names`,
// an equal name (or ID) winning over names that merely contain the text.
CALL db.index.fulltext.queryNodes('names', '"' + replace(replace($from, '\\', '\\\\'), '"', '\\"') + '"')
  YIELD node
WHERE node:Organization
WITH collect(node) AS found
OPTIONAL MATCH (byId:Organization {id: $from})
WITH found + CASE WHEN byId IS NULL THEN [] ELSE [byId] END AS found
WITH found, [o IN found WHERE toLower(trim($from)) IN
  [n IN [o.id, o.name, o.name_en] + split(coalesce(o.search_names, ''), ' | ') WHERE n IS NOT NULL | toLower(n)]] AS exact
WITH CASE WHEN size(exact) > 0 THEN exact ELSE found END AS froms

CALL db.index.fulltext.queryNodes('names', '"' + replace(replace($to, '\\', '\\\\'), '"', '\\"') + '"')
  YIELD node
WHERE node:Organization
WITH froms, collect(node) AS found
OPTIONAL MATCH (byId:Organization {id: $to})
WITH froms, found + CASE WHEN byId IS NULL THEN [] ELSE [byId] END AS found
WITH froms, found, [o IN found WHERE toLower(trim($to)) IN
  [n IN [o.id, o.name, o.name_en] + split(coalesce(o.search_names, ''), ' | ') WHERE n IS NOT NULL | toLower(n)]] AS exact
WITH froms, CASE WHEN size(exact) > 0 THEN exact ELSE found END AS tos

UNWIND froms AS a
UNWIND tos AS b
WITH DISTINCT a, b WHERE a <> b
MATCH p = shortestPath((a)-[:PARTNER_OF*..15]-(b))
RETURN a.name AS from, b.name AS to, length(p) AS hops, [n IN nodes(p) | n.name] AS names, p AS path
ORDER BY hops, from, to
