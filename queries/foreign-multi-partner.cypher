// name: foreign-multi-partner
// description: Foreign organisations with more than one Chinese partner (or partners in another home country).
// param: home = "CN" -- the home country's ISO code: partners from it count, organisations outside it are foreign
// param: min = 2 -- the least number of distinct home-country partners to be listed
// returns: one row per foreign organisation (of a known country other than home): its name,
//   English name, ID and country, the number of its home-country partners, their names, and
//   the agreements it shares with them. Most partners first.

MATCH (f:Organization)-[r:PARTNER_OF]-(c:Organization)
WHERE c.country = $home AND f.country IS NOT NULL AND f.country <> $home
WITH f, c, r ORDER BY c.name
WITH f, collect(DISTINCT c.name) AS partners, sum(r.agreements) AS agreements
WHERE size(partners) >= $min
RETURN f.name AS organization, f.name_en AS name_en, f.id AS id, f.country AS country,
       size(partners) AS home_partners, partners, agreements
ORDER BY home_partners DESC, agreements DESC, id
