"""Response models for what the questions' dataclasses do not already describe."""

from __future__ import annotations

from pydantic import BaseModel, Field

from ..questions import UncoveredHousehold

__all__ = [
    "AreaChild",
    "GridOut",
    "GridWorker",
    "Health",
    "HouseholdOut",
    "Member",
    "PersonOut",
    "UncoveredPage",
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
