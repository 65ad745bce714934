// The party members linking one household, with each link's period (the caller keeps those
// held on the day).
MATCH (p:Person)-[l:LINKS_HOUSEHOLD]->(h:Household {id: $household})
RETURN p.id AS id, p.name AS name, l.valid_from AS valid_from, l.valid_to AS valid_to
