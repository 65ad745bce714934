// The ids and names of the people with these keys (see grid_staff), who link households
// under an area: the overloaded members that linking_counts gave by key alone. Reached
// through the area's links, as linking_counts reached them: finding a row offset among all
// the people is a scan of every person.
MATCH (v:Village)<-[:LOCATED_IN]-(:Household)<-[:LINKS_HOUSEHOLD]-(p:Person)
WHERE v.id STARTS WITH $area AND offset(id(p)) IN $keys
RETURN DISTINCT offset(id(p)) AS key, p.id AS person, p.name AS name
