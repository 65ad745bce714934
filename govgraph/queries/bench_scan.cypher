// The engine's floor for a question about an area: one scan of its households with their
// grid, counted in the engine. (`govgraph bench` reports uncovered and overloaded as
// multiples of it.)
MATCH (h:Household)-[:IN_GRID]->(:Grid)
WHERE h.division_code STARTS WITH $area
RETURN count(*) AS households
