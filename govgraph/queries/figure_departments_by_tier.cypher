// Departments of an area, by the tier of the centers they are stationed at.
MATCH (d:Department)-[:STATIONED_AT]->(c:GovernanceCenter)
WHERE d.division_code STARTS WITH $area
RETURN c.tier AS key, count(DISTINCT d) AS n
