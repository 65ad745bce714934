// The households in each grid under an area on $as_of: a worker's share of a grid is its
// households over its workers (see govgraph/loads.py).
MATCH (g:Grid)<-[r:IN_GRID]-(:Household)
WHERE g.division_code STARTS WITH $area
  AND r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
RETURN g.id AS grid, count(*) AS households
