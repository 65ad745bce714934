// Headline counts for an area as of a day, one row per measure. Households are reached from
// their villages (a few index hops) rather than by scanning every household's code.
MATCH (v:Village)<-[:LOCATED_IN]-(h:Household) WHERE v.id STARTS WITH $area
RETURN 'households' AS measure, count(h) AS n
UNION ALL
MATCH (v:Village)<-[:LOCATED_IN]-(:Household)<-[:MEMBER_OF]-(p:Person)
WHERE v.id STARTS WITH $area
RETURN 'people' AS measure, count(p) AS n
UNION ALL
MATCH (g:Grid) WHERE g.division_code STARTS WITH $area
RETURN 'grids' AS measure, count(g) AS n
UNION ALL
MATCH (p:Person)-[w:GRID_WORKER_OF]->(g:Grid)
WHERE g.division_code STARTS WITH $area
WITH p, count(CASE WHEN w.valid_from <= $as_of AND (w.valid_to IS NULL OR w.valid_to >= $as_of)
                   THEN 1 END) AS serving
WHERE serving > 0
RETURN 'grid_workers' AS measure, count(p) AS n
UNION ALL
MATCH (v:Village)<-[:LOCATED_IN]-(:Household)<-[l:LINKS_HOUSEHOLD]-(p:Person)
WHERE v.id STARTS WITH $area
WITH p, count(CASE WHEN l.valid_from <= $as_of AND (l.valid_to IS NULL OR l.valid_to >= $as_of)
                   THEN 1 END) AS linked
WHERE linked > 0
RETURN 'linking_party_members' AS measure, count(p) AS n
UNION ALL
MATCH (k:`Case`) WHERE k.division_code STARTS WITH $area AND k.opened <= $as_of
  AND (k.closed IS NULL OR k.closed > $as_of)
RETURN 'open_cases' AS measure, count(k) AS n
UNION ALL
MATCH (k:`Case`) WHERE k.division_code STARTS WITH $area AND k.closed <= $as_of
RETURN 'closed_cases' AS measure, count(k) AS n
UNION ALL
MATCH (g:Grid)<-[w:GRID_WORKER_OF]-(:Person) WHERE g.division_code STARTS WITH $area
WITH g, count(CASE WHEN w.valid_from <= $as_of AND (w.valid_to IS NULL OR w.valid_to >= $as_of)
                   THEN 1 END) AS staffed
WHERE staffed > 0
MATCH (g)<-[r:IN_GRID]-(h:Household)
WITH h, count(CASE WHEN r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of)
                   THEN 1 END) AS current
WHERE current > 0
RETURN 'households_with_worker' AS measure, count(h) AS n
