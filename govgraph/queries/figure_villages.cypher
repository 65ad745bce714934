// Village-level units (villages, communities, gacha) under an area.
MATCH (v:Village) WHERE v.id STARTS WITH $area
RETURN 'all' AS key, count(v) AS n
