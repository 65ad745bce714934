// How many households the store holds: with area_household_count, how much of the store an
// area holds (see govgraph/scope.py).
MATCH (h:Household)
RETURN count(h) AS households
