"""The five ledgers grid offices keep, column by column (documented in docs/ledgers.md).

Each :class:`LedgerKind` names its columns with the Chinese header the
templates carry, the variants people type instead, an English key (the second
row of every template) and how the cell is read. Vocabulary columns accept the
Chinese words offices use and the model's English values; exports write the
Chinese words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from .vocab import VOCABULARIES

__all__ = [
    "KINDS",
    "VOCABULARIES",
    "Column",
    "Kind",
    "LedgerKind",
    "Parse",
    "kind_spec",
    "normalize_header",
]


class Kind(StrEnum):
    """The ledger kinds, in the order an import applies them (what a row refers to is
    made by an earlier kind or an earlier row)."""

    CENTERS = "centers"
    DEPARTMENTS = "departments"
    STATIONS = "stations"
    WORKERS = "workers"
    HOUSEHOLDS = "households"
    GRID_HISTORY = "grid_history"
    PARTY_ORGS = "party_orgs"
    PARTY_MEMBERS = "party_members"
    LEADERS = "leaders"
    LINKS = "links"
    CASES = "cases"
    CASE_FLOW = "case_flow"
    VISITS = "visits"


class Parse(StrEnum):
    """How a cell is read and checked."""

    TEXT = "text"
    ID = "id"
    CODE = "code"
    ID_NUMBER = "id_number"
    PHONE = "phone"
    DATE = "date"
    INT = "int"
    BOOL = "bool"
    VOCAB = "vocab"
    VOCAB_LIST = "vocab_list"
    ID_LIST = "id_list"
    CODE_LIST = "code_list"


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    doc: str
    parse: Parse = Parse.TEXT
    required: bool = False
    aliases: tuple[str, ...] = ()
    #: the vocabulary (a key of VOCABULARIES) for VOCAB and VOCAB_LIST columns
    vocab: str = ""
    #: a DATE column whose day may lie ahead (a deadline)
    future: bool = False

    @property
    def header(self) -> str:
        """The header a template writes: required columns carry a leading ``*``."""
        return f"*{self.zh}" if self.required else self.zh


@dataclass(frozen=True)
class LedgerKind:
    kind: Kind
    zh: str
    doc: str
    columns: tuple[Column, ...]
    #: one row is one of these
    row_is: str
    by_header: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, Column] = {}
        for c in self.columns:
            for name in (c.zh, c.key, *c.aliases):
                index[normalize_header(name)] = c
        object.__setattr__(self, "by_header", index)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


_SPACES = re.compile(r"[\s\u3000]+")
_MARKS = re.compile(r"^[*＊]+|[*＊]+$|[（(]\s*(必填|选填|可选|required|optional)\s*[)）]")


def normalize_header(text: str) -> str:
    """A header cell as compared: no spaces or required marks, ASCII brackets, lower case."""
    text = _SPACES.sub("", str(text))
    text = _MARKS.sub("", text)
    return text.replace("（", "(").replace("）", ")").lower()


# -- the columns -------------------------------------------------------------------

_P = Parse


def _person(
    id_zh: str = "人员编号", name_zh: str = "姓名", id_aliases: tuple[str, ...] = ()
) -> tuple[Column, ...]:
    return (
        Column("person_id", id_zh, "the person's id; derived from the ID number when blank",
               _P.ID, aliases=id_aliases),
        Column("name", name_zh, "name", aliases=("姓名",) if name_zh != "姓名" else ()),
        Column("gender", "性别", "男 or 女", _P.VOCAB, vocab="gender"),
        Column("id_number", "身份证号", "18-digit resident ID number (GB 11643 check digit)",
               _P.ID_NUMBER, aliases=("身份证号码", "公民身份号码", "身份证", "证件号码")),
        Column("phone", "联系电话", "mobile (11 digits) or landline with area code",
               _P.PHONE, aliases=("手机号", "手机号码", "电话", "联系方式", "手机")),
    )  # fmt: skip


_VILLAGE = Column(
    "village_code",
    "所属村（社区）代码",
    "12-digit NBS code of the village or community (prefix form accepted), or its name "
    "(庆坪村, 庆坪村民委员会, 庆坪村委会), looked up in the row's township or import --area",
    _P.CODE,
    required=True,
    aliases=("村（社区）代码", "村代码", "所属村代码", "村居代码", "区划代码", "统计用区划代码",
             "所属村（社区）", "村（社区）", "所属村", "村名", "村（社区）名称", "所属村居"),
)  # fmt: skip
_TOWNSHIP = Column(
    "township",
    "所属乡镇（街道）",
    "the township (code or name) a village named by name is looked up in",
    aliases=("乡镇（街道）", "所属乡镇", "乡镇", "街道", "乡镇名称"),
)

KINDS: tuple[LedgerKind, ...] = (
    LedgerKind(
        Kind.WORKERS,
        "网格员名册",
        "Grids and who serves on them: one row per person and grid (a grid with nobody "
        "on it yet: one row with the person columns blank).",
        (
            Column("grid_id", "网格编号", "the grid's id", _P.ID, required=True,
                   aliases=("网格号", "所属网格编号", "所属网格")),
            Column("grid_name", "网格名称", "needed when the grid is new", aliases=("网格名",)),
            Column("grid_division", "网格所属区划代码",
                   "NBS code of the village (or township, for a township-level grid)",
                   _P.CODE, aliases=("网格区划代码",)),
            Column("grid_level", "网格层级", "乡镇级 (1), 村级 (2) or 微网格 (3); default 村级",
                   _P.VOCAB, vocab="grid_level", aliases=("层级",)),
            Column("parent_grid", "上级网格编号", "the grid this one is a sub-grid of", _P.ID),
            *_person(),
            Column("role", "岗位", "网格员, 网格长, 志愿者 or 下沉干部", _P.VOCAB,
                   aliases=("角色", "职务", "网格职务", "网格角色"), vocab="role"),
            Column("employment", "用工形式", "专职 or 兼职 (grid workers)", _P.VOCAB,
                   aliases=("专兼职",), vocab="employment"),
            Column("valid_from", "任职日期", "first day in the post; the import day when blank",
                   _P.DATE, aliases=("上岗日期", "开始日期", "任职开始日期")),
            Column("valid_to", "离任日期", "last day in the post; blank while serving",
                   _P.DATE, aliases=("结束日期", "任职结束日期")),
        ),
        "a person's post on a grid",
    ),
    LedgerKind(
        Kind.HOUSEHOLDS,
        "户情台账",
        "Households and the people in them: one row per person (a household with nobody "
        "listed: one row with the person columns blank). Household columns repeat on "
        "every row of the household and must agree.",
        (
            Column("household_id", "户编号", "the household's id", _P.ID, required=True,
                   aliases=("户号", "户籍编号", "家庭编号")),
            _VILLAGE,
            _TOWNSHIP,
            Column("grid_id", "所属网格编号", "the grid the household is in", _P.ID,
                   aliases=("网格编号", "网格号", "所属网格")),
            Column("grid_since", "入格日期", "first day in that grid; the import day when blank",
                   _P.DATE, aliases=("划入网格日期",)),
            Column("address", "住址", "address", aliases=("家庭住址", "地址", "现住址")),
            Column("size", "户人口数", "people in the household; rows counted when blank",
                   _P.INT, aliases=("家庭人口", "人口数", "家庭人口数")),
            Column("tags", "关爱类别",
                   "独居老人, 留守儿童, 残疾人, 低保户, 退役军人 (several: 、 or ;)",
                   _P.VOCAB_LIST, aliases=("特殊人群", "重点人群类别", "关爱对象"),
                   vocab="care_tag"),
            *_person(),
            Column("relation", "与户主关系", "户主, 配偶, 子女, 父母 or 其他", _P.VOCAB,
                   aliases=("关系",), vocab="relation"),
            Column("birth_year", "出生年份", "year of birth (taken from the ID number when blank)",
                   _P.INT, aliases=("出生年",)),
            Column("party_member", "政治面貌", "中共党员 or 群众", _P.VOCAB, vocab="party"),
            Column("occupation", "职业", "occupation", aliases=("从业情况",)),
        ),
        "a person in a household",
    ),
    LedgerKind(
        Kind.LINKS,
        "党员联系户",
        "Which households each party member looks after: one row per member and household.",
        (
            *_person("党员编号", "党员姓名", ("人员编号",)),
            Column("household_id", "联系户编号", "the household linked", _P.ID, required=True,
                   aliases=("户编号", "联系户户号")),
            Column("valid_from", "联系开始日期", "first day of the link; the import day when blank",
                   _P.DATE, aliases=("开始日期",)),
            Column("valid_to", "联系结束日期", "last day of the link; blank while it holds",
                   _P.DATE, aliases=("结束日期",)),
        ),
        "a party member linking a household",
    ),
    LedgerKind(
        Kind.CASES,
        "矛盾纠纷台账",
        "Disputes: one row per case.",
        (
            Column("case_id", "案件编号", "the case's id", _P.ID, required=True,
                   aliases=("纠纷编号", "编号")),
            _VILLAGE,
            _TOWNSHIP,
            Column("type", "纠纷类型", "邻里纠纷, 婚姻家庭纠纷, 债务纠纷, 土地纠纷, 劳资纠纷, "
                   "物业纠纷 or 其他纠纷", _P.VOCAB, required=True, aliases=("类型",),
                   vocab="case_type"),
            Column("opened", "受理日期", "day it was taken in", _P.DATE, required=True,
                   aliases=("登记日期",)),
            Column("tier", "办理层级", "村级, 乡镇级 or 县级", _P.VOCAB, required=True,
                   aliases=("当前层级", "层级"), vocab="tier"),
            Column("due", "办理期限", "deadline at its tier (may lie ahead)", _P.DATE,
                   aliases=("期限",), future=True),
            Column("status", "办理状态", "受理, 分流, 联合办理, 督办, 评价, 办结 or 回访", _P.VOCAB,
                   required=True, aliases=("状态",), vocab="status"),
            Column("closed", "办结日期", "day it was closed", _P.DATE),
            Column("outcome", "办理结果", "已化解 or 未化解", _P.VOCAB,
                   aliases=("化解结果", "结果"), vocab="outcome"),
            Column("satisfaction", "满意度", "1 to 5", _P.INT, aliases=("群众满意度",)),
            Column("supervised", "是否督办", "是 or 否", _P.BOOL, aliases=("督办",)),
            Column("summary", "简要情况", "short description", aliases=("纠纷简况", "案情")),
            Column("households", "涉及户编号", "households involved (several: 、 or ;)",
                   _P.ID_LIST, aliases=("当事户编号",)),
            Column("persons", "涉及人员编号", "people involved (several: 、 or ;)", _P.ID_LIST,
                   aliases=("当事人编号",)),
            Column("reporter_id", "上报人编号", "the worker who reported it", _P.ID,
                   aliases=("上报网格员编号",)),
            Column("reported", "上报日期", "day reported", _P.DATE),
        ),
        "a case",
    ),
    LedgerKind(
        Kind.VISITS,
        "走访记录",
        "Visits: one row per visit (one per visitor, household and day).",
        (
            Column("person_id", "走访人编号", "the visitor's id", _P.ID, required=True,
                   aliases=("人员编号",)),
            Column("name", "走访人", "the visitor's name (checked against the id)",
                   aliases=("走访人姓名",)),
            Column("household_id", "户编号", "the household visited", _P.ID, required=True,
                   aliases=("走访户编号", "户号")),
            Column("date", "走访日期", "day of the visit", _P.DATE, required=True,
                   aliases=("日期",)),
            Column("purpose", "走访事由", "purpose", aliases=("事由", "走访内容")),
        ),
        "a visit",
    ),
)  # fmt: skip

_VALID_FROM = ("任职日期", "开始日期", "起始日期")
_VALID_TO = ("离任日期", "结束日期", "终止日期")


def _period(what: str, zh_from: str, zh_to: str) -> tuple[Column, ...]:
    return (
        Column("valid_from", zh_from, f"first day of the {what}; the import day when blank",
               _P.DATE, aliases=tuple(a for a in _VALID_FROM if a != zh_from)),
        Column("valid_to", zh_to, f"last day of the {what}; blank while it holds", _P.DATE,
               aliases=tuple(a for a in _VALID_TO if a != zh_to)),
    )  # fmt: skip


_CENTER_ID = ("中心编号", "综治中心编号")

#: the ledgers of the network above the households: centers, departments, party
#: organisations, leaders and the path of each case (applied before and after the five)
NETWORK_KINDS: tuple[LedgerKind, ...] = (
    LedgerKind(
        Kind.CENTERS,
        "综治中心",
        "Comprehensive-governance centers (综治中心) at county, township and village level: "
        "one row per center.",
        (
            Column(
                "center_id",
                "中心编号",
                "the center's id",
                _P.ID,
                required=True,
                aliases=_CENTER_ID[1:],
            ),
            Column(
                "name",
                "中心名称",
                "name (needed when the center is new)",
                aliases=("名称", "综治中心名称"),
            ),
            Column(
                "tier",
                "层级",
                "县级, 乡镇级 or 村级",
                _P.VOCAB,
                required=True,
                aliases=("中心层级", "级别"),
                vocab="tier",
            ),
            Column(
                "division",
                "所在区划代码",
                "NBS code of the county (6 digits), township (9) or village (12) it sits in",
                _P.CODE,
                required=True,
                aliases=("区划代码", "所在地区划代码"),
            ),
            Column(
                "serves",
                "服务区划代码",
                "the units it serves (several: 、 or ;): its own unit when blank; a village "
                "center may serve neighbouring villages without their own",
                _P.CODE_LIST,
                aliases=("服务村（社区）代码", "服务范围"),
            ),
            Column(
                "reports_to",
                "上级中心编号",
                "the center above it (none for a county center)",
                _P.ID,
                aliases=("上级综治中心编号",),
            ),
        ),
        "a governance center",
    ),
    LedgerKind(
        Kind.DEPARTMENTS,
        "部门名册",
        "Departments and stations (派出所, 司法所, 县公安局 …) of a county or township: one row "
        "per department.",
        (
            Column(
                "department_id",
                "部门编号",
                "the department's id",
                _P.ID,
                required=True,
                aliases=("单位编号",),
            ),
            Column(
                "name",
                "部门名称",
                "name (needed when the department is new)",
                aliases=("单位名称", "名称"),
            ),
            Column(
                "kind",
                "部门类别",
                "派出所, 司法所, 信访办, 人民法庭 … (the county's bodies "
                "by their own names: 公安局, 司法局 …)",
                _P.VOCAB,
                aliases=("类别", "部门类型"),
                vocab="department_kind",
            ),
            Column(
                "tier",
                "层级",
                "县级 or 乡镇级 (checked against the code)",
                _P.VOCAB,
                aliases=("部门层级", "级别"),
                vocab="tier",
            ),
            Column(
                "division",
                "所属区划代码",
                "NBS code of the county (6 digits) or township (9) it belongs to",
                _P.CODE,
                required=True,
                aliases=("区划代码", "所属县（乡镇）代码"),
            ),
        ),
        "a department",
    ),
    LedgerKind(
        Kind.STATIONS,
        "部门派驻",
        "Which departments are stationed at which centers (网格吹哨、部门报到): one row per "
        "department and center.",
        (
            Column(
                "department_id",
                "部门编号",
                "the department (部门名册)",
                _P.ID,
                required=True,
                aliases=("派驻部门编号", "单位编号"),
            ),
            Column(
                "center_id",
                "派驻中心编号",
                "the center it is stationed at (综治中心)",
                _P.ID,
                required=True,
                aliases=_CENTER_ID,
            ),
            Column(
                "mode",
                "派驻方式",
                "常驻, 轮驻 or 随叫随驻",
                _P.VOCAB,
                required=True,
                aliases=("入驻方式", "进驻方式"),
                vocab="station_mode",
            ),
            *_period("station (it ends only on this day)", "派驻开始日期", "派驻结束日期"),
        ),
        "a department stationed at a center",
    ),
    LedgerKind(
        Kind.GRID_HISTORY,
        "网格变更记录",
        "The grids a household was in before its current one (户情台账 holds the current "
        "one): one row per past period.",
        (
            Column(
                "household_id", "户编号", "the household", _P.ID, required=True, aliases=("户号",)
            ),
            Column(
                "grid_id",
                "原网格编号",
                "the grid it was in",
                _P.ID,
                required=True,
                aliases=("网格编号",),
            ),
            Column(
                "valid_from",
                "入格日期",
                "first day in that grid",
                _P.DATE,
                required=True,
                aliases=("开始日期",),
            ),
            Column(
                "valid_to",
                "出格日期",
                "last day in that grid",
                _P.DATE,
                required=True,
                aliases=("结束日期", "迁出日期"),
            ),
        ),
        "a past grid of a household",
    ),
    LedgerKind(
        Kind.PARTY_ORGS,
        "党组织",
        "Party organisations: committees (党委), general branches (党总支), branches (党支部) "
        "and grid groups (党小组), one row per organisation.",
        (
            Column(
                "org_id",
                "党组织编号",
                "the organisation's id",
                _P.ID,
                required=True,
                aliases=("组织编号",),
            ),
            Column(
                "name",
                "党组织名称",
                "name (needed when the organisation is new)",
                aliases=("组织名称", "名称"),
            ),
            Column(
                "kind",
                "组织类别",
                "党委, 党总支, 党支部 or 党小组",
                _P.VOCAB,
                aliases=("类别", "组织类型"),
                vocab="org_kind",
            ),
            Column(
                "division",
                "所在区划代码",
                "NBS code of the county, township or village",
                _P.CODE,
                aliases=("区划代码",),
            ),
            Column(
                "parent",
                "上级党组织编号",
                "the organisation above it",
                _P.ID,
                aliases=("上级组织编号",),
            ),
            Column(
                "covers",
                "覆盖范围",
                "the grids (by id) and townships or villages (by code) it covers "
                "(several: 、 or ;)",
                _P.ID_LIST,
                aliases=("覆盖网格", "联系网格"),
            ),
        ),
        "a party organisation",
    ),
    LedgerKind(
        Kind.PARTY_MEMBERS,
        "党员名册",
        "Party members and secretaries, by organisation: one row per person, organisation "
        "and post (a secretary who is also a member of it has two rows).",
        (
            *_person("党员编号", "党员姓名", ("人员编号",)),
            Column(
                "org_id",
                "所在党组织编号",
                "the organisation (党组织)",
                _P.ID,
                required=True,
                aliases=("党组织编号", "所在党组织"),
            ),
            Column(
                "post",
                "党内职务",
                "党员 or 书记; 党员 when blank",
                _P.VOCAB,
                aliases=("职务",),
                vocab="party_post",
            ),
            Column(
                "flow",
                "流动情况",
                "流出 or 流入 for a member who has moved; blank otherwise",
                _P.VOCAB,
                aliases=("流动党员",),
                vocab="flow",
            ),
            Column("occupation", "工作单位及职务", "occupation", aliases=("单位职务", "职业")),
            *_period(
                "membership or post (a member's new organisation ends the one before)",
                "任职（转入）日期",
                "离任（转出）日期",
            ),
        ),
        "a party member or secretary",
    ),
    LedgerKind(
        Kind.LEADERS,
        "包抓台账",
        "Leader links (包抓): county leaders to townships, township leaders to villages: one "
        "row per leader, place and period.",
        (
            *_person("领导编号", "领导姓名", ("人员编号",)),
            Column(
                "target",
                "包抓乡镇（村）代码",
                "NBS code (or name, with 所属乡镇（街道）or --area) of the township or village",
                _P.CODE,
                required=True,
                aliases=("包抓区划代码", "包抓村（社区）", "包抓乡镇", "联系点"),
            ),
            _TOWNSHIP,
            *_period("link", "包抓开始日期", "包抓结束日期"),
            Column("occupation", "职务", "post (县委常委, 副镇长 …)", aliases=("领导职务",)),
        ),
        "a leader linked to a place",
    ),
)

#: the ledger of each case's path, after the cases themselves
CASE_FLOW = LedgerKind(
    Kind.CASE_FLOW,
    "案件流转",
    "Each case's path: one row per center it was taken or escalated to (村 → 乡镇 → 县), and "
    "one per department assigned to it (with the day it reported in, 报到).",
    (
        Column(
            "case_id",
            "案件编号",
            "the case (矛盾纠纷台账)",
            _P.ID,
            required=True,
            aliases=("纠纷编号",),
        ),
        Column(
            "center_id",
            "接收中心编号",
            "the center it arrived at (escalation rows)",
            _P.ID,
            aliases=("流转中心编号", *_CENTER_ID),
        ),
        Column(
            "tier",
            "流转层级",
            "村级, 乡镇级 or 县级 (the center's, when blank)",
            _P.VOCAB,
            aliases=("层级",),
            vocab="tier",
        ),
        Column(
            "date",
            "流转日期",
            "day it arrived at that center",
            _P.DATE,
            aliases=("接收日期", "上报日期"),
        ),
        Column(
            "department_id",
            "承办部门编号",
            "the department assigned (assignment rows)",
            _P.ID,
            aliases=("部门编号",),
        ),
        Column(
            "role", "承办方式", "牵头 or 协办", _P.VOCAB, aliases=("承办角色",), vocab="assign_role"
        ),
        Column(
            "assigned",
            "交办日期",
            "day the department was assigned",
            _P.DATE,
            aliases=("派单日期",),
        ),
        Column(
            "reported",
            "报到日期",
            "day the department reported in; blank while it has not",
            _P.DATE,
            aliases=("部门报到日期",),
        ),
    ),
    "a step of a case's path",
)

KINDS = tuple(sorted((*KINDS, *NETWORK_KINDS, CASE_FLOW), key=lambda k: list(Kind).index(k.kind)))

_BY_KIND = {k.kind: k for k in KINDS}


def kind_spec(kind: Kind | str) -> LedgerKind:
    return _BY_KIND[Kind(kind)]
