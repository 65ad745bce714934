// The centers a case has been taken to, with the day of each, in no order (govgraph/reads.py
// puts them in the order they were reached).
MATCH (k:`Case` {id: $case_id})-[e:ESCALATED_TO]->(c:GovernanceCenter)
RETURN c.id AS center, c.name AS center_name, e.tier AS tier, e.date AS date
