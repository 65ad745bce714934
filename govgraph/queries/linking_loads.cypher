// Party members linking households under an area as of a day, with how many each links.
// (Grouping by the id and name rather than the node halves LadybugDB's time at county scale.)
MATCH (v:Village)<-[:LOCATED_IN]-(h:Household)<-[l:LINKS_HOUSEHOLD]-(p:Person)
WHERE v.id STARTS WITH $area
WITH p.id AS person, p.name AS name,
     count(CASE WHEN l.valid_from <= $as_of AND (l.valid_to IS NULL OR l.valid_to >= $as_of)
                THEN 1 END) AS linked
WHERE linked > 0
RETURN person, name, linked
ORDER BY person
