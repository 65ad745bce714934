// LadybugDB: shortest paths are written `* ALL SHORTEST`, with the relationship filter inside.
MATCH (k:`Case` {id: $case_id})-[:CONCERNS]->(h:Household)-[:LOCATED_IN]->(:Village)
      -[:PART_OF]->(:Township)-[:PART_OF]->(:County)<-[:CENTER_SERVES]-(top:GovernanceCenter)
MATCH p = (h)-[:IN_GRID|GRID_IN|CENTER_SERVES|REPORTS_TO* ALL SHORTEST 1..8
               (r, n | WHERE r.valid_to IS NULL OR r.valid_to >= $as_of)]-(top)
RETURN properties(nodes(p), 'id') AS ids, properties(nodes(p), 'name') AS names,
       length(p) AS hops
