// The keys of the households under an area, through their village (see
// uncovered_households): the key is the household's id there and LadybugDB's row offset
// here.
MATCH (v:Village)<-[:LOCATED_IN]-(h:Household)
WHERE v.id STARTS WITH $area
RETURN offset(id(h)) AS key
