// Every grid with a grid worker on $as_of, by grid key (see grid_keys).
MATCH (g:Grid)<-[w:GRID_WORKER_OF]-(:Person)
WHERE w.valid_from <= $as_of AND (w.valid_to IS NULL OR w.valid_to >= $as_of)
RETURN DISTINCT g.id AS grid
