// One grid with its area, parent grid and the people who serve it now.
MATCH (g:Grid {id: $grid})
OPTIONAL MATCH (g)-[:SUBGRID_OF]->(parent:Grid)
OPTIONAL MATCH (g)<-[w:GRID_WORKER_OF]-(p:Person)
RETURN g.id AS id, g.name AS name, g.level AS level, g.division_code AS division_code,
       parent.id AS parent, p.id AS worker, p.name AS worker_name, w.employment AS employment,
       w.valid_to AS valid_to
ORDER BY worker
