// Cases under an area open as of a day, with the day they reached their current tier.
MATCH (k:`Case`)-[e:ESCALATED_TO]->(:GovernanceCenter)
WHERE k.division_code STARTS WITH $area AND k.opened <= $as_of
  AND (k.closed IS NULL OR k.closed > $as_of) AND e.date <= $as_of
RETURN k.id AS case_id, k.type AS type, k.tier AS tier, k.status AS status,
       k.opened AS opened, k.due AS due, k.division_code AS division_code,
       max(e.date) AS arrived
ORDER BY case_id
