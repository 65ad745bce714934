// Party members who link households under an area now.
MATCH (p:Person)-[l:LINKS_HOUSEHOLD]->(h:Household)
WHERE l.valid_to IS NULL AND h.division_code STARTS WITH $area
RETURN 'all' AS key, count(DISTINCT p) AS n
