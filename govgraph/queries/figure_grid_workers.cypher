// Distinct grid workers on grids under an area, by employment (any period).
MATCH (p:Person)-[w:GRID_WORKER_OF]->(g:Grid) WHERE g.division_code STARTS WITH $area
RETURN w.employment AS key, count(DISTINCT p) AS n
