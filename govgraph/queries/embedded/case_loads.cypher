// Open cases under an area on $as_of, counted per person who reported them, by person key
// (see grid_staff).
MATCH (k:`Case`)-[:REPORTED_BY]->(p:Person)
WHERE k.division_code STARTS WITH $area AND k.opened <= $as_of
  AND (k.closed IS NULL OR k.closed > $as_of)
RETURN offset(id(p)) AS key, p.id AS person, p.name AS name, count(k) AS open_cases
