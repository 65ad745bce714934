// One person's properties (sensitive fields are masked by the caller) and household.
MATCH (p:Person {id: $person})
OPTIONAL MATCH (p)-[:MEMBER_OF]->(h:Household)
RETURN p.id AS id, p.name AS name, p.gender AS gender, p.birth_year AS birth_year,
       p.id_number AS id_number, p.phone AS phone, p.party_member AS party_member,
       p.occupation AS occupation, p.division_code AS division_code, h.id AS household
