// One household by id: the engine's floor for a question about a household (`govgraph bench`
// reports responsible and coordination as multiples of it), and how "who is responsible"
// finds a household that has no relationship at all.
MATCH (h:Household {id: $household})
RETURN h.id AS id, h.address AS address, h.division_code AS division_code
