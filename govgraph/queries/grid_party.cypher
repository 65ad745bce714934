// The party organisations covering one grid (its party group).
MATCH (o:PartyOrganization)-[:PARTY_COVERS]->(g:Grid {id: $grid})
RETURN o.id AS id, o.name AS name, o.kind AS kind
