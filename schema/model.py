"""The governance graph model: the one source of truth for both engines.

Every node label and relationship type lives here, with its properties and
their types. :mod:`govgraph.schema.ddl` turns this into LadybugDB tables and
Neo4j constraints and indexes; :mod:`govgraph.schema.cypher` builds the write
statements; the loaders and queries name labels only through these enums.

All nodes carry a stable string ``id`` (the primary key). Administrative units
use their NBS division code in prefix form as ``id`` (``62`` for Gansu,
``621027`` for Zhenyuan county, ``621027100201`` for a village) and the padded
12-digit code as ``code``. Everything that belongs to a place carries
``division_code``, the prefix-form code of the smallest unit it belongs to, so
an area question is one ``STARTS WITH $area`` filter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

# the vocabularies the model's properties take values from (their home is vocab.py)
from .vocab import (
    DEFAULT_MAX_HOUSEHOLDS,
    DEFAULT_WINDOW_DAYS,
    TIER_DEADLINE_DAYS,
    CareTag,
    CaseOutcome,
    CaseStatus,
    CaseType,
    CenterTier,
    DepartmentKind,
    Employment,
    GridRole,
    PartyOrgKind,
    StationMode,
)

__all__ = [
    "DEFAULT_MAX_HOUSEHOLDS",
    "DEFAULT_WINDOW_DAYS",
    "NODES",
    "RELATIONSHIPS",
    "TIER_DEADLINE_DAYS",
    "CareTag",
    "CaseOutcome",
    "CaseStatus",
    "CaseType",
    "CenterTier",
    "DepartmentKind",
    "Employment",
    "GridRole",
    "Label",
    "NodeSpec",
    "PartyOrgKind",
    "Prop",
    "PropType",
    "Rel",
    "RelSpec",
    "StationMode",
    "node_spec",
    "rel_spec",
]


class PropType(StrEnum):
    STRING = "STRING"
    INT = "INT64"
    BOOL = "BOOLEAN"
    DATE = "DATE"
    STRING_LIST = "STRING[]"


@dataclass(frozen=True)
class Prop:
    name: str
    type: PropType
    doc: str = ""
    sensitive: bool = False
    indexed: bool = False


@dataclass(frozen=True)
class NodeSpec:
    label: Label
    doc: str
    props: tuple[Prop, ...]

    @property
    def prop_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.props)


@dataclass(frozen=True)
class RelSpec:
    type: Rel
    doc: str
    pairs: tuple[tuple[Label, Label], ...]
    props: tuple[Prop, ...] = field(default=())
    #: properties that, with both endpoints, identify one relationship: links that
    #: change over time join the same two nodes once per period (told apart by
    #: ``valid_from``), visits once per day
    key: tuple[str, ...] = field(default=())

    @property
    def prop_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.props)


class Label(StrEnum):
    PROVINCE = "Province"
    PREFECTURE = "Prefecture"
    COUNTY = "County"
    TOWNSHIP = "Township"
    VILLAGE = "Village"
    GRID = "Grid"
    HOUSEHOLD = "Household"
    PERSON = "Person"
    PARTY_ORGANIZATION = "PartyOrganization"
    DEPARTMENT = "Department"
    GOVERNANCE_CENTER = "GovernanceCenter"
    CASE = "Case"


class Rel(StrEnum):
    PART_OF = "PART_OF"
    SUBGRID_OF = "SUBGRID_OF"
    GRID_IN = "GRID_IN"
    LOCATED_IN = "LOCATED_IN"
    IN_GRID = "IN_GRID"
    MEMBER_OF = "MEMBER_OF"
    GRID_WORKER_OF = "GRID_WORKER_OF"
    GRID_HEAD_OF = "GRID_HEAD_OF"
    VOLUNTEER_OF = "VOLUNTEER_OF"
    SUNK_CADRE_OF = "SUNK_CADRE_OF"
    LINKS_HOUSEHOLD = "LINKS_HOUSEHOLD"
    LEADER_OF = "LEADER_OF"
    PARTY_MEMBER_OF = "PARTY_MEMBER_OF"
    SECRETARY_OF = "SECRETARY_OF"
    SUBORDINATE_TO = "SUBORDINATE_TO"
    PARTY_COVERS = "PARTY_COVERS"
    CENTER_SERVES = "CENTER_SERVES"
    REPORTS_TO = "REPORTS_TO"
    STATIONED_AT = "STATIONED_AT"
    CONCERNS = "CONCERNS"
    REPORTED_BY = "REPORTED_BY"
    ESCALATED_TO = "ESCALATED_TO"
    ASSIGNED_TO = "ASSIGNED_TO"
    VISITED = "VISITED"


# -- the tables ----------------------------------------------------------------

_S, _I, _B, _D, _L = (
    PropType.STRING,
    PropType.INT,
    PropType.BOOL,
    PropType.DATE,
    PropType.STRING_LIST,
)
_ID = Prop("id", _S, "stable identifier (primary key)")
_NAME = Prop("name", _S, "name")
_DIV = Prop(
    "division_code", _S, "prefix-form NBS code of the smallest unit it belongs to", indexed=True
)
_VALID = (
    Prop(
        "valid_from",
        _D,
        "first day the link holds (null on stations and party posts "
        "from before 0.3: held since before the store recorded them)",
    ),
    Prop("valid_to", _D, "last day the link held; null while it still holds"),
)
_PERIOD = ("valid_from",)


def _admin(label: Label, doc: str) -> NodeSpec:
    return NodeSpec(
        label,
        doc,
        (
            Prop("id", _S, "NBS code in prefix form (2/4/6/9/12 digits)"),
            Prop("code", _S, "NBS code padded to 12 digits", indexed=True),
            _NAME,
            Prop("kind", _S, "unit kind as published (镇, 乡, 街道, 村, 社区, 嘎查 …)"),
        ),
    )


NODES: tuple[NodeSpec, ...] = (
    _admin(Label.PROVINCE, "Province-level unit (省/自治区)."),
    _admin(Label.PREFECTURE, "Prefecture-level unit (市/州/盟)."),
    _admin(Label.COUNTY, "County-level unit (县/区/旗)."),
    _admin(Label.TOWNSHIP, "Township-level unit (乡/镇/街道/苏木)."),
    _admin(Label.VILLAGE, "Village-level unit (村/社区/嘎查)."),
    NodeSpec(
        Label.GRID,
        "A grid (网格), level 1 township, 2 village, 3 sub-grid.",
        (_ID, _NAME, Prop("level", _I, "1 township-level, 2 village-level, 3 sub-grid"), _DIV),
    ),
    NodeSpec(
        Label.HOUSEHOLD,
        "A household (户).",
        (
            _ID,
            Prop("address", _S, "address"),
            Prop("size", _I, "number of people"),
            Prop("tags", _L, "special-care tags (CareTag values)"),
            _DIV,
        ),
    ),
    NodeSpec(
        Label.PERSON,
        "A person: resident, worker, cadre or party member.",
        (
            _ID,
            _NAME,
            Prop("gender", _S, "男 or 女"),
            Prop("birth_year", _I, "year of birth"),
            Prop(
                "id_number",
                _S,
                "resident ID number (GB 11643), as 6211**********8758",
                sensitive=True,
            ),
            Prop("phone", _S, "mobile number, as 138****5678", sensitive=True),
            Prop("id_number_sealed", _S, "the ID number sealed with the store's key (AES-GCM)"),
            Prop("phone_sealed", _S, "the phone sealed with the store's key (AES-GCM)"),
            Prop(
                "id_number_index",
                _S,
                "keyed blind index of the ID number (HMAC-SHA256)",
                indexed=True,
            ),
            Prop("party_member", _B, "member of the Communist Party of China"),
            Prop("occupation", _S, "cadre, grid worker, villager …"),
            _DIV,
        ),
    ),
    NodeSpec(
        Label.PARTY_ORGANIZATION,
        "A party organization: committee, branch, grid group.",
        (_ID, _NAME, Prop("kind", _S, "PartyOrgKind value"), _DIV),
    ),
    NodeSpec(
        Label.DEPARTMENT,
        "A department or station (派出所, 司法所 …).",
        (_ID, _NAME, Prop("kind", _S, "DepartmentKind value"), _DIV),
    ),
    NodeSpec(
        Label.GOVERNANCE_CENTER,
        "A comprehensive-governance center (综治中心).",
        (_ID, _NAME, Prop("tier", _S, "CenterTier value"), _DIV),
    ),
    NodeSpec(
        Label.CASE,
        "A dispute case (矛盾纠纷).",
        (
            _ID,
            Prop("type", _S, "CaseType value"),
            Prop("opened", _D, "day it was taken in"),
            Prop("tier", _S, "CenterTier where it is (or was closed)"),
            Prop("due", _D, "deadline at its current tier"),
            Prop("status", _S, "CaseStatus value (seven-step loop)"),
            Prop("closed", _D, "day it was closed; null while open"),
            Prop("outcome", _S, "CaseOutcome value; null while open"),
            Prop("satisfaction", _I, "public evaluation 1–5; null if none"),
            Prop("supervised", _B, "under early-warning supervision"),
            Prop("summary", _S, "short description"),
            _DIV,
        ),
    ),
)

_L_ = Label
RELATIONSHIPS: tuple[RelSpec, ...] = (
    RelSpec(
        Rel.PART_OF,
        "administrative unit → the unit above it",
        (
            (_L_.PREFECTURE, _L_.PROVINCE),
            (_L_.COUNTY, _L_.PREFECTURE),
            (_L_.TOWNSHIP, _L_.COUNTY),
            (_L_.VILLAGE, _L_.TOWNSHIP),
        ),
    ),
    RelSpec(Rel.SUBGRID_OF, "grid → its parent grid", ((_L_.GRID, _L_.GRID),)),
    RelSpec(
        Rel.GRID_IN,
        "grid → the village or township it divides",
        ((_L_.GRID, _L_.VILLAGE), (_L_.GRID, _L_.TOWNSHIP)),
    ),
    RelSpec(Rel.LOCATED_IN, "household → its village", ((_L_.HOUSEHOLD, _L_.VILLAGE),)),
    RelSpec(Rel.IN_GRID, "household → its grid", ((_L_.HOUSEHOLD, _L_.GRID),), _VALID, _PERIOD),
    RelSpec(
        Rel.MEMBER_OF,
        "person → household",
        ((_L_.PERSON, _L_.HOUSEHOLD),),
        (Prop("relation", _S, "head, spouse, child, parent, other"),),
    ),
    RelSpec(
        Rel.GRID_WORKER_OF,
        "grid worker (网格员) → grid",
        ((_L_.PERSON, _L_.GRID),),
        (Prop("employment", _S, "full_time or part_time"), *_VALID),
        _PERIOD,
    ),
    RelSpec(
        Rel.GRID_HEAD_OF, "grid head (网格长) → grid", ((_L_.PERSON, _L_.GRID),), _VALID, _PERIOD
    ),
    RelSpec(Rel.VOLUNTEER_OF, "volunteer → grid", ((_L_.PERSON, _L_.GRID),), _VALID, _PERIOD),
    RelSpec(
        Rel.SUNK_CADRE_OF,
        "township cadre sunk into a grid (下沉干部)",
        ((_L_.PERSON, _L_.GRID),),
        _VALID,
        _PERIOD,
    ),
    RelSpec(
        Rel.LINKS_HOUSEHOLD,
        "household-linking party member (联户党员) → household",
        ((_L_.PERSON, _L_.HOUSEHOLD),),
        _VALID,
        _PERIOD,
    ),
    RelSpec(
        Rel.LEADER_OF,
        "leader link: county leader → township, township leader → village",
        ((_L_.PERSON, _L_.TOWNSHIP), (_L_.PERSON, _L_.VILLAGE)),
        _VALID,
        _PERIOD,
    ),
    RelSpec(
        Rel.PARTY_MEMBER_OF,
        "party member → party organization",
        ((_L_.PERSON, _L_.PARTY_ORGANIZATION),),
        (Prop("flow", _S, "'' resident member, 'out' left, 'in' arrived"), *_VALID),
        _PERIOD,
    ),
    RelSpec(
        Rel.SECRETARY_OF,
        "secretary → party organization",
        ((_L_.PERSON, _L_.PARTY_ORGANIZATION),),
        _VALID,
        _PERIOD,
    ),
    RelSpec(
        Rel.SUBORDINATE_TO,
        "party organization → the one above it",
        ((_L_.PARTY_ORGANIZATION, _L_.PARTY_ORGANIZATION),),
    ),
    RelSpec(
        Rel.PARTY_COVERS,
        "party organization → the grid, village or township it covers",
        (
            (_L_.PARTY_ORGANIZATION, _L_.GRID),
            (_L_.PARTY_ORGANIZATION, _L_.VILLAGE),
            (_L_.PARTY_ORGANIZATION, _L_.TOWNSHIP),
        ),
    ),
    RelSpec(
        Rel.CENTER_SERVES,
        "governance center → the unit it serves",
        (
            (_L_.GOVERNANCE_CENTER, _L_.COUNTY),
            (_L_.GOVERNANCE_CENTER, _L_.TOWNSHIP),
            (_L_.GOVERNANCE_CENTER, _L_.VILLAGE),
        ),
    ),
    RelSpec(
        Rel.REPORTS_TO,
        "governance center → the center above it",
        ((_L_.GOVERNANCE_CENTER, _L_.GOVERNANCE_CENTER),),
    ),
    RelSpec(
        Rel.STATIONED_AT,
        "department → governance center",
        ((_L_.DEPARTMENT, _L_.GOVERNANCE_CENTER),),
        (Prop("mode", _S, "resident, rotating or on_call"), *_VALID),
        _PERIOD,
    ),
    RelSpec(
        Rel.CONCERNS,
        "case → household or person involved",
        ((_L_.CASE, _L_.HOUSEHOLD), (_L_.CASE, _L_.PERSON)),
    ),
    RelSpec(
        Rel.REPORTED_BY,
        "case → the worker who blew the whistle",
        ((_L_.CASE, _L_.PERSON),),
        (Prop("date", _D, "day reported"),),
    ),
    RelSpec(
        Rel.ESCALATED_TO,
        "case → center it was taken to or escalated to",
        ((_L_.CASE, _L_.GOVERNANCE_CENTER),),
        (Prop("date", _D, "day it arrived"), Prop("tier", _S, "CenterTier value")),
    ),
    RelSpec(
        Rel.ASSIGNED_TO,
        "case → department handling it",
        ((_L_.CASE, _L_.DEPARTMENT),),
        (
            Prop("role", _S, "lead or assist"),
            Prop("assigned", _D, "day assigned"),
            Prop("reported", _D, "day the department reported (报到); null if not yet"),
        ),
    ),
    RelSpec(
        Rel.VISITED,
        "a visit (走访): who → which household, when, why",
        ((_L_.PERSON, _L_.HOUSEHOLD),),
        (Prop("date", _D, "day of the visit"), Prop("purpose", _S, "purpose")),
        key=("date",),
    ),
)

_NODE_BY_LABEL = {n.label: n for n in NODES}
_REL_BY_TYPE = {r.type: r for r in RELATIONSHIPS}


def node_spec(label: Label | str) -> NodeSpec:
    """The spec of a node label; raises KeyError for an unknown label."""
    return _NODE_BY_LABEL[Label(label)]


def rel_spec(rel: Rel | str) -> RelSpec:
    """The spec of a relationship type; raises KeyError for an unknown type."""
    return _REL_BY_TYPE[Rel(rel)]
