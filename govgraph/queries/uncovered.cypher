// Households under an area that lack coverage as of a day, with every reason that applies:
// in no grid; their grid has no active worker; no party member links them; no visit since $cutoff.
MATCH (v:Village)<-[:LOCATED_IN]-(h:Household)
WHERE v.id STARTS WITH $area
OPTIONAL MATCH (h)-[r:IN_GRID]->(g:Grid)
WHERE r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
OPTIONAL MATCH (g)<-[w:GRID_WORKER_OF]-(:Person)
WHERE w.valid_from <= $as_of AND (w.valid_to IS NULL OR w.valid_to >= $as_of)
WITH h, g, count(w) AS workers
OPTIONAL MATCH (h)<-[l:LINKS_HOUSEHOLD]-(:Person)
WHERE l.valid_from <= $as_of AND (l.valid_to IS NULL OR l.valid_to >= $as_of)
WITH h, g, workers, count(l) AS linkers
OPTIONAL MATCH (h)<-[x:VISITED]-(:Person)
WHERE x.date >= $cutoff AND x.date <= $as_of
WITH h, g, workers, linkers, count(x) AS visits
WHERE g IS NULL OR workers = 0 OR linkers = 0 OR visits = 0
RETURN h.id AS household, h.division_code AS division_code, g.id AS grid,
       g IS NULL AS no_grid, (g IS NOT NULL AND workers = 0) AS no_worker,
       linkers = 0 AS no_linking_member, visits = 0 AS not_visited
ORDER BY household
