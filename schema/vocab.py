"""Every vocabulary govgraph speaks, once: its values in order, each with its Chinese name.

The CLI, the API, the pictures and the briefing read their labels from here, so a role,
a gap, a tier or a case type is called the same everywhere. Division-code helpers live
here too: the widths of NBS codes and the level each width names.

The measures have distinct names (:data:`MEASURES`): *covered* means a household with no
gap at all; *staffed* means one whose grid has an active grid worker; *over the
household limit* counts households only, where *overloaded* weighs every load.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "DEFAULT_MAX_HOUSEHOLDS",
    "DEFAULT_MAX_LINKED",
    "DEFAULT_MAX_OPEN_CASES",
    "DEFAULT_WINDOW_DAYS",
    "DIVISION_LEVELS",
    "MEASURES",
    "TIER_DEADLINE_DAYS",
    "CareTag",
    "CaseOutcome",
    "CaseStatus",
    "CaseType",
    "CenterTier",
    "DepartmentKind",
    "Employment",
    "GapReason",
    "GridRole",
    "PartyOrgKind",
    "ResponsibleRole",
    "StationMode",
    "division_level",
    "is_division_code",
]


class GridRole(StrEnum):
    """The roles a person holds on a grid, one relationship type each."""

    GRID_WORKER = "grid_worker"
    GRID_HEAD = "grid_head"
    VOLUNTEER = "volunteer"
    SUNK_CADRE = "sunk_cadre"

    @property
    def zh(self) -> str:
        return {
            "grid_worker": "网格员",
            "grid_head": "网格长",
            "volunteer": "志愿者",
            "sunk_cadre": "下沉干部",
        }[self.value]


class Employment(StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"

    @property
    def zh(self) -> str:
        return {"full_time": "专职", "part_time": "兼职"}[self.value]


class StationMode(StrEnum):
    RESIDENT = "resident"
    ROTATING = "rotating"
    ON_CALL = "on_call"

    @property
    def zh(self) -> str:
        return {"resident": "常驻", "rotating": "轮驻", "on_call": "随叫随驻"}[self.value]


class CenterTier(StrEnum):
    """The tiers of governance centers, in escalation order."""

    VILLAGE = "village"
    TOWNSHIP = "township"
    COUNTY = "county"

    @property
    def zh(self) -> str:
        return {"village": "村级", "township": "乡镇级", "county": "县级"}[self.value]

    @property
    def above(self) -> CenterTier | None:
        """The tier a case escalates to from this one (None above the county)."""
        order = list(CenterTier)
        at = order.index(self)
        return order[at + 1] if at + 1 < len(order) else None


#: A household not visited within this many days is a coverage gap.
DEFAULT_WINDOW_DAYS = 90
#: Households one grid worker can serve: the seeds' "about 50 households per grid worker".
DEFAULT_MAX_HOUSEHOLDS = 50
#: Households one party member can link (a worker's second load).
DEFAULT_MAX_LINKED = 50
#: Open cases one person can carry at once (a worker's third load).
DEFAULT_MAX_OPEN_CASES = 10

#: Days a case may stay at a tier before it must be escalated (镇原 "1+N+3 / 1+3+7 / 1+8+15").
TIER_DEADLINE_DAYS: dict[CenterTier, int] = {
    CenterTier.VILLAGE: 3,
    CenterTier.TOWNSHIP: 7,
    CenterTier.COUNTY: 15,
}


class CaseType(StrEnum):
    NEIGHBOUR = "neighbour"
    MARRIAGE_FAMILY = "marriage_family"
    DEBT = "debt"
    LAND = "land"
    LABOUR = "labour"
    PROPERTY = "property"
    OTHER = "other"

    @property
    def zh(self) -> str:
        return {
            "neighbour": "邻里纠纷",
            "marriage_family": "婚姻家庭纠纷",
            "debt": "债务纠纷",
            "land": "土地纠纷",
            "labour": "劳资纠纷",
            "property": "物业纠纷",
            "other": "其他纠纷",
        }[self.value]


class CaseStatus(StrEnum):
    """The seven-step closed loop (镇原县): intake → … → return visit."""

    INTAKE = "intake"
    TRIAGE = "triage"
    JOINT_HANDLING = "joint_handling"
    SUPERVISION = "supervision"
    EVALUATION = "evaluation"
    CLOSED = "closed"
    RETURN_VISIT = "return_visit"

    @property
    def zh(self) -> str:
        return {
            "intake": "受理",
            "triage": "分流",
            "joint_handling": "联合办理",
            "supervision": "督办",
            "evaluation": "评价",
            "closed": "办结",
            "return_visit": "回访",
        }[self.value]


class CaseOutcome(StrEnum):
    RESOLVED = "resolved"
    UNRESOLVED = "unresolved"

    @property
    def zh(self) -> str:
        return {"resolved": "已化解", "unresolved": "未化解"}[self.value]


class DepartmentKind(StrEnum):
    POLICE_STATION = "police_station"
    JUSTICE_OFFICE = "justice_office"
    PETITIONS_OFFICE = "petitions_office"
    COURT = "court"
    CIVIL_AFFAIRS = "civil_affairs"
    MARKET_REGULATION = "market_regulation"
    LAW_ENFORCEMENT = "law_enforcement"
    EMERGENCY_MANAGEMENT = "emergency_management"
    LAND_OFFICE = "land_office"
    SOCIAL_AFFAIRS = "social_affairs"
    HUMAN_RESOURCES = "human_resources"
    HOUSING = "housing"
    AGRICULTURE = "agriculture"
    EDUCATION = "education"
    HEALTH = "health"
    WOMENS_FEDERATION = "womens_federation"
    OTHER = "other"

    @property
    def zh(self) -> str:
        return _DEPARTMENT_ZH[self.value]

    @property
    def zh_county(self) -> str:
        """The name of the county-level body (派出所 → 公安局, 司法所 → 司法局 …)."""
        return _DEPARTMENT_ZH_COUNTY.get(self.value, self.zh)


_DEPARTMENT_ZH = {
    "police_station": "派出所",
    "justice_office": "司法所",
    "petitions_office": "信访办",
    "court": "人民法庭",
    "civil_affairs": "民政",
    "market_regulation": "市场监管",
    "law_enforcement": "综合执法",
    "emergency_management": "应急管理",
    "land_office": "自然资源所",
    "social_affairs": "社会事务",
    "human_resources": "人社",
    "housing": "住建",
    "agriculture": "农业农村",
    "education": "教育",
    "health": "卫生健康",
    "womens_federation": "妇联",
    "other": "其他单位",
}


_DEPARTMENT_ZH_COUNTY = {
    "police_station": "公安局",
    "justice_office": "司法局",
    "petitions_office": "信访局",
    "court": "人民法院",
    "civil_affairs": "民政局",
    "market_regulation": "市场监督管理局",
    "law_enforcement": "综合行政执法局",
    "emergency_management": "应急管理局",
    "land_office": "自然资源局",
    "human_resources": "人力资源和社会保障局",
    "housing": "住房和城乡建设局",
    "agriculture": "农业农村局",
    "education": "教育局",
    "health": "卫生健康局",
}


class PartyOrgKind(StrEnum):
    COMMITTEE = "committee"
    GENERAL_BRANCH = "general_branch"
    BRANCH = "branch"
    GRID_GROUP = "grid_group"

    @property
    def zh(self) -> str:
        return {"committee": "党委", "general_branch": "党总支", "branch": "党支部",
                "grid_group": "党小组"}[self.value]  # fmt: skip


class CareTag(StrEnum):
    """Special-care tags on a household."""

    ELDERLY_ALONE = "elderly_alone"
    LEFT_BEHIND_CHILDREN = "left_behind_children"
    DISABILITY = "disability"
    LOW_INCOME = "low_income"
    VETERAN = "veteran"

    @property
    def zh(self) -> str:
        return {
            "elderly_alone": "独居老人",
            "left_behind_children": "留守儿童",
            "disability": "残疾人",
            "low_income": "低保户",
            "veteran": "退役军人",
        }[self.value]


class GapReason(StrEnum):
    """Why a household counts as uncovered; a household may have several."""

    NO_GRID = "no_grid"
    NO_WORKER = "no_worker"
    NO_LINKING_MEMBER = "no_linking_member"
    NOT_VISITED = "not_visited"

    @property
    def zh(self) -> str:
        return _GAP_ZH[self.value]

    @property
    def en(self) -> str:
        return _GAP_EN[self.value]


_GAP_ZH = {
    "no_grid": "未入网格",
    "no_worker": "网格无网格员",
    "no_linking_member": "无联户党员",
    "not_visited": "近期未走访",
}
_GAP_EN = {
    "no_grid": "in no grid",
    "no_worker": "its grid has no active grid worker",
    "no_linking_member": "no party member links it",
    "not_visited": "not visited within the window",
}


class ResponsibleRole(StrEnum):
    """The links in "who is responsible for this household", in the order answers list
    them: the household and its grids, the people on them, the party organisations, the
    places, the centers, the leaders."""

    HOUSEHOLD = "household"
    GRID = "grid"
    PARENT_GRID = "parent_grid"
    GRID_WORKER = "grid_worker"
    GRID_HEAD = "grid_head"
    VOLUNTEER = "volunteer"
    SUNK_CADRE = "sunk_cadre"
    LINKING_PARTY_MEMBER = "linking_party_member"
    GRID_PARTY_GROUP = "grid_party_group"
    GRID_PARTY_GROUP_SECRETARY = "grid_party_group_secretary"
    VILLAGE_PARTY_BRANCH = "village_party_branch"
    VILLAGE_PARTY_SECRETARY = "village_party_secretary"
    VILLAGE = "village"
    TOWNSHIP = "township"
    COUNTY = "county"
    VILLAGE_CENTER = "village_center"
    TOWNSHIP_CENTER = "township_center"
    COUNTY_CENTER = "county_center"
    TOWNSHIP_LEADER = "township_leader"
    COUNTY_LEADER = "county_leader"

    @property
    def zh(self) -> str:
        return _ROLES[self.value][1]

    @property
    def en(self) -> str:
        return _ROLES[self.value][0]

    @property
    def kind(self) -> str:
        """The kind of node that holds it, as the pictures colour it."""
        return _ROLES[self.value][2]

    @property
    def is_person(self) -> bool:
        """Held by a person (a worker, a cadre, a secretary, a leader), not by a unit."""
        return self.kind not in ("household", "grid", "place", "center") and not (
            self.kind == "party" and not self.value.endswith("secretary")
        )


#: role → (English, Chinese, kind of node: its colour in the pictures)
_ROLES = {
    "household": ("household", "户", "household"),
    "grid": ("grid", "网格", "grid"),
    "parent_grid": ("parent grid", "上级网格", "grid"),
    "grid_worker": ("grid worker", "网格员", "grid_worker"),
    "grid_head": ("grid head", "网格长", "grid_head"),
    "volunteer": ("volunteer", "志愿者", "volunteer"),
    "sunk_cadre": ("sunk cadre", "下沉干部", "sunk_cadre"),
    "linking_party_member": ("linking party member", "联户党员", "linking_party_member"),
    "grid_party_group": ("grid party group", "网格党小组", "party"),
    "grid_party_group_secretary": ("group secretary", "党小组长", "party"),
    "village_party_branch": ("village party branch", "村党支部", "party"),
    "village_party_secretary": ("branch secretary", "村党支部书记", "party"),
    "village": ("village", "村", "place"),
    "township": ("township", "乡镇", "place"),
    "county": ("county", "县", "place"),
    "village_center": ("village center", "村综治中心", "center"),
    "township_center": ("township center", "乡镇综治中心", "center"),
    "county_center": ("county center", "县综治中心", "center"),
    "township_leader": ("township leader", "包村领导", "leader"),
    "county_leader": ("county leader", "包乡镇县级领导", "leader"),
}


#: every measure's name, its Chinese name and what it counts: one meaning per name
MEASURES = {
    "covered_rate": ("覆盖率", "households with no gap at all / all households"),
    "staffed_rate": ("网格在岗率", "households whose grid has an active grid worker / all"),
    "over_household_limit": (
        "户数超标的网格员",
        "grid workers serving more households than the limit (households only)",
    ),
    "overloaded": (
        "超负荷人员",
        "people over any of their limits: households, linked households, open cases",
    ),
}


# -- division codes ----------------------------------------------------------------------

#: width of an NBS division code in prefix form → the level it names
DIVISION_LEVELS = {2: "province", 4: "prefecture", 6: "county", 9: "township", 12: "village"}


def is_division_code(text: str) -> bool:
    """A division code in prefix form: digits, 2, 4, 6, 9 or 12 of them.

    >>> is_division_code("621027100"), is_division_code("62102710")
    (True, False)
    """
    return text.isdigit() and len(text) in DIVISION_LEVELS


def division_level(code: str) -> str | None:
    """The level a prefix-form code names (``"township"`` for 9 digits), else None."""
    return DIVISION_LEVELS.get(len(code)) if code.isdigit() else None
