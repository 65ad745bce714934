// Shortest escalation paths from a case's household through its grid, village center,
// township center to its county center; every tie is returned. Ended grid memberships
// are not walked.
MATCH (k:`Case` {id: $case_id})-[:CONCERNS]->(h:Household)-[:LOCATED_IN]->(:Village)
      -[:PART_OF]->(:Township)-[:PART_OF]->(:County)<-[:CENTER_SERVES]-(top:GovernanceCenter)
MATCH p = allShortestPaths((h)-[:IN_GRID|GRID_IN|CENTER_SERVES|REPORTS_TO*..8]-(top))
WHERE all(r IN relationships(p) WHERE r.valid_to IS NULL OR r.valid_to >= $as_of)
RETURN [n IN nodes(p) | n.id] AS ids, [n IN nodes(p) | n.name] AS names, length(p) AS hops
