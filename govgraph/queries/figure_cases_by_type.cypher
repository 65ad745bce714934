// Cases under an area opened since a day, by type.
MATCH (k:`Case`) WHERE k.division_code STARTS WITH $area AND k.opened >= $since
RETURN k.type AS key, count(k) AS n
