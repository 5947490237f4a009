// name: agreements-by-field
// description: Agreements by field of cooperation (technology transfer, joint R&D, ...).
// param: field = "" -- one field, such as "joint_rd", or "" for every field
// returns: one row per field: the field (snake_case, "(not stated)" for agreements whose
//   source names no field), the number of agreements and their IDs. Most agreements first.

MATCH (ag:Agreement)
UNWIND CASE WHEN size(coalesce(ag.fields, [])) = 0 THEN ['(not stated)'] ELSE ag.fields END AS field
WITH field, ag WHERE $field = '' OR field = $field
WITH field, ag ORDER BY ag.id
RETURN field, count(ag) AS agreements, collect(ag.id) AS agreement_ids
ORDER BY agreements DESC, field
