// The governance centers serving one township.
MATCH (n:GovernanceCenter)-[:CENTER_SERVES]->(t:Township {id: $township})
RETURN n.id AS id, n.name AS name, n.tier AS tier
