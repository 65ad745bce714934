// Every grid's key and id: the key is the grid's id here and LadybugDB's row offset there
// (an integer, cheaper to hand over); uncovered names a household's grids by key until it
// knows which households it answers with (see govgraph/coverage.py).
MATCH (g:Grid)
RETURN g.id AS key, g.id AS grid
