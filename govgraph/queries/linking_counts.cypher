// How many households under an area each party member links on $as_of, by person key (see
// grid_staff): linking_loads without the ids and names, which cost LadybugDB most of its
// time there.
MATCH (v:Village)<-[:LOCATED_IN]-(h:Household)<-[l:LINKS_HOUSEHOLD]-(p:Person)
WHERE v.id STARTS WITH $area
  AND l.valid_from <= $as_of AND (l.valid_to IS NULL OR l.valid_to >= $as_of)
RETURN p.id AS key, count(*) AS linked
