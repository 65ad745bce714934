// Party members linking households under an area as of a day, with how many each links.
MATCH (p:Person)-[l:LINKS_HOUSEHOLD]->(h:Household)
WHERE h.division_code STARTS WITH $area
  AND l.valid_from <= $as_of AND (l.valid_to IS NULL OR l.valid_to >= $as_of)
RETURN p.id AS person, p.name AS name, count(h) AS linked
ORDER BY person
