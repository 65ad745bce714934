// The households under an area that a party member links on $as_of, by household key (see
// uncovered_households).
MATCH (v:Village)<-[:LOCATED_IN]-(h:Household)<-[l:LINKS_HOUSEHOLD]-(:Person)
WHERE v.id STARTS WITH $area
  AND l.valid_from <= $as_of AND (l.valid_to IS NULL OR l.valid_to >= $as_of)
RETURN DISTINCT h.id AS key
