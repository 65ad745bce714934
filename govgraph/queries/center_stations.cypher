// Governance centers by id, with the departments stationed at each on $as_of and how
// (a station from before periods were kept has no first day: it holds).
UNWIND $centers AS center_id
MATCH (c:GovernanceCenter {id: center_id})
OPTIONAL MATCH (c)<-[s:STATIONED_AT]-(d:Department)
WHERE (s.valid_from IS NULL OR s.valid_from <= $as_of)
  AND (s.valid_to IS NULL OR s.valid_to >= $as_of)
RETURN c.id AS center, c.name AS center_name, c.tier AS tier, d.id AS department,
       d.name AS department_name, d.kind AS kind, s.mode AS mode
ORDER BY center, department
