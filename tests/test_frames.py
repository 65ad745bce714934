"""Every answer and metric as a table: codes and ids stay strings, days are dates, counts are
whole numbers (pandas, through Arrow)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

from govgraph import questions as q
from govgraph.analytics import metrics as m
from govgraph.analytics.subgraph import area_graph


def _strings(column: pd.Series) -> bool:
    return bool(column.map(lambda v: v is None or isinstance(v, str)).all())


@pytest.fixture(scope="module")
def asked(loaded: Any) -> Any:
    item = loaded("qingping")
    return item.backend, item.scenario.spec.area, item.scenario.spec.as_of


def test_the_answers_as_frames_keep_their_types(asked: Any) -> None:
    backend, area, as_of = asked
    gaps = q.uncovered(backend, area, as_of=as_of).to_frame()
    assert len(gaps) == q.uncovered(backend, area, as_of=as_of).total
    assert _strings(gaps["household"]) and _strings(gaps["division_code"])
    assert all(code.startswith(area) and len(code) == 12 for code in gaps["division_code"])
    assert gaps["no_grid"].dtype == bool and gaps["not_visited"].sum() > 0
    late = q.overdue(backend, as_of=as_of, area=area).to_frame()
    assert (
        all(isinstance(d, dt.date) for d in late["due"]) and late["days_overdue"].dtype == "int64"
    )
    workers = q.overloaded(backend, area, as_of=as_of).to_frame()
    assert _strings(workers["person"]) and workers["ratio"].dtype == "float64"
    household = gaps["household"].iloc[0]
    roles = q.responsible(backend, household, as_of=as_of).to_frame()
    assert roles["role"].iloc[0] == "household" and roles["id"].iloc[0] == household
    case = late["case_id"].iloc[0]
    coordination = q.coordination(backend, case, as_of=as_of).to_frame()
    assert coordination["must_coordinate"].dtype == bool and len(coordination) > 0
    summary = q.area_summary(backend, area, as_of=as_of).to_frame()
    assert len(summary) == 1 and summary["households"].iloc[0] == 3545
    assert summary["area"].iloc[0] == area  # a code, never a number


def test_the_metrics_as_frames(asked: Any) -> None:
    backend, area, as_of = asked
    g = area_graph(backend, area)
    coverage = m.coverage(g, as_of).to_frame()
    assert list(coverage.columns) == ["code", "name", "households", "covered", "rate"]
    assert _strings(coverage["code"]) and coverage["households"].sum() == 3545
    workload = m.span_of_control(g, as_of)["grid_worker"].to_frame()
    assert list(workload.columns) == ["lower", "upper", "count"] and len(workload) == 10
    tiers = m.escalation_profile(g, as_of).to_frame()
    assert list(tiers["tier"]) == ["village", "township", "county"]
    assert tiers["closed_share"].sum() == pytest.approx(1.0, abs=0.01)
    network = m.department_network(g).to_frame()
    assert _strings(network["department"]) and network["betweenness"].dtype == "float64"
