// A household's grid memberships with their periods (and its address, for an escalation
// path's names). Anchored last: LadybugDB then starts from the household's primary key.
MATCH (g:Grid)<-[r:IN_GRID]-(h:Household {id: $household})
RETURN g.id AS grid, g.name AS name, h.address AS address, r.valid_from AS valid_from,
       r.valid_to AS valid_to
