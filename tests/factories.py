"""Small hand-built graphs whose answers can be checked by eye.

``kite()`` (after networkx's Krackhardt kite: small, named, every answer known):

    county 620102 ─ township 620102001 ─ villages V1 620102001001, V2 620102001002
    grids: G1, G2 in V1 (level 2); G3 in V2
    households: H1, H2 in G1; H3 in G2; H4 in G3; H5 in V1 but in no grid;
                H6 moved from G1 to G2 on 2023-06-01
    workers: W1 (full-time) serves G1 and G2 (one person, two grids);
             W2 (part-time) serves G1; W3 served G3 until 2023-03-31 (left, not replaced)
    grid head: GH heads G1, G2, G3          sunk cadre: C1 in G1
    linking party member: M1 links H1, H2, H3 (and linked H4 until 2022-12-31)
    visits (as of 2023-12-15, window 90 days): H1, H3, H4, H6 recently; H2 on 2023-05-01
    centers: village centers VC1 (serves V1) and VC1b (also serves V1: a tie),
             VC2 (V2); township TC; county KC; all report upward
    departments: police P and justice J resident at TC; court K on call at TC and at KC
    cases: K1 (H1, township tier, lead P reported, assist J not reported, due 2023-12-10)
           K2 (H4, village tier, no department, opened 2023-12-14, due 2023-12-17)
           K3 (H3, closed); K4 (H6, the household that moved grid, closed)
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from govgraph.backends.base import GraphBackend
from govgraph.loaders.graph import GraphBuilder
from govgraph.loaders.load import write_graph
from govgraph.schema.model import Label as L
from govgraph.schema.model import Rel as R

AS_OF = date(2023, 12, 15)
SINCE = date(2020, 1, 1)
T = "620102001"
V1, V2 = "620102001001", "620102001002"


def _person(b: GraphBuilder, pid: str, name: str, division: str = V1) -> None:
    b.node(
        L.PERSON,
        id=pid,
        name=name,
        gender="男",
        birth_year=1980,
        id_number="620102198001010012",
        phone="13800001234",
        party_member=True,
        occupation="grid_worker",
        division_code=division,
    )


def kite(backend: GraphBackend) -> None:
    b = GraphBuilder()
    b.node(L.PROVINCE, id="62", code="620000000000", name="甘肃省", kind="省")
    b.node(L.PREFECTURE, id="6201", code="620100000000", name="兰州市", kind="市")
    b.node(L.COUNTY, id="620102", code="620102000000", name="城关区", kind="县")
    b.node(L.TOWNSHIP, id=T, code="620102001000", name="测试镇", kind="镇")
    for v, name in ((V1, "一村"), (V2, "二村")):
        b.node(L.VILLAGE, id=v, code=v, name=name, kind="村")
        b.rel(R.PART_OF, (L.VILLAGE, v), (L.TOWNSHIP, T))
    b.rel(R.PART_OF, (L.TOWNSHIP, T), (L.COUNTY, "620102"))
    b.rel(R.PART_OF, (L.COUNTY, "620102"), (L.PREFECTURE, "6201"))
    b.rel(R.PART_OF, (L.PREFECTURE, "6201"), (L.PROVINCE, "62"))
    for g, v in (("G1", V1), ("G2", V1), ("G3", V2)):
        b.node(L.GRID, id=g, name=f"{g}网格", level=2, division_code=v)
        b.rel(R.GRID_IN, (L.GRID, g), (L.VILLAGE, v))
    homes = {
        "H1": ("G1", V1),
        "H2": ("G1", V1),
        "H3": ("G2", V1),
        "H4": ("G3", V2),
        "H5": (None, V1),
        "H6": ("G2", V1),
    }
    for h, (g, v) in homes.items():
        b.node(L.HOUSEHOLD, id=h, address=f"{h}号", size=3, tags=[], division_code=v)
        b.rel(R.LOCATED_IN, (L.HOUSEHOLD, h), (L.VILLAGE, v))
        if g == "G2" and h == "H6":
            b.rel(
                R.IN_GRID,
                (L.HOUSEHOLD, h),
                (L.GRID, "G1"),
                valid_from=SINCE,
                valid_to=date(2023, 5, 31),
            )
            b.rel(R.IN_GRID, (L.HOUSEHOLD, h), (L.GRID, "G2"), valid_from=date(2023, 6, 1))
        elif g:
            b.rel(R.IN_GRID, (L.HOUSEHOLD, h), (L.GRID, g), valid_from=SINCE)
    for pid, name in (
        ("W1", "王一"),
        ("W2", "王二"),
        ("W3", "王三"),
        ("GH", "张长"),
        ("M1", "李党"),
        ("C1", "赵干"),
    ):
        _person(b, pid, name)
    b.rel(
        R.GRID_WORKER_OF, (L.PERSON, "W1"), (L.GRID, "G1"), employment="full_time", valid_from=SINCE
    )
    b.rel(
        R.GRID_WORKER_OF, (L.PERSON, "W1"), (L.GRID, "G2"), employment="full_time", valid_from=SINCE
    )
    b.rel(
        R.GRID_WORKER_OF, (L.PERSON, "W2"), (L.GRID, "G1"), employment="part_time", valid_from=SINCE
    )
    b.rel(
        R.GRID_WORKER_OF,
        (L.PERSON, "W3"),
        (L.GRID, "G3"),
        employment="full_time",
        valid_from=SINCE,
        valid_to=date(2023, 3, 31),
    )
    for g in ("G1", "G2", "G3"):
        b.rel(R.GRID_HEAD_OF, (L.PERSON, "GH"), (L.GRID, g), valid_from=SINCE)
    b.rel(R.SUNK_CADRE_OF, (L.PERSON, "C1"), (L.GRID, "G1"), valid_from=SINCE)
    for h in ("H1", "H2", "H3"):
        b.rel(R.LINKS_HOUSEHOLD, (L.PERSON, "M1"), (L.HOUSEHOLD, h), valid_from=SINCE)
    b.rel(
        R.LINKS_HOUSEHOLD,
        (L.PERSON, "M1"),
        (L.HOUSEHOLD, "H4"),
        valid_from=SINCE,
        valid_to=date(2022, 12, 31),
    )
    for h, day in (
        ("H1", date(2023, 12, 1)),
        ("H3", date(2023, 10, 1)),
        ("H4", date(2023, 11, 20)),
        ("H6", date(2023, 9, 16)),
        ("H2", date(2023, 5, 1)),
    ):
        b.rel(R.VISITED, (L.PERSON, "W1"), (L.HOUSEHOLD, h), date=day, purpose="日常走访")
    centers = {
        "VC1": ("village", V1),
        "VC1b": ("village", V1),
        "VC2": ("village", V2),
        "TC": ("township", T),
        "KC": ("county", "620102"),
    }
    for c, (tier, code) in centers.items():
        b.node(L.GOVERNANCE_CENTER, id=c, name=f"{c}中心", tier=tier, division_code=code)
    for c, v in (("VC1", V1), ("VC1b", V1), ("VC2", V2)):
        b.rel(R.CENTER_SERVES, (L.GOVERNANCE_CENTER, c), (L.VILLAGE, v))
        b.rel(R.REPORTS_TO, (L.GOVERNANCE_CENTER, c), (L.GOVERNANCE_CENTER, "TC"))
    b.rel(R.CENTER_SERVES, (L.GOVERNANCE_CENTER, "TC"), (L.TOWNSHIP, T))
    b.rel(R.CENTER_SERVES, (L.GOVERNANCE_CENTER, "KC"), (L.COUNTY, "620102"))
    b.rel(R.REPORTS_TO, (L.GOVERNANCE_CENTER, "TC"), (L.GOVERNANCE_CENTER, "KC"))
    for d, kind, code in (
        ("P", "police_station", T),
        ("J", "justice_office", T),
        ("K", "court", "620102"),
    ):
        b.node(L.DEPARTMENT, id=d, name=f"{d}所", kind=kind, division_code=code)
    b.rel(R.STATIONED_AT, (L.DEPARTMENT, "P"), (L.GOVERNANCE_CENTER, "TC"), mode="resident")
    b.rel(R.STATIONED_AT, (L.DEPARTMENT, "J"), (L.GOVERNANCE_CENTER, "TC"), mode="resident")
    b.rel(R.STATIONED_AT, (L.DEPARTMENT, "K"), (L.GOVERNANCE_CENTER, "TC"), mode="on_call")
    b.rel(R.STATIONED_AT, (L.DEPARTMENT, "K"), (L.GOVERNANCE_CENTER, "KC"), mode="resident")
    cases = {
        "K1": ("H1", V1, "township", date(2023, 11, 30), date(2023, 12, 10), None),
        "K2": ("H4", V2, "village", date(2023, 12, 14), date(2023, 12, 17), None),
        "K3": ("H3", V1, "village", date(2023, 10, 1), date(2023, 10, 4), date(2023, 10, 3)),
        "K4": ("H6", V1, "village", date(2023, 10, 5), date(2023, 10, 8), date(2023, 10, 6)),
    }
    for k, (h, v, tier, opened, due, closed) in cases.items():
        b.node(
            L.CASE,
            id=k,
            type="neighbour",
            opened=opened,
            tier=tier,
            due=due,
            status="closed" if closed else "joint_handling",
            closed=closed,
            outcome="resolved" if closed else None,
            satisfaction=None,
            supervised=False,
            summary="",
            division_code=v,
        )
        b.rel(R.CONCERNS, (L.CASE, k), (L.HOUSEHOLD, h))
        b.rel(R.REPORTED_BY, (L.CASE, k), (L.PERSON, "W1"), date=opened)
        village_center = "VC1" if v == V1 else "VC2"
        b.rel(
            R.ESCALATED_TO,
            (L.CASE, k),
            (L.GOVERNANCE_CENTER, village_center),
            date=opened,
            tier="village",
        )
    b.rel(
        R.ESCALATED_TO,
        (L.CASE, "K1"),
        (L.GOVERNANCE_CENTER, "TC"),
        date=date(2023, 12, 3),
        tier="township",
    )
    b.rel(
        R.ASSIGNED_TO,
        (L.CASE, "K1"),
        (L.DEPARTMENT, "P"),
        role="lead",
        assigned=date(2023, 12, 3),
        reported=date(2023, 12, 4),
    )
    b.rel(
        R.ASSIGNED_TO,
        (L.CASE, "K1"),
        (L.DEPARTMENT, "J"),
        role="assist",
        assigned=date(2023, 12, 3),
        reported=None,
    )
    write_graph(backend, b.build())


def field_day(backend: GraphBackend, area: str, today: date, *, retry: bool = False) -> list[Any]:
    """A day of field writes on a loaded scenario, the same on any engine: a visit, a case
    through its whole loop, a household moving grid, a party member's link made and ended,
    a post taken and ended. Returns every answer, then the questions' answers after it."""
    from govgraph import field
    from govgraph import questions as q

    # the subjects as they were the day before, so that a second run picks the same ones
    rows = backend._run(
        "MATCH (h:Household)-[r:IN_GRID]->(g:Grid)<-[w:GRID_WORKER_OF]-(p:Person) "
        "WHERE h.division_code STARTS WITH $area AND g.level = 3 "
        "AND r.valid_from <= $day AND (r.valid_to IS NULL OR r.valid_to >= $day) "
        "AND w.valid_from <= $day AND (w.valid_to IS NULL OR w.valid_to >= $day) "
        "RETURN h.id AS id, g.id AS grid, g.division_code AS village, min(p.id) AS worker "
        "ORDER BY id",
        {"area": area, "day": today - timedelta(days=1)},
    )
    h = rows[0]
    other = next(r for r in rows if r["grid"] != h["grid"] and r["village"] == h["village"])
    county = area[:6]
    dept = backend._run(
        "MATCH (d:Department) WHERE d.division_code = $c RETURN d.id AS id ORDER BY id LIMIT 1",
        {"c": county},
    )[0]["id"]
    member = backend._run(
        "MATCH (p:Person)-[l:LINKS_HOUSEHOLD]->(x:Household) WHERE l.valid_to IS NULL "
        "AND x.division_code STARTS WITH $area RETURN p.id AS id ORDER BY id LIMIT 1",
        {"area": area},
    )[0]["id"]
    case = f"K{h['village']}FIELD1"
    answers: list[Any] = [
        field.record_visit(backend, h["id"], h["worker"], today, "走访", today=today, retry=retry),
        field.open_case(backend, case_id=case, case_type="邻里纠纷", households=[h["id"]],
                        reporter_id=h["worker"], today=today, retry=retry),
        field.escalate_case(backend, case, "township", today=today, retry=retry),
        field.assign_department(backend, case, dept, today=today, retry=retry),
        field.report_in(backend, case, dept, today=today, retry=retry),
        field.close_case(backend, case, outcome="resolved", satisfaction=4, today=today,
                         retry=retry),
        field.move_household(backend, other["id"], h["grid"], today=today, retry=retry),
        field.link_household(backend, h["id"], member, today=today, retry=retry),
        field.end_link(backend, h["id"], member, today=today, retry=retry),
        field.start_post(backend, other["grid"], h["worker"], "volunteer", today=today,
                         retry=retry),
        field.end_post(backend, other["grid"], h["worker"], "volunteer", today=today,
                       retry=retry),
    ]  # fmt: skip
    answers += [
        q.responsible(backend, h["id"], as_of=today),
        q.responsible(backend, other["id"], as_of=today),
        q.coordination(backend, case, as_of=today),
        q.uncovered(backend, area, as_of=today),
        backend.counts(),
    ]
    return answers


# -- two stores that must answer alike ---------------------------------------------------


def same_answers(a: GraphBackend, b: GraphBackend, area: str, as_of: date) -> None:
    """Assert that two stores give every question the same answer on ``area``: uncovered,
    overloaded, overdue, the summary, coordination for every overdue case and responsible
    for a sample of households."""
    from govgraph import questions as q

    assert q.uncovered(a, area, as_of=as_of) == q.uncovered(b, area, as_of=as_of)
    assert q.overloaded(a, area, as_of=as_of) == q.overloaded(b, area, as_of=as_of)
    late = q.overdue(a, as_of=as_of, area=area)
    assert late == q.overdue(b, as_of=as_of, area=area)
    assert late.overdue, "no overdue case to compare the coordination of"
    assert q.area_summary(a, area, as_of=as_of) == q.area_summary(b, area, as_of=as_of)
    for case in late.overdue:
        assert q.coordination(a, case.case_id, as_of=as_of) == q.coordination(
            b, case.case_id, as_of=as_of
        )
    households = a.query(
        "MATCH (h:Household) WHERE h.division_code STARTS WITH $area RETURN h.id AS id ORDER BY id",
        area=area,
    ).rows[::97]
    assert households
    for row in households:
        assert q.responsible(a, row["id"], as_of=as_of) == q.responsible(b, row["id"], as_of=as_of)
