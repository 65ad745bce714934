// One household with its village and its members: ID numbers and phones as stored (masked),
// with their sealed values for a reader allowed to see them in full.
MATCH (h:Household {id: $household})-[:LOCATED_IN]->(v:Village)
OPTIONAL MATCH (p:Person)-[m:MEMBER_OF]->(h)
RETURN h.id AS id, h.address AS address, h.size AS size, h.tags AS tags,
       h.division_code AS division_code, v.name AS village, p.id AS person, p.name AS name,
       m.relation AS relation, p.gender AS gender, p.birth_year AS birth_year,
       p.id_number AS id_number, p.phone AS phone, p.id_number_sealed AS id_number_sealed,
       p.phone_sealed AS phone_sealed
ORDER BY person
