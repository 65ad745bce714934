// Who serves one township: the centers that serve it and the county leaders linked to it
// (with their periods).
MATCH (n)-[e:CENTER_SERVES|LEADER_OF]->(t:Township {id: $township})
RETURN label(e) AS rel, n.id AS id, n.name AS name, n.tier AS tier,
       e.valid_from AS valid_from, e.valid_to AS valid_to
