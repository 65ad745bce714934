// Cases under an area opened since a day, by outcome (null while open).
MATCH (k:`Case`) WHERE k.division_code STARTS WITH $area AND k.opened >= $since
RETURN k.outcome AS key, count(k) AS n
