// The division code of a case (to scope who may read it).
MATCH (k:`Case` {id: $case_id}) RETURN k.division_code AS division_code
