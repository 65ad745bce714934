// Every household of the store visited between $cutoff and $as_of, by household key (see
// all_household_grids).
MATCH (h:Household)<-[x:VISITED]-(:Person)
WHERE x.date >= $cutoff AND x.date <= $as_of
RETURN DISTINCT h.id AS key
