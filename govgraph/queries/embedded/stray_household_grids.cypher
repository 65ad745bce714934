// Every grid membership, of any period, whose grid lies outside the household's village:
// the grid's division is neither the village nor above it. These are what reading an area's
// memberships from its grids (area_grid_members) cannot see; the store keeps them between
// writes. Household key, grid key (row offsets), the membership's period.
MATCH (v:Village)<-[:LOCATED_IN]-(h:Household)-[r:IN_GRID]->(g:Grid)
WHERE g.division_code IS NULL OR NOT v.id STARTS WITH g.division_code
RETURN offset(id(h)) AS key, offset(id(g)) AS grid, r.valid_from AS valid_from,
       r.valid_to AS valid_to
