// How many households the store holds: whether an area's columns for uncovered are cheaper
// read for the whole store and then narrowed to the area (see govgraph/coverage.py).
MATCH (h:Household)
RETURN count(h) AS households
