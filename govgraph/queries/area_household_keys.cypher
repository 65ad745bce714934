// The keys of the households under an area, through their village (see
// uncovered_households): the key is the household's id here and LadybugDB's row offset
// there.
MATCH (v:Village)<-[:LOCATED_IN]-(h:Household)
WHERE v.id STARTS WITH $area
RETURN h.id AS key
