// Distinct grid heads of grids under an area.
MATCH (p:Person)-[:GRID_HEAD_OF]->(g:Grid) WHERE g.division_code STARTS WITH $area
RETURN 'all' AS key, count(DISTINCT p) AS n
