// The county a township is part of.
MATCH (c:County)<-[:PART_OF]-(t:Township {id: $township})
RETURN c.id AS id, c.name AS name, c.kind AS kind
