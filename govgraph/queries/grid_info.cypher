// One grid's id, level and division code.
MATCH (g:Grid {id: $grid}) RETURN g.id AS id, g.level AS level, g.division_code AS division_code
