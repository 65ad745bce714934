// Active grid workers on grids under an area, one row per (worker, grid), with the grid's
// households and active workers as of a day: a worker's share of a grid is households / workers.
MATCH (g:Grid)<-[w:GRID_WORKER_OF]-(:Person)
WHERE g.division_code STARTS WITH $area
  AND w.valid_from <= $as_of AND (w.valid_to IS NULL OR w.valid_to >= $as_of)
WITH g, count(w) AS workers
OPTIONAL MATCH (g)<-[r:IN_GRID]-(:Household)
WITH g, workers,
     count(CASE WHEN r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of) THEN 1 END) AS households
MATCH (g)<-[w:GRID_WORKER_OF]-(p:Person)
WHERE w.valid_from <= $as_of AND (w.valid_to IS NULL OR w.valid_to >= $as_of)
RETURN p.id AS person, p.name AS name, g.id AS grid, w.employment AS employment,
       households, workers
ORDER BY person, grid
