// Visits to a household: who, when, why; newest first.
MATCH (p:Person)-[v:VISITED]->(:Household {id: $household})
RETURN p.id AS person_id, p.name AS name, v.date AS date, v.purpose AS purpose
ORDER BY date DESC, person_id
