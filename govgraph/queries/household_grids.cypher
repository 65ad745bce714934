// A household's grid memberships with their periods.
MATCH (h:Household {id: $household})-[r:IN_GRID]->(g:Grid)
RETURN g.id AS grid, r.valid_from AS valid_from, r.valid_to AS valid_to
