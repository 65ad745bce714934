// The engine's floor for a question about one household: the household looked up by id.
// (`govgraph bench` reports responsible and coordination as multiples of it.)
MATCH (h:Household {id: $household})
RETURN h.id AS id
