// The governance centers serving a village (where a case on its households is taken in),
// in no order: govgraph/reads.py orders them (an ORDER BY cost LadybugDB more than the
// statement).
MATCH (c:GovernanceCenter)-[:CENTER_SERVES]->(:Village {id: $village})
RETURN c.id AS center, c.tier AS tier, c.name AS name
