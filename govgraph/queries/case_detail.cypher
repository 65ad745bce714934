// One case, with the household it concerns.
MATCH (k:`Case` {id: $case_id})
RETURN k.id AS case_id, k.type AS type, k.tier AS tier, k.status AS status, k.opened AS opened,
       k.due AS due, k.closed AS closed, k.outcome AS outcome, k.summary AS summary,
       k.division_code AS division_code
