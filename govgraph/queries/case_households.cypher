// The households a case concerns, in no order (see govgraph/reads.py).
MATCH (k:`Case` {id: $case_id})-[:CONCERNS]->(h:Household)
RETURN h.id AS household
