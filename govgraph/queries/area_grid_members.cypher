// The grid memberships held on $as_of in the grids of an area, read from the grids: those
// whose division lies under the area or holds it (a township's grid, for a village). With
// the area's households (uncovered_households) they give those households' grids, save a
// grid outside the household's own village (stray_household_grids): household key, grid key.
MATCH (g:Grid)<-[r:IN_GRID]-(h:Household)
WHERE (g.division_code STARTS WITH $area OR $area STARTS WITH g.division_code)
  AND r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
RETURN h.id AS key, g.id AS grid
