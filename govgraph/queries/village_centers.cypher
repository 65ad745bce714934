// The governance centers serving a village (where a case on its households is taken in).
MATCH (c:GovernanceCenter)-[:CENTER_SERVES]->(:Village {id: $village})
RETURN c.id AS center, c.tier AS tier, c.name AS name
ORDER BY center
