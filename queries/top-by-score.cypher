// name: top-by-score
// description: The top organisations (or countries) by a score that `collabnet analyze --write` stored.
// param: score = "pagerank" -- the property: degree, strength, betweenness, closeness, harmonic, pagerank, eigenvector, clustering or community
// param: label = "Organization" -- Organization (analyze --level org) or Country (--level country)
// param: limit = 10 -- how many nodes
// returns: one row per node that has the score: its ID (or country code), name, country and
//   score, highest first (ties by ID). Nothing until analyze --write has run.

MATCH (n)
WHERE $label IN labels(n) AND n[$score] IS NOT NULL
RETURN coalesce(n.id, n.code) AS id, n.name AS name, n.country AS country, n[$score] AS score
ORDER BY score DESC, id
LIMIT $limit
