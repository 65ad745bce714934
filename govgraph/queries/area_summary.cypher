// Headline counts for an area as of a day, one row per measure.
MATCH (h:Household) WHERE h.division_code STARTS WITH $area
RETURN 'households' AS measure, count(h) AS n
UNION ALL
MATCH (p:Person)-[:MEMBER_OF]->(h:Household) WHERE h.division_code STARTS WITH $area
RETURN 'people' AS measure, count(p) AS n
UNION ALL
MATCH (g:Grid) WHERE g.division_code STARTS WITH $area
RETURN 'grids' AS measure, count(g) AS n
UNION ALL
MATCH (p:Person)-[w:GRID_WORKER_OF]->(g:Grid)
WHERE g.division_code STARTS WITH $area
  AND w.valid_from <= $as_of AND (w.valid_to IS NULL OR w.valid_to >= $as_of)
RETURN 'grid_workers' AS measure, count(DISTINCT p) AS n
UNION ALL
MATCH (p:Person)-[l:LINKS_HOUSEHOLD]->(h:Household)
WHERE h.division_code STARTS WITH $area
  AND l.valid_from <= $as_of AND (l.valid_to IS NULL OR l.valid_to >= $as_of)
RETURN 'linking_party_members' AS measure, count(DISTINCT p) AS n
UNION ALL
MATCH (k:`Case`) WHERE k.division_code STARTS WITH $area AND k.opened <= $as_of
  AND (k.closed IS NULL OR k.closed > $as_of)
RETURN 'open_cases' AS measure, count(k) AS n
UNION ALL
MATCH (k:`Case`) WHERE k.division_code STARTS WITH $area AND k.closed <= $as_of
RETURN 'closed_cases' AS measure, count(k) AS n
UNION ALL
MATCH (h:Household)-[r:IN_GRID]->(g:Grid)<-[w:GRID_WORKER_OF]-(:Person)
WHERE h.division_code STARTS WITH $area
// the validity filters stay behind WITH: LadybugDB 0.22 pushed into this scan drops rows
WITH h, r, w
WHERE r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
  AND w.valid_from <= $as_of AND (w.valid_to IS NULL OR w.valid_to >= $as_of)
RETURN 'households_with_worker' AS measure, count(DISTINCT h) AS n
