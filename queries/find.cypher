// name: find
// description: Find organisations, countries, events and programmes by any of their names.
// param: text = "中关村" -- any part of a name, alias or English name, in either script
// returns: one row per node found: its label, ID (or country code), name, English name and
//   the full-text score, best first. Use the IDs with the other queries.

CALL db.index.fulltext.queryNodes('names', '"' + replace(replace($text, '\\', '\\\\'), '"', '\\"') + '"')
  YIELD node, score
RETURN [l IN labels(node) WHERE l IN ['Organization', 'Country', 'Event', 'Programme']][0] AS label,
       coalesce(node.id, node.code) AS id, node.name AS name, node.name_en AS name_en, score
ORDER BY score DESC, id
