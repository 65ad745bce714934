// Escalation paths from a household (a case's): the household → its grid → village → village center → (township
// center →) the center of its county. The question keeps the shortest of them, every tie.
// Written as fixed shapes rather than a shortest-path search: the same paths (checked against
// networkx's all_shortest_paths), found by a few index hops instead of a search of the graph.
MATCH (h:Household {id: $household})-[r:IN_GRID]->(g:Grid)-[:GRID_IN]->(v:Village)<-[:CENTER_SERVES]-(vc:GovernanceCenter)
      -[:REPORTS_TO]->(tc:GovernanceCenter)-[:REPORTS_TO]->(top:GovernanceCenter)
      -[:CENTER_SERVES]->(:County)
WHERE r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
RETURN [h.id, g.id, v.id, vc.id, tc.id, top.id] AS ids,
       [h.address, g.name, v.name, vc.name, tc.name, top.name] AS names
UNION ALL
MATCH (h:Household {id: $household})-[r:IN_GRID]->(g:Grid)-[:GRID_IN]->(v:Village)<-[:CENTER_SERVES]-(vc:GovernanceCenter)
      -[:REPORTS_TO]->(top:GovernanceCenter)-[:CENTER_SERVES]->(:County)
WHERE r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
RETURN [h.id, g.id, v.id, vc.id, top.id] AS ids,
       [h.address, g.name, v.name, vc.name, top.name] AS names
