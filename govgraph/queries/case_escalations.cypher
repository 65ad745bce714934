// The centers a case has been taken to, in order.
MATCH (k:`Case` {id: $case_id})-[e:ESCALATED_TO]->(c:GovernanceCenter)
RETURN c.id AS center, c.name AS center_name, e.tier AS tier, e.date AS date
ORDER BY date, center
