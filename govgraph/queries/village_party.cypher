// The party organisations covering one village (its branch).
MATCH (o:PartyOrganization)-[:PARTY_COVERS]->(v:Village {id: $village})
RETURN o.id AS id, o.name AS name, o.kind AS kind
