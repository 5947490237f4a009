// name: agreement-sources
// description: The sources behind an agreement, with the paragraphs that state it.
// param: agreement = "iasp-2025-zgc-iip-seoul-sba" -- the agreement's ID (collabnet list agreements shows them)
// returns: one row per source: the agreement, the source's ID, title, publisher, date and
//   file (in shared/seeds), and the paragraph numbers (non-blank lines from 1).

MATCH (ag:Agreement {id: $agreement})-[c:SOURCED_FROM]->(s:Source)
RETURN ag.id AS agreement, s.id AS source, s.name AS title, s.publisher AS publisher, s.date AS date,
       s.file AS file, [p IN coalesce(c.paragraphs, []) | toInteger(p)] AS paragraphs
ORDER BY source
