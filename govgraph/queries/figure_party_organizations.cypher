// Party organizations under an area, by kind.
MATCH (o:PartyOrganization) WHERE o.division_code STARTS WITH $area
RETURN o.kind AS key, count(o) AS n
