// Governance centers by id, with the departments stationed at each and how.
UNWIND $centers AS center_id
MATCH (c:GovernanceCenter {id: center_id})
OPTIONAL MATCH (c)<-[s:STATIONED_AT]-(d:Department)
RETURN c.id AS center, c.name AS center_name, c.tier AS tier, d.id AS department,
       d.name AS department_name, d.kind AS kind, s.mode AS mode
ORDER BY center, department
