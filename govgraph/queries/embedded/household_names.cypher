// Every household of the store with its key, id and division code: where an area holds
// most of the store, one plain scan of the label reads these faster than the join through
// the area's villages (see govgraph/coverage.py).
MATCH (h:Household)
RETURN offset(id(h)) AS key, h.id AS household, h.division_code AS division_code
