// Whether a household exists (its id), to tell "not found" from "nobody responsible".
MATCH (h:Household {id: $household}) RETURN h.id AS id
