// Every household of the store that a party member links on $as_of, by household key (see
// all_household_grids).
MATCH (h:Household)<-[l:LINKS_HOUSEHOLD]-(:Person)
WHERE l.valid_from <= $as_of AND (l.valid_to IS NULL OR l.valid_to >= $as_of)
RETURN DISTINCT h.id AS key
