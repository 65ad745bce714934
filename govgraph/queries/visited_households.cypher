// The households under an area visited between $cutoff and $as_of, by household key (see
// uncovered_households).
MATCH (v:Village)<-[:LOCATED_IN]-(h:Household)<-[x:VISITED]-(:Person)
WHERE v.id STARTS WITH $area AND x.date >= $cutoff AND x.date <= $as_of
RETURN DISTINCT h.id AS key
