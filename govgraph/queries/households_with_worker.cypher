// Each household in a grid with an active grid worker today, with one of those workers (the
// lowest id): who may record a visit to it. For the API load benchmark's writer.
MATCH (h:Household)-[r:IN_GRID]->(:Grid)<-[w:GRID_WORKER_OF]-(p:Person)
WHERE r.valid_to IS NULL AND w.valid_to IS NULL
RETURN h.id AS id, min(p.id) AS worker
ORDER BY id
