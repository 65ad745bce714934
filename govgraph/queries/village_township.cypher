// The township a village is part of. One hop a statement: the two PART_OF hops to the
// county in one statement cost LadybugDB three times one hop (measured on 镇原县).
MATCH (t:Township)<-[:PART_OF]-(v:Village {id: $village})
RETURN t.id AS id, t.name AS name, t.kind AS kind
