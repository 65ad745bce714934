// The grids every household of the store is in on $as_of: household key, grid key. When an
// area holds most of the store, one scan of the relationship, narrowed to the area's keys
// afterwards, is cheaper than joining through its villages (see govgraph/coverage.py).
MATCH (h:Household)-[r:IN_GRID]->(g:Grid)
WHERE r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
RETURN h.id AS key, g.id AS grid
