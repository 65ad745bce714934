// Who serves one village: the centers that serve it, the township leaders linked to it (with
// their periods) and the party organisations covering it.
MATCH (n)-[e:CENTER_SERVES|LEADER_OF|PARTY_COVERS]->(v:Village {id: $village})
RETURN label(e) AS rel, n.id AS id, n.name AS name, n.kind AS kind, n.tier AS tier,
       e.valid_from AS valid_from, e.valid_to AS valid_to
