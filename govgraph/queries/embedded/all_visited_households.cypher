// Every household of the store visited between $cutoff and $as_of, by household key (see
// all_household_grids). Not DISTINCT: the keys are a set where they are used.
MATCH (h:Household)<-[x:VISITED]-(:Person)
WHERE x.date >= $cutoff AND x.date <= $as_of
RETURN offset(id(h)) AS key
