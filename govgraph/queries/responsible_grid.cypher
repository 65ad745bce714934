// The people and the party group on one grid, each with the relationship's period (the
// caller keeps those held on the day): workers with their employment, heads, volunteers,
// sunk cadres, and the party organisations covering it.
MATCH (n)-[e:GRID_WORKER_OF|GRID_HEAD_OF|VOLUNTEER_OF|SUNK_CADRE_OF|PARTY_COVERS]->(g:Grid {id: $grid})
RETURN type(e) AS rel, n.id AS id, n.name AS name, n.kind AS kind, e.employment AS employment,
       e.valid_from AS valid_from, e.valid_to AS valid_to
