// Departments assigned to a case: lead or assist, when assigned, when (if) they reported;
// in no order (see govgraph/reads.py).
MATCH (k:`Case` {id: $case_id})-[a:ASSIGNED_TO]->(d:Department)
RETURN d.id AS department, d.name AS department_name, d.kind AS kind, a.role AS role,
       a.assigned AS assigned, a.reported AS reported
