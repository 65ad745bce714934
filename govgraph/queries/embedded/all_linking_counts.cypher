// How many households each party member links on $as_of, by person key: linking_counts for
// an area that holds the whole store, without the join through its villages (see
// govgraph/scope.py).
MATCH (:Household)<-[l:LINKS_HOUSEHOLD]-(p:Person)
WHERE l.valid_from <= $as_of AND (l.valid_to IS NULL OR l.valid_to >= $as_of)
RETURN offset(id(p)) AS key, count(*) AS linked
