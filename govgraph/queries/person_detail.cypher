// One person's properties and household: ID number and phone as stored (masked), with their
// sealed values for a reader allowed to see them in full.
MATCH (p:Person {id: $person})
OPTIONAL MATCH (p)-[:MEMBER_OF]->(h:Household)
RETURN p.id AS id, p.name AS name, p.gender AS gender, p.birth_year AS birth_year,
       p.id_number AS id_number, p.phone AS phone, p.party_member AS party_member,
       p.occupation AS occupation, p.division_code AS division_code, h.id AS household,
       p.id_number_sealed AS id_number_sealed, p.phone_sealed AS phone_sealed
