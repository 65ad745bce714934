// The secretaries of one party organisation, with their periods (a post from before periods
// were kept has no first day and counts as held).
MATCH (p:Person)-[s:SECRETARY_OF]->(o:PartyOrganization {id: $org})
RETURN p.id AS id, p.name AS name, s.valid_from AS valid_from, s.valid_to AS valid_to
