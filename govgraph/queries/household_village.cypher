// One household's address and division code with its village: the first of "who is
// responsible"'s anchored statements (see govgraph/responsibility.py), and where an
// escalation starts for a household in no grid. One relationship type between two labels:
// on LadybugDB a statement that binds an unlabelled node to several tables, or follows
// several types, costs more than one statement per table (measured on 镇原县: 0.16 ms for
// village, grids and linking members at once; 0.03 for each alone).
// Anchored last: LadybugDB then starts from the household's primary key.
MATCH (v:Village)<-[:LOCATED_IN]-(h:Household {id: $household})
RETURN h.address AS address, h.division_code AS division_code, v.id AS id, v.name AS name,
       v.kind AS kind
