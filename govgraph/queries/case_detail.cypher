// One case with the household it concerns and the units above that household.
MATCH (k:`Case` {id: $case_id})
OPTIONAL MATCH (k)-[:CONCERNS]->(h:Household)-[:LOCATED_IN]->(v:Village)-[:PART_OF]->(t:Township)
RETURN k.id AS case_id, k.type AS type, k.tier AS tier, k.status AS status, k.opened AS opened,
       k.due AS due, k.closed AS closed, k.outcome AS outcome, k.summary AS summary,
       k.division_code AS division_code, h.id AS household, v.id AS village, t.id AS township
