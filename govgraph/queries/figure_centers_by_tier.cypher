// Governance centers under an area, by tier.
MATCH (c:GovernanceCenter) WHERE c.division_code STARTS WITH $area
RETURN c.tier AS key, count(c) AS n
