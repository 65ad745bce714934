// Grids under an area, by level (1 township, 2 village, 3 sub-grid).
MATCH (g:Grid) WHERE g.division_code STARTS WITH $area
RETURN g.level AS key, count(g) AS n
