// The centers that serve one county.
MATCH (n:GovernanceCenter)-[:CENTER_SERVES]->(c:County {id: $county})
RETURN n.id AS id, n.name AS name, n.tier AS tier
