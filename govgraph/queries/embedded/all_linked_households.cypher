// Every household of the store that a party member links on $as_of, by household key (see
// all_household_grids). Not DISTINCT: the keys are a set where they are used.
MATCH (h:Household)<-[l:LINKS_HOUSEHOLD]-(:Person)
WHERE l.valid_from <= $as_of AND (l.valid_to IS NULL OR l.valid_to >= $as_of)
RETURN offset(id(h)) AS key
