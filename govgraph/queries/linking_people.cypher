// The ids and names of the people with these keys (see grid_staff), who link households
// under an area: the overloaded members that linking_counts gave by key alone.
MATCH (p:Person)
WHERE p.id IN $keys
RETURN p.id AS key, p.id AS person, p.name AS name
