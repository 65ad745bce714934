// People living in households under an area.
MATCH (p:Person)-[:MEMBER_OF]->(h:Household) WHERE h.division_code STARTS WITH $area
RETURN 'all' AS key, count(p) AS n
