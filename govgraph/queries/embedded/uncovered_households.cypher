// The households under an area (through their village), with a key for each: the columns
// uncovered is assembled from on the embedded engine (see govgraph/coverage.py). The key is
// the household's id here and LadybugDB's row offset there (an integer, cheaper to hand over).
MATCH (v:Village)<-[:LOCATED_IN]-(h:Household)
WHERE v.id STARTS WITH $area
RETURN offset(id(h)) AS key, h.id AS household, h.division_code AS division_code
