// Departments of an area, by the tier of the centers they are stationed at.
MATCH (d:Department)-[s:STATIONED_AT]->(c:GovernanceCenter)
WHERE d.division_code STARTS WITH $area AND s.valid_to IS NULL
RETURN c.tier AS key, count(DISTINCT d) AS n
