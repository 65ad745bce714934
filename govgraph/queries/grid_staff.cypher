// The grid workers on grids under an area on $as_of, one row per (worker, grid), with a key
// for each person: the id here, LadybugDB's row offset there (see govgraph/loads.py).
MATCH (g:Grid)<-[w:GRID_WORKER_OF]-(p:Person)
WHERE g.division_code STARTS WITH $area
  AND w.valid_from <= $as_of AND (w.valid_to IS NULL OR w.valid_to >= $as_of)
RETURN p.id AS key, p.id AS person, p.name AS name, g.id AS grid
