"""Response models for what the questions' dataclasses do not already describe."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from ..questions import UncoveredHousehold

__all__ = [
    "AreaChild",
    "AssignmentIn",
    "CaseIn",
    "ClosingIn",
    "DayIn",
    "EscalationIn",
    "GridMoveIn",
    "GridOut",
    "GridWorker",
    "Health",
    "HouseholdOut",
    "IdNumberIn",
    "LinkIn",
    "Member",
    "PersonFound",
    "PersonOut",
    "PostEndIn",
    "PostIn",
    "UncoveredPage",
    "VisitIn",
    "VisitOut",
]


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    store: str = Field(examples=["embedded"])


class Member(BaseModel):
    person: str
    name: str | None
    relation: str | None
    gender: str | None
    birth_year: int | None
    id_number: str | None = Field(
        description="masked unless the token carries PII permission",
        examples=["6201**********0012"],
    )
    phone: str | None = Field(
        description="masked unless the token carries PII permission", examples=["138****5678"]
    )


class HouseholdOut(BaseModel):
    id: str = Field(examples=["H6211231092010001"])
    address: str | None
    size: int | None
    tags: list[str]
    division_code: str
    village: str | None
    members: list[Member]


class IdNumberIn(BaseModel):
    id_number: str = Field(
        pattern=r"^\d{17}[\dXx]$",
        description="the ID number sought (in the body, so no log of URLs holds it)",
        examples=["621123197411118758"],
    )  # fmt: skip


class PersonFound(BaseModel):
    id: str
    name: str | None
    division_code: str | None
    household: str | None


class PersonOut(BaseModel):
    id: str
    name: str | None
    gender: str | None
    birth_year: int | None
    id_number: str | None = Field(description="masked unless the token carries PII permission")
    phone: str | None = Field(description="masked unless the token carries PII permission")
    party_member: bool | None
    occupation: str | None
    division_code: str | None
    household: str | None


class GridWorker(BaseModel):
    person: str
    name: str | None
    employment: str | None
    active: bool


class GridOut(BaseModel):
    id: str
    name: str | None
    level: int | None
    division_code: str
    parent: str | None
    workers: list[GridWorker]


class AreaChild(BaseModel):
    id: str
    name: str | None
    kind: str | None


class UncoveredPage(BaseModel):
    area: str
    as_of: str
    within_days: int
    total: int
    offset: int
    limit: int
    by_reason: dict[str, int]
    by_child_area: dict[str, dict[str, int]]
    households: list[UncoveredHousehold]


# -- write bodies: the ledgers' keys (docs/ledgers.md), checked by the ledgers' rules ------

_ID = Field(min_length=1, max_length=64)
_DAY = Field(default=None, description="YYYY-MM-DD; default today")


class VisitIn(BaseModel):
    """One visit, as a row of the visits ledger (走访记录)."""

    household_id: str = _ID
    person_id: str = Field(min_length=1, max_length=64, description="the visitor")
    date: dt.date | None = _DAY
    purpose: str | None = Field(default=None, max_length=200)


class CaseIn(BaseModel):
    """A dispute opened at the village tier (a row of the cases ledger, 矛盾纠纷台账)."""

    case_id: str | None = Field(
        default=None, max_length=64,
        description="default: made from the Idempotency-Key (a retry makes the same id)",
    )  # fmt: skip
    type: str = Field(max_length=20, examples=["neighbour", "邻里纠纷"])
    households: list[str] = Field(min_length=1, max_length=50)
    persons: list[str] = Field(default_factory=list, max_length=50)
    village_code: str | None = Field(
        default=None, pattern=r"^\d{12}$", description="default: the first household's village"
    )
    opened: dt.date | None = _DAY
    summary: str | None = Field(default=None, max_length=500)
    reporter_id: str | None = Field(
        default=None, max_length=64, description="the worker who blew the whistle"
    )


class EscalationIn(BaseModel):
    tier: Literal["township", "county"] = Field(description="the next tier up")
    date: dt.date | None = _DAY


class AssignmentIn(BaseModel):
    department_id: str = _ID
    role: Literal["lead", "assist"] = "lead"
    date: dt.date | None = _DAY


class DayIn(BaseModel):
    date: dt.date | None = _DAY


class ClosingIn(BaseModel):
    outcome: Literal["resolved", "unresolved"]
    date: dt.date | None = _DAY
    satisfaction: int | None = Field(default=None, ge=1, le=5)


class GridMoveIn(BaseModel):
    grid_id: str = _ID
    since: dt.date | None = _DAY


class PostIn(BaseModel):
    person_id: str = _ID
    role: Literal["grid_worker", "grid_head", "volunteer", "sunk_cadre"]
    employment: Literal["full_time", "part_time"] | None = None
    since: dt.date | None = _DAY


class PostEndIn(BaseModel):
    role: Literal["grid_worker", "grid_head", "volunteer", "sunk_cadre"]
    date: dt.date | None = _DAY


class LinkIn(BaseModel):
    person_id: str = _ID
    since: dt.date | None = _DAY


class VisitOut(BaseModel):
    person_id: str
    name: str | None
    date: dt.date
    purpose: str | None
