// How many households are under an area, through their village: with household_count, whether
// the area holds the whole store (see govgraph/scope.py).
MATCH (v:Village)<-[:LOCATED_IN]-(h:Household)
WHERE v.id STARTS WITH $area
RETURN count(h) AS households
