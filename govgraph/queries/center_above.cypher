// The center a governance center reports to (the next tier up).
MATCH (:GovernanceCenter {id: $center})-[:REPORTS_TO]->(up:GovernanceCenter)
RETURN up.id AS center, up.tier AS tier
ORDER BY center
