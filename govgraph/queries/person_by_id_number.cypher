// The people whose ID number has this blind index (an HMAC under the store's key: the
// number itself is never in the store), with their household.
MATCH (p:Person {id_number_index: $blind})
OPTIONAL MATCH (p)-[:MEMBER_OF]->(h:Household)
RETURN p.id AS id, p.name AS name, p.division_code AS division_code, h.id AS household
ORDER BY id
