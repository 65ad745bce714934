// The village a grid divides (GRID_IN), by id and name.
MATCH (v:Village)<-[:GRID_IN]-(:Grid {id: $grid})
RETURN v.id AS id, v.name AS name
