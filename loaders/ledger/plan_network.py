"""The rows of the network ledgers (综治中心, 部门名册, 部门派驻, 网格变更记录, 党组织, 党员名册,
包抓台账, 案件流转): what each asks of the store and the files (see :mod:`.plan`)."""

from __future__ import annotations

from typing import Any

from ...schema.model import Label, Rel
from .plan_rows import (
    _LEVEL_LABEL,
    _LEVEL_NAME,
    _PERSON,
    _TIER_ORDER,
    _TIER_WIDTH,
    NodeKey,
    _norm,
    _pick,
    _Rows,
    _show,
)
from .validate import ParsedRow

L, R = Label, Rel


class _NetworkRows(_Rows):
    """Checks and intents of the network ledgers' rows."""

    def _pair(self, row: ParsedRow, rel: Rel, source: str, target: str, props: dict[str, Any],
              column: str) -> None:  # fmt: skip
        """A relationship identified by its two ends (and its first day, for one with a
        period); the same with other properties on an earlier row refuses this one."""
        when = props.get("valid_from")
        known = self.pairs.get((rel, source, target, when))
        if known is not None:
            for name, value in props.items():
                if _norm(known[0].get(name)) != _norm(value):
                    first = known[1]
                    row.problem(
                        name if name in row.sheet.positions else column,
                        f"{source} → {target} is on row {first.number} of {first.sheet.path.name} "
                        f"with {name} = {_show(known[0].get(name))}; this row says {_show(value)}",
                    )
                    return
        if row.ok and known is None:
            self.pairs[(rel, source, target, when)] = (props, row)

    def _new_needs(self, row: ParsedRow, label: Label, ident: str, column: str,
                   names: tuple[str, ...]) -> None:  # fmt: skip
        if not self.exists(label, ident):
            missing = [row.sheet.kind.column(n).zh for n in names if n not in row.values]
            if missing:
                row.problem(column, f"{label} {ident} does not exist (not in these files, not in "
                            f"the store): give {'、'.join(missing)} to create it")  # fmt: skip

    def _places(self, row: ParsedRow, key: str, codes: list[str], levels: tuple[int, ...]
                ) -> list[str]:  # fmt: skip
        """Division codes as checked (the units a row serves or covers); their chain of
        units is made only once the row is accepted."""
        found = [self._division(row, key, levels, code) for code in codes]
        return [c for c in found if c]

    def _centers(self, row: ParsedRow) -> None:
        v = row.values
        cid, tier = v["center_id"], v["tier"]
        code = self._division(row, "division", (_TIER_WIDTH[tier],))
        props: dict[str, Any] = {"tier": tier, **_pick(v, ("name",))}
        if code:
            props["division_code"] = code
        self._new_needs(row, L.GOVERNANCE_CENTER, cid, "center_id", ("name",))
        serves = self._places(row, "serves", v.get("serves") or ([code] if code else []),
                              (6, 9, 12))  # fmt: skip
        up = v.get("reports_to")
        if up == cid:
            row.problem("reports_to", "a center cannot report to itself")
        elif up:
            self._need(row, L.GOVERNANCE_CENTER, up, "reports_to", " (list it above this row)")
            if row.ok and _TIER_ORDER.index(self.value(L.GOVERNANCE_CENTER, up, "tier") or tier) \
                    <= _TIER_ORDER.index(tier):  # fmt: skip
                row.problem("reports_to", f"center {up} is not above a {tier}-level center")
        nodes: list[tuple[NodeKey, dict[str, Any], str]] = [
            ((L.GOVERNANCE_CENTER, cid), props, "center_id")
        ]
        if not self._offer(row, nodes):
            return
        self._accept(row, nodes)
        self.places.update(serves)
        for target in serves:
            self._pair(row, R.CENTER_SERVES, cid, target, {}, "serves")
            self.records[id(row)].append(("rel", R.CENTER_SERVES, cid, target))
        if up:
            self._pair(row, R.REPORTS_TO, cid, up, {}, "reports_to")
            self.records[id(row)].append(("rel", R.REPORTS_TO, cid, up))

    def _departments(self, row: ParsedRow) -> None:
        v = row.values
        did = v["department_id"]
        code = self._division(row, "division", (6, 9))
        tier = v.get("tier")
        if code and tier and _TIER_WIDTH[tier] != len(code):
            row.problem("tier", f"a {tier}-level department belongs to a "
                        f"{_LEVEL_NAME[_TIER_WIDTH[tier]]}, not to {code}")  # fmt: skip
        props = _pick(v, ("name", "kind"))
        if code:
            props["division_code"] = code
        self._new_needs(row, L.DEPARTMENT, did, "department_id", ("name",))
        nodes: list[tuple[NodeKey, dict[str, Any], str]] = [
            ((L.DEPARTMENT, did), props, "department_id")
        ]
        if self._offer(row, nodes):
            self._accept(row, nodes)
            self.facts.defaults[(L.DEPARTMENT, did)]["kind"] = "other"

    def _stations(self, row: ParsedRow) -> None:
        v = row.values
        did, cid = v["department_id"], v["center_id"]
        self._need(row, L.DEPARTMENT, did, "department_id")
        self._need(row, L.GOVERNANCE_CENTER, cid, "center_id")
        if row.ok:
            props = {"mode": v["mode"], **_pick(v, ("valid_from", "valid_to"))}
            self._pair(row, R.STATIONED_AT, did, cid, props, "mode")
        if row.ok:
            self.records[id(row)] = [("period", R.STATIONED_AT, did, cid)]

    def _grid_history(self, row: ParsedRow) -> None:
        v = row.values
        hid, grid = v["household_id"], v["grid_id"]
        self._need(row, L.HOUSEHOLD, hid, "household_id")
        self._need(row, L.GRID, grid, "grid_id")
        current = self.value(L.HOUSEHOLD, hid, "grid_since")
        if current and v["valid_to"] >= current:
            row.problem("valid_to", f"household {hid} is in its current grid from "
                        f"{current.isoformat()}: a past period ends before")  # fmt: skip
        if not row.ok:
            return
        self.history[hid].append({"target": grid, "valid_from": v["valid_from"],
                                  "valid_to": v["valid_to"]})  # fmt: skip
        self.records[id(row)] = [("period", R.IN_GRID, hid, grid)]

    def _party_orgs(self, row: ParsedRow) -> None:
        v = row.values
        oid = v["org_id"]
        props = _pick(v, ("name", "kind"))
        if "division" in v:
            code = self._division(row, "division", (6, 9, 12))
            if code:
                props["division_code"] = code
        self._new_needs(row, L.PARTY_ORGANIZATION, oid, "org_id",
                        ("name", "kind", "division"))  # fmt: skip
        parent = v.get("parent")
        if parent == oid:
            row.problem("parent", "an organisation cannot be its own parent")
        elif parent:
            self._need(row, L.PARTY_ORGANIZATION, parent, "parent", " (list it above this row)")
        covers: list[tuple[Label, str]] = []
        for target in v.get("covers", ()):
            if target.isdigit():
                covers += [(_LEVEL_LABEL[len(c)], c) for c in
                           self._places(row, "covers", [target], (9, 12))]  # fmt: skip
            else:
                self._need(row, L.GRID, target, "covers")
                covers.append((L.GRID, target))
        nodes: list[tuple[NodeKey, dict[str, Any], str]] = [
            ((L.PARTY_ORGANIZATION, oid), props, "org_id")
        ]
        if not self._offer(row, nodes):
            return
        self._accept(row, nodes)
        if parent:
            self._pair(row, R.SUBORDINATE_TO, oid, parent, {}, "parent")
            self.records[id(row)].append(("rel", R.SUBORDINATE_TO, oid, parent))
        self.places.update(t for label, t in covers if label is not L.GRID)
        for label, target in covers:
            self._pair(row, R.PARTY_COVERS, oid, target, {"label": label}, "covers")
            self.records[id(row)].append(("rel", R.PARTY_COVERS, oid, target))

    def _person_row(self, row: ParsedRow, props: dict[str, Any], hint: str) -> str:
        """The person a network row is about: made when new (with a name)."""
        pid: str = row.values["person_id"]
        if "name" not in props and not self.exists(L.PERSON, pid):
            row.problem("person_id", f"person {pid} is new: give {hint} to create them")
        return pid

    def _party_members(self, row: ParsedRow) -> None:
        v = row.values
        props = _pick(v, (*_PERSON, "occupation"))
        pid = self._person_row(row, props, "党员姓名")
        oid = v["org_id"]
        self._need(row, L.PARTY_ORGANIZATION, oid, "org_id")
        post = v.get("post", "member")
        if post == "secretary" and "flow" in v:
            row.problem("flow", "流动情况 is a member's (党内职务 党员)")
        nodes: list[tuple[NodeKey, dict[str, Any], str]] = [((L.PERSON, pid), props, "person_id")]
        if not self._offer(row, nodes):
            return
        rel = R.PARTY_MEMBER_OF if post == "member" else R.SECRETARY_OF
        props = _pick(v, ("valid_from", "valid_to"))
        if post == "member":
            props["flow"] = v.get("flow")
        self._pair(row, rel, pid, oid, props, "flow")
        if not row.ok:
            return
        self._accept(row, nodes)
        self.records[id(row)][:0] = [("period", rel, pid, oid), ("period", rel, pid)]
        self.facts.defaults[(L.PERSON, pid)].setdefault("party_member", True)
        self._default_division(pid, lambda: self.value(L.PARTY_ORGANIZATION, oid, "division_code"))

    def _leaders(self, row: ParsedRow) -> None:
        v = row.values
        props = _pick(v, (*_PERSON, "occupation"))
        pid = self._person_row(row, props, "领导姓名")
        code = self._division(row, "target", (9, 12))
        nodes: list[tuple[NodeKey, dict[str, Any], str]] = [((L.PERSON, pid), props, "person_id")]
        if not code or not self._offer(row, nodes):
            return
        self._accept(row, nodes)
        self.places.add(code)
        label = _LEVEL_LABEL[len(code)]
        self.leads[(pid, label)].append(
            {"target": code, "valid_from": v.get("valid_from"), "valid_to": v.get("valid_to")}
        )
        self.records[id(row)][:0] = [("period", R.LEADER_OF, pid, code),
                                     ("period", R.LEADER_OF, pid)]  # fmt: skip
        self._default_division(pid, lambda: code[: len(code) - 3] if len(code) == 9 else code[:9])

    def _case_flow(self, row: ParsedRow) -> None:
        v = row.values
        cid = v["case_id"]
        self._need(row, L.CASE, cid, "case_id")
        if "center_id" in v:
            center = v["center_id"]
            self._need(row, L.GOVERNANCE_CENTER, center, "center_id")
            tier = self.value(L.GOVERNANCE_CENTER, center, "tier")
            if tier and v.get("tier", tier) != tier:
                row.problem("tier", f"center {center} is {tier}-level")
            if row.ok:
                props = {"date": v["date"], "tier": v.get("tier", tier)}
                self._pair(row, R.ESCALATED_TO, cid, center, props, "date")
            if row.ok:
                self.records[id(row)] = [("rel", R.ESCALATED_TO, cid, center)]
        else:
            did = v["department_id"]
            self._need(row, L.DEPARTMENT, did, "department_id")
            if row.ok:
                props = {k: v.get(k) for k in ("role", "assigned", "reported")}
                self._pair(row, R.ASSIGNED_TO, cid, did, props, "assigned")
            if row.ok:
                self.records[id(row)] = [("rel", R.ASSIGNED_TO, cid, did)]
