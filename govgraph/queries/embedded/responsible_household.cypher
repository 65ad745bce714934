// One household's own links for "who is responsible": its village, its grids and the party
// members linking it, each with the relationship's period (the caller keeps those held on the
// day). The first of responsible's anchored statements (see govgraph/responsibility.py).
// The household is written last: LadybugDB then starts from its primary key and extends
// (anchored first, the same pattern takes half as long again at a million households).
MATCH (n)-[e:LOCATED_IN|IN_GRID|LINKS_HOUSEHOLD]-(h:Household {id: $household})
RETURN h.address AS address, h.division_code AS division_code, label(e) AS rel, n.id AS id,
       n.name AS name, n.kind AS kind, e.valid_from AS valid_from, e.valid_to AS valid_to
