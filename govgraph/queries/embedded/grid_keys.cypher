// Every grid's key and id: the key is the grid's id there and LadybugDB's row offset here
// (an integer, cheaper to hand over); uncovered names a household's grids by key until it
// knows which households it answers with (see govgraph/coverage.py).
MATCH (g:Grid)
RETURN offset(id(g)) AS key, g.id AS grid
