// One governance center with the departments stationed at it and how, each with the
// station's period (the caller keeps those held on the day; a station from before periods
// were kept has no first day and holds). The embedded engine's form of center_stations.
MATCH (d:Department)-[s:STATIONED_AT]->(c:GovernanceCenter {id: $center})
RETURN c.name AS center_name, c.tier AS tier, d.id AS department, d.name AS department_name,
       d.kind AS kind, s.mode AS mode, s.valid_from AS valid_from, s.valid_to AS valid_to
