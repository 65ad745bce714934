// Households under an area that a party member links now.
MATCH (:Person)-[l:LINKS_HOUSEHOLD]->(h:Household)
WHERE l.valid_to IS NULL AND h.division_code STARTS WITH $area
RETURN 'all' AS key, count(DISTINCT h) AS n
