// A few households under an area, in id order (for examples and demos).
MATCH (h:Household) WHERE h.division_code STARTS WITH $area
RETURN h.id AS id ORDER BY id LIMIT $limit
