// The households under an area that a party member links on $as_of, by household key (see
// uncovered_households). Not DISTINCT: the keys are a set where they are used (at a million
// households, a county's links read in 31 ms without it, 40 with it).
MATCH (v:Village)<-[:LOCATED_IN]-(h:Household)<-[l:LINKS_HOUSEHOLD]-(:Person)
WHERE v.id STARTS WITH $area
  AND l.valid_from <= $as_of AND (l.valid_to IS NULL OR l.valid_to >= $as_of)
RETURN offset(id(h)) AS key
