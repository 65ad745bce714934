// Households under an area.
MATCH (h:Household) WHERE h.division_code STARTS WITH $area
RETURN 'all' AS key, count(h) AS n
