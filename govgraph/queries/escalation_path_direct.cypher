// Escalation paths from a household in no grid: household → village → village
// center → (township center →) the center of its county.
MATCH (h:Household {id: $household})-[:LOCATED_IN]->(v:Village)
      <-[:CENTER_SERVES]-(vc:GovernanceCenter)-[:REPORTS_TO]->(tc:GovernanceCenter)
      -[:REPORTS_TO]->(top:GovernanceCenter)-[:CENTER_SERVES]->(:County)
RETURN [h.id, v.id, vc.id, tc.id, top.id] AS ids,
       [h.address, v.name, vc.name, tc.name, top.name] AS names
UNION ALL
MATCH (h:Household {id: $household})-[:LOCATED_IN]->(v:Village)
      <-[:CENTER_SERVES]-(vc:GovernanceCenter)-[:REPORTS_TO]->(top:GovernanceCenter)
      -[:CENTER_SERVES]->(:County)
RETURN [h.id, v.id, vc.id, top.id] AS ids, [h.address, v.name, vc.name, top.name] AS names
