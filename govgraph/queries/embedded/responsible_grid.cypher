// The people on one grid, each with the relationship's period (the caller keeps those held
// on the day): workers with their employment, heads, volunteers and sunk cadres.
MATCH (p:Person)-[e:GRID_WORKER_OF|GRID_HEAD_OF|VOLUNTEER_OF|SUNK_CADRE_OF]->(g:Grid {id: $grid})
RETURN label(e) AS rel, p.id AS id, p.name AS name, e.employment AS employment,
       e.valid_from AS valid_from, e.valid_to AS valid_to
