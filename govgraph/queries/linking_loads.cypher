// Party members linking households under an area as of a day, with how many each links.
MATCH (v:Village)<-[:LOCATED_IN]-(h:Household)<-[l:LINKS_HOUSEHOLD]-(p:Person)
WHERE v.id STARTS WITH $area
WITH p, count(CASE WHEN l.valid_from <= $as_of AND (l.valid_to IS NULL OR l.valid_to >= $as_of)
                   THEN 1 END) AS linked
WHERE linked > 0
RETURN p.id AS person, p.name AS name, linked
ORDER BY person
