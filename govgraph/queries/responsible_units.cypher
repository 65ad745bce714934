// The township and county above a village: their ids, names and kinds.
MATCH (c:County)<-[:PART_OF]-(t:Township)<-[:PART_OF]-(v:Village {id: $village})
RETURN t.id AS township, t.name AS township_name, t.kind AS township_kind, c.id AS county,
       c.name AS county_name, c.kind AS county_kind
