// The township leaders linked to one village, with each link's period (the caller keeps
// those held on the day).
MATCH (p:Person)-[l:LEADER_OF]->(v:Village {id: $village})
RETURN p.id AS id, p.name AS name, l.valid_from AS valid_from, l.valid_to AS valid_to
