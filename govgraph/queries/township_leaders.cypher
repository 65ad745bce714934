// The county leaders linked to one township, with each link's period (the caller keeps
// those held on the day).
MATCH (p:Person)-[l:LEADER_OF]->(t:Township {id: $township})
RETURN p.id AS id, p.name AS name, l.valid_from AS valid_from, l.valid_to AS valid_to
