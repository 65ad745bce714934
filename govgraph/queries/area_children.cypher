// The units directly under an administrative unit, and the grids of a village.
MATCH (child)-[:PART_OF]->(parent {id: $area})
RETURN child.id AS id, child.name AS name, child.kind AS kind
UNION ALL
MATCH (g:Grid)-[:GRID_IN]->(v:Village {id: $area})
RETURN g.id AS id, g.name AS name, 'grid' AS kind
