// The division code of a household (to scope who may read it), without its members.
MATCH (h:Household {id: $household}) RETURN h.division_code AS division_code
