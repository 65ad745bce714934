// Distinct leaders linked to townships under an area.
MATCH (p:Person)-[:LEADER_OF]->(t:Township) WHERE t.id STARTS WITH $area
RETURN 'all' AS key, count(DISTINCT p) AS n
