// The grid one grid belongs to (SUBGRID_OF), if any. Anchored last: with no sub-grids in the
// store, LadybugDB anchored first scans every grid (1.2 ms at 11,764 grids; this is 0.12).
MATCH (p:Grid)<-[:SUBGRID_OF]-(g:Grid {id: $grid})
RETURN p.id AS id, p.name AS name
