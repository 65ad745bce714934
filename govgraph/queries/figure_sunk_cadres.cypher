// Distinct cadres sunk into grids under an area.
MATCH (p:Person)-[:SUNK_CADRE_OF]->(g:Grid) WHERE g.division_code STARTS WITH $area
RETURN 'all' AS key, count(DISTINCT p) AS n
