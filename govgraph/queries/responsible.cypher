// Everyone and everything responsible for one household, as of a day: one row per role.
// Columns: role, id, name, via (the grid, unit or organization the role is held through), detail.
MATCH (h:Household {id: $household})
RETURN 'household' AS role, h.id AS id, h.address AS name, h.division_code AS via,
       '' AS detail
UNION ALL
MATCH (h:Household {id: $household})-[r:IN_GRID]->(g:Grid)
WHERE r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
RETURN 'grid' AS role, g.id AS id, g.name AS name, h.id AS via, '' AS detail
UNION ALL
MATCH (h:Household {id: $household})-[r:IN_GRID]->(g:Grid)
WITH g, r
WHERE r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
MATCH (g)-[:SUBGRID_OF]->(p:Grid)
RETURN 'parent_grid' AS role, p.id AS id, p.name AS name, g.id AS via, '' AS detail
UNION ALL
MATCH (h:Household {id: $household})-[r:IN_GRID]->(g:Grid)
WITH g, r
WHERE r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
MATCH (g)-[:SUBGRID_OF]->(:Grid)-[:SUBGRID_OF]->(p:Grid)
RETURN 'parent_grid' AS role, p.id AS id, p.name AS name, g.id AS via, '' AS detail
UNION ALL
MATCH (h:Household {id: $household})-[r:IN_GRID]->(g:Grid)<-[w:GRID_WORKER_OF]-(p:Person)
WHERE r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
  AND w.valid_from <= $as_of AND (w.valid_to IS NULL OR w.valid_to >= $as_of)
RETURN 'grid_worker' AS role, p.id AS id, p.name AS name, g.id AS via, w.employment AS detail
UNION ALL
MATCH (h:Household {id: $household})-[r:IN_GRID]->(g:Grid)<-[w:GRID_HEAD_OF]-(p:Person)
WHERE r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
  AND w.valid_from <= $as_of AND (w.valid_to IS NULL OR w.valid_to >= $as_of)
RETURN 'grid_head' AS role, p.id AS id, p.name AS name, g.id AS via, '' AS detail
UNION ALL
MATCH (h:Household {id: $household})-[r:IN_GRID]->(:Grid)-[:SUBGRID_OF]->(g:Grid)
      <-[w:GRID_HEAD_OF]-(p:Person)
WHERE r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
  AND w.valid_from <= $as_of AND (w.valid_to IS NULL OR w.valid_to >= $as_of)
RETURN 'grid_head' AS role, p.id AS id, p.name AS name, g.id AS via, '' AS detail
UNION ALL
MATCH (h:Household {id: $household})-[r:IN_GRID]->(:Grid)-[:SUBGRID_OF]->(:Grid)
      -[:SUBGRID_OF]->(g:Grid)<-[w:GRID_HEAD_OF]-(p:Person)
WHERE r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
  AND w.valid_from <= $as_of AND (w.valid_to IS NULL OR w.valid_to >= $as_of)
RETURN 'grid_head' AS role, p.id AS id, p.name AS name, g.id AS via, '' AS detail
UNION ALL
MATCH (h:Household {id: $household})-[r:IN_GRID]->(g:Grid)<-[w:VOLUNTEER_OF]-(p:Person)
WHERE r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
  AND w.valid_from <= $as_of AND (w.valid_to IS NULL OR w.valid_to >= $as_of)
RETURN 'volunteer' AS role, p.id AS id, p.name AS name, g.id AS via, '' AS detail
UNION ALL
MATCH (h:Household {id: $household})-[r:IN_GRID]->(g:Grid)<-[w:SUNK_CADRE_OF]-(p:Person)
WHERE r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
  AND w.valid_from <= $as_of AND (w.valid_to IS NULL OR w.valid_to >= $as_of)
RETURN 'sunk_cadre' AS role, p.id AS id, p.name AS name, g.id AS via, '' AS detail
UNION ALL
MATCH (h:Household {id: $household})<-[l:LINKS_HOUSEHOLD]-(p:Person)
WHERE l.valid_from <= $as_of AND (l.valid_to IS NULL OR l.valid_to >= $as_of)
RETURN 'linking_party_member' AS role, p.id AS id, p.name AS name, h.id AS via, '' AS detail
UNION ALL
MATCH (h:Household {id: $household})-[r:IN_GRID]->(g:Grid)<-[:PARTY_COVERS]-(o:PartyOrganization)
WHERE r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
RETURN 'grid_party_group' AS role, o.id AS id, o.name AS name, g.id AS via, o.kind AS detail
UNION ALL
MATCH (h:Household {id: $household})-[r:IN_GRID]->(:Grid)<-[:PARTY_COVERS]-(o:PartyOrganization)
      <-[s:SECRETARY_OF]-(p:Person)
WHERE r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
  AND (s.valid_from IS NULL OR s.valid_from <= $as_of) AND (s.valid_to IS NULL OR s.valid_to >= $as_of)
RETURN 'grid_party_group_secretary' AS role, p.id AS id, p.name AS name, o.id AS via,
       '' AS detail
UNION ALL
MATCH (h:Household {id: $household})-[:LOCATED_IN]->(v:Village)<-[:PARTY_COVERS]-(o:PartyOrganization)
RETURN 'village_party_branch' AS role, o.id AS id, o.name AS name, v.id AS via, o.kind AS detail
UNION ALL
MATCH (h:Household {id: $household})-[:LOCATED_IN]->(v:Village)<-[:PARTY_COVERS]-(o:PartyOrganization)
      <-[s:SECRETARY_OF]-(p:Person)
WHERE (s.valid_from IS NULL OR s.valid_from <= $as_of) AND (s.valid_to IS NULL OR s.valid_to >= $as_of)
RETURN 'village_party_secretary' AS role, p.id AS id, p.name AS name, o.id AS via, '' AS detail
UNION ALL
MATCH (h:Household {id: $household})-[:LOCATED_IN]->(v:Village)
RETURN 'village' AS role, v.id AS id, v.name AS name, h.id AS via, v.kind AS detail
UNION ALL
MATCH (h:Household {id: $household})-[:LOCATED_IN]->(:Village)-[:PART_OF]->(t:Township)
RETURN 'township' AS role, t.id AS id, t.name AS name, '' AS via, t.kind AS detail
UNION ALL
MATCH (h:Household {id: $household})-[:LOCATED_IN]->(:Village)-[:PART_OF]->(:Township)
      -[:PART_OF]->(c:County)
RETURN 'county' AS role, c.id AS id, c.name AS name, '' AS via, c.kind AS detail
UNION ALL
MATCH (h:Household {id: $household})-[:LOCATED_IN]->(v:Village)<-[:CENTER_SERVES]-(c:GovernanceCenter)
RETURN 'village_center' AS role, c.id AS id, c.name AS name, v.id AS via, c.tier AS detail
UNION ALL
MATCH (h:Household {id: $household})-[:LOCATED_IN]->(:Village)-[:PART_OF]->(t:Township)
      <-[:CENTER_SERVES]-(c:GovernanceCenter)
RETURN 'township_center' AS role, c.id AS id, c.name AS name, t.id AS via, c.tier AS detail
UNION ALL
MATCH (h:Household {id: $household})-[:LOCATED_IN]->(:Village)-[:PART_OF]->(:Township)
      -[:PART_OF]->(k:County)<-[:CENTER_SERVES]-(c:GovernanceCenter)
RETURN 'county_center' AS role, c.id AS id, c.name AS name, k.id AS via, c.tier AS detail
UNION ALL
MATCH (h:Household {id: $household})-[:LOCATED_IN]->(v:Village)<-[l:LEADER_OF]-(p:Person)
WHERE l.valid_from <= $as_of AND (l.valid_to IS NULL OR l.valid_to >= $as_of)
RETURN 'township_leader' AS role, p.id AS id, p.name AS name, v.id AS via, '' AS detail
UNION ALL
MATCH (h:Household {id: $household})-[:LOCATED_IN]->(:Village)-[:PART_OF]->(t:Township)
      <-[l:LEADER_OF]-(p:Person)
WHERE l.valid_from <= $as_of AND (l.valid_to IS NULL OR l.valid_to >= $as_of)
RETURN 'county_leader' AS role, p.id AS id, p.name AS name, t.id AS via, '' AS detail
