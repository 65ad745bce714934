"""The words ledgers use for the model's values: what each vocabulary column accepts (the
Chinese words offices write, common variants and the model's English values) and the word
an export writes (see :mod:`.columns`)."""

from __future__ import annotations

from ...schema.model import (
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

__all__ = ["VOCABULARIES"]


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
DEPARTMENT_ZH = {d.value: d.zh for d in DepartmentKind}
MODE_ZH = {m.value: m.zh for m in StationMode}
ORG_ZH = {k.value: k.zh for k in PartyOrgKind}
POST_ZH = {"member": "党员", "secretary": "书记"}
FLOW_ZH = {"": "", "out": "流出", "in": "流入"}
ASSIGN_ZH = {"lead": "牵头", "assist": "协办"}

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
    "department_kind": (
        _vocab(DEPARTMENT_ZH, **{c: d for d, c in
                                 ((d.value, d.zh_county) for d in DepartmentKind)}),
        DEPARTMENT_ZH,
    ),
    "station_mode": (_vocab(MODE_ZH, 随驻="on_call", 随叫随到="on_call", 轮流派驻="rotating",
                            常态派驻="resident"), MODE_ZH),
    "org_kind": (_vocab(ORG_ZH, 总支部="general_branch", 党总支部="general_branch",
                        总支="general_branch", 支部="branch", 党组="committee", 委员会="committee",
                        网格党小组="grid_group", 小组="grid_group"), ORG_ZH),
    "party_post": (_vocab(POST_ZH, 支部书记="secretary", 党委书记="secretary",
                          组长="secretary", 党小组长="secretary", 委员="member",
                          正式党员="member", 预备党员="member"), POST_ZH),
    "flow": ({"流出": "out", "流入": "in", "外出": "out", "out": "out", "in": "in",
              "无": "", "否": ""}, FLOW_ZH),
    "assign_role": (_vocab(ASSIGN_ZH, 主办="lead", 牵头单位="lead", 配合="assist",
                           协助="assist", 协办单位="assist"), ASSIGN_ZH),
    "party": (
        {"中共党员": "true", "党员": "true", "中共预备党员": "true", "预备党员": "true",
         "群众": "false", "共青团员": "false", "团员": "false", "民主党派": "false",
         "是": "true", "否": "false", "true": "true", "false": "false"},
        {"true": "中共党员", "false": "群众"},
    ),
}  # fmt: skip
