// The center a governance center reports to (the next tier up). Anchored last: LadybugDB
// then starts from the center's primary key (see household_village). In no order: see
// govgraph/reads.py.
MATCH (up:GovernanceCenter)<-[:REPORTS_TO]-(:GovernanceCenter {id: $center})
RETURN up.id AS center, up.tier AS tier, up.name AS name
