// Township-level units under an area.
MATCH (t:Township) WHERE t.id STARTS WITH $area
RETURN 'all' AS key, count(t) AS n
