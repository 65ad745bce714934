// The households a case concerns.
MATCH (k:`Case` {id: $case_id})-[:CONCERNS]->(h:Household)
RETURN h.id AS household ORDER BY household
