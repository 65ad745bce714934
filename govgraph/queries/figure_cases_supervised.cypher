// Cases under early-warning supervision, opened since a day.
MATCH (k:`Case`)
WHERE k.division_code STARTS WITH $area AND k.opened >= $since AND k.supervised = true
RETURN 'all' AS key, count(k) AS n
