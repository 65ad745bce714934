// Party members (residents and cadres) under an area.
MATCH (p:Person) WHERE p.party_member = true AND p.division_code STARTS WITH $area
RETURN 'all' AS key, count(p) AS n
