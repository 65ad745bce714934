// Shortest escalation paths for a household in no grid: from its village to the county center.
MATCH (k:`Case` {id: $case_id})-[:CONCERNS]->(h:Household)-[:LOCATED_IN]->(:Village)
      -[:PART_OF]->(:Township)-[:PART_OF]->(:County)<-[:CENTER_SERVES]-(top:GovernanceCenter)
MATCH p = allShortestPaths((h)-[:LOCATED_IN|CENTER_SERVES|REPORTS_TO*..8]-(top))
RETURN [n IN nodes(p) | n.id] AS ids, [n IN nodes(p) | n.name] AS names, length(p) AS hops
