// Cases under an area opened since a day (the report year).
MATCH (k:`Case`) WHERE k.division_code STARTS WITH $area AND k.opened >= $since
RETURN 'all' AS key, count(k) AS n
