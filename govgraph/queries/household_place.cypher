// A household's village and its grid memberships with their periods, in one statement: a row
// for each membership (and each village, of which a household has one), none for a household
// in no village or no grid (then household_village and household_grids, apart). "Who is
// responsible" on the embedded engine starts here (govgraph/responsibility.py): 0.089 ms on
// 镇原县 against 0.183 for the two statements it stands for, measured back to back.
// Anchored in the middle: LadybugDB starts from the household's primary key and follows each
// relationship from there.
MATCH (v:Village)<-[:LOCATED_IN]-(h:Household {id: $household})-[r:IN_GRID]->(g:Grid)
RETURN h.address AS address, h.division_code AS division_code, v.id AS id, v.name AS name,
       v.kind AS kind, g.id AS grid, g.name AS grid_name, r.valid_from AS valid_from,
       r.valid_to AS valid_to
