// The households under an area visited between $cutoff and $as_of, by household key (see
// uncovered_households). Not DISTINCT: the keys are a set where they are used (at a million
// households, a county's visits read in 28 ms without it, 37 with it).
MATCH (v:Village)<-[:LOCATED_IN]-(h:Household)<-[x:VISITED]-(:Person)
WHERE v.id STARTS WITH $area AND x.date >= $cutoff AND x.date <= $as_of
RETURN offset(id(h)) AS key
