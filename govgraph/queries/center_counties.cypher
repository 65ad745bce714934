// The counties a governance center serves (none for a village or township center): an
// escalation path ends at a center that serves one.
MATCH (k:County)<-[:CENTER_SERVES]-(:GovernanceCenter {id: $center})
RETURN k.id AS county
