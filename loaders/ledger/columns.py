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

from ...schema.model import (
    CareTag,
    CaseOutcome,
    CaseStatus,
    CaseType,
    CenterTier,
    Employment,
    GridRole,
)

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
    """The ledger kinds, in the order an import applies them."""

    WORKERS = "workers"
    HOUSEHOLDS = "households"
    LINKS = "links"
    CASES = "cases"
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


# -- vocabularies: spoken word -> model value ----------------------------------


def _vocab(canonical: dict[str, str], **extra: str) -> dict[str, str]:
    """``canonical``: model value -> the Chinese word exports write."""
    words = {zh: value for value, zh in canonical.items()}
    words.update({value: value for value in canonical})
    words.update(extra)
    return words


# the words a ledger writes for each model value: the vocabularies' own (schema/vocab.py)
TIER_ZH = {t.value: t.zh for t in CenterTier}
STATUS_ZH = {s.value: s.zh for s in CaseStatus}
OUTCOME_ZH = {o.value: o.zh for o in CaseOutcome}
RELATION_ZH = {"head": "户主", "spouse": "配偶", "child": "子女", "parent": "父母", "other": "其他"}
TAG_ZH = {t.value: t.zh for t in CareTag}
EMPLOYMENT_ZH = {e.value: e.zh for e in Employment}
GENDER_ZH = {"男": "男", "女": "女"}
LEVEL_ZH = {"1": "乡镇级", "2": "村级", "3": "微网格"}

#: vocabulary name -> (accepted word -> model value, model value -> word written)
VOCABULARIES: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "case_type": (
        _vocab({t.value: t.zh for t in CaseType}, 邻里="neighbour", 婚姻家庭="marriage_family"),
        {t.value: t.zh for t in CaseType},
    ),
    "tier": (
        _vocab(TIER_ZH, 村="village", 乡镇="township", 镇级="township", 县="county"), TIER_ZH
    ),
    "status": (
        _vocab(STATUS_ZH, 研判分流="triage", 联办="joint_handling", 已办结="closed"), STATUS_ZH
    ),
    "outcome": (_vocab(OUTCOME_ZH, 化解="resolved", 化解成功="resolved"), OUTCOME_ZH),
    "relation": (
        _vocab(RELATION_ZH, 本人="head", 妻="spouse", 夫="spouse", 妻子="spouse", 丈夫="spouse",
               子="child", 女="child", 儿子="child", 女儿="child", 父亲="parent", 母亲="parent"),
        RELATION_ZH,
    ),
    "care_tag": (_vocab(TAG_ZH, 低保="low_income", 残疾="disability"), TAG_ZH),
    "role": (
        _vocab({r.value: r.zh for r in GridRole}, 专职网格员="grid_worker",
               兼职网格员="grid_worker"),
        {r.value: r.zh for r in GridRole},
    ),
    "employment": (_vocab(EMPLOYMENT_ZH), EMPLOYMENT_ZH),
    "gender": (_vocab(GENDER_ZH, 男性="男", 女性="女", M="男", F="女", male="男", female="女"),
               GENDER_ZH),
    "grid_level": (_vocab(LEVEL_ZH, 村="2", 乡镇="1", 镇级="1", 社区级="2", 网格="2", 子网格="3"),
                   LEVEL_ZH),
    "party": (
        {"中共党员": "true", "党员": "true", "中共预备党员": "true", "预备党员": "true",
         "群众": "false", "共青团员": "false", "团员": "false", "民主党派": "false",
         "是": "true", "否": "false", "true": "true", "false": "false"},
        {"true": "中共党员", "false": "群众"},
    ),
}  # fmt: skip


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

_BY_KIND = {k.kind: k for k in KINDS}


def kind_spec(kind: Kind | str) -> LedgerKind:
    return _BY_KIND[Kind(kind)]
