// Households of one grid (and its sub-grids) that lack coverage as of a day: their grid has
// no active worker; no party member links them; no visit since $cutoff.
MATCH (top:Grid {id: $grid})
MATCH (g:Grid)-[:SUBGRID_OF*0..2]->(top)
MATCH (g)<-[r:IN_GRID]-(h:Household)
WHERE r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
OPTIONAL MATCH (g)<-[w:GRID_WORKER_OF]-(:Person)
WITH h, g,
     count(CASE WHEN w.valid_from <= $as_of AND (w.valid_to IS NULL OR w.valid_to >= $as_of) THEN 1 END) AS staffed
OPTIONAL MATCH (h)<-[l:LINKS_HOUSEHOLD]-(:Person)
WITH h, g, staffed,
     count(CASE WHEN l.valid_from <= $as_of AND (l.valid_to IS NULL OR l.valid_to >= $as_of) THEN 1 END) AS linkers
OPTIONAL MATCH (h)<-[x:VISITED]-(:Person)
WITH h, g, staffed, linkers,
     count(CASE WHEN x.date >= $cutoff AND x.date <= $as_of THEN 1 END) AS visits
WHERE staffed = 0 OR linkers = 0 OR visits = 0
RETURN h.id AS household, h.division_code AS division_code, [g.id] AS grids,
       false AS no_grid, staffed = 0 AS no_worker,
       linkers = 0 AS no_linking_member, visits = 0 AS not_visited
ORDER BY household
