// The grids the households under an area are in on $as_of: household key, grid key (see
// uncovered_households and grid_keys).
MATCH (v:Village)<-[:LOCATED_IN]-(h:Household)-[r:IN_GRID]->(g:Grid)
WHERE v.id STARTS WITH $area
  AND r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
RETURN offset(id(h)) AS key, offset(id(g)) AS grid
