// Governance centers by id, with the departments stationed at each and how.
MATCH (c:GovernanceCenter)
WHERE c.id IN $centers
OPTIONAL MATCH (c)<-[s:STATIONED_AT]-(d:Department)
RETURN c.id AS center, c.name AS center_name, c.tier AS tier, d.id AS department,
       d.name AS department_name, d.kind AS kind, s.mode AS mode
ORDER BY center, department
