"""Stage three: party organisations, members, and the households they link."""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ...schema.model import (
    PartyOrgKind,
)
from .people import _People
from .state import L, R
from .synth import _date, _date_array


class _Party(_People):
    def _party(self) -> None:
        spec, b, rng = self.spec, self.b, self.rng
        self.group_of_grid = {}
        self.group_of_linker = {}
        for c in self.counties:
            name = self.divs.get(c).name
            b.node(
                L.PARTY_ORGANIZATION,
                id=f"PC{c}",
                name=f"中共{name}委员会",
                kind=PartyOrgKind.COMMITTEE,
                division_code=c,
            )
            for leader in self.county_leaders.get(c, []):
                b.rel(R.PARTY_MEMBER_OF, (L.PERSON, leader), (L.PARTY_ORGANIZATION, f"PC{c}"),
                      flow="", valid_from=self._since(400, 6000))  # fmt: skip
            if self.county_leaders.get(c):
                b.rel(
                    R.SECRETARY_OF,
                    (L.PERSON, self.county_leaders[c][0]),
                    (L.PARTY_ORGANIZATION, f"PC{c}"),
                    valid_from=self._since(100, 1500),
                )
        for t in self.townships:
            tid = f"PC{t.code}"
            self._org(tid, f"中共{t.name}委员会", PartyOrgKind.COMMITTEE, t.code, f"PC{t.parent}")
            b.rel(R.PARTY_COVERS, (L.PARTY_ORGANIZATION, tid), (L.TOWNSHIP, t.code))
            cadres = self.cadres.get(t.code, [])
            organ = []
            for i in range(spec.extra_branches):
                oid = f"PB{t.code}{i + 1:02d}"
                organ.append(oid)
                self._org(oid, f"{t.name}机关第{i + 1}党支部", PartyOrgKind.BRANCH, t.code, tid)
            if cadres:
                b.rel(R.SECRETARY_OF, (L.PERSON, cadres[0]), (L.PARTY_ORGANIZATION, tid),
                      valid_from=self._since(100, 1500))  # fmt: skip
            for i, c in enumerate(cadres):
                home = organ[i % len(organ)] if organ else tid
                b.rel(R.PARTY_MEMBER_OF, (L.PERSON, c), (L.PARTY_ORGANIZATION, home), flow="",
                      valid_from=self._since(400, 6000))  # fmt: skip
                if organ and i < len(organ):
                    b.rel(R.SECRETARY_OF, (L.PERSON, c), (L.PARTY_ORGANIZATION, organ[i]),
                          valid_from=self._since(100, 1500))  # fmt: skip
        for vi, v in enumerate(self.villages):
            code = v.div.code
            bid = f"PB{code}"
            self._org(
                bid,
                f"中共{v.div.short_name}支部委员会",
                PartyOrgKind.BRANCH,
                code,
                f"PC{v.township.code}",
            )
            b.rel(R.PARTY_COVERS, (L.PARTY_ORGANIZATION, bid), (L.VILLAGE, code))
            b.rel(
                R.SECRETARY_OF,
                (L.PERSON, self._person(self.village_head[vi])),
                (L.PARTY_ORGANIZATION, bid),
                valid_from=self._since(100, 1500),
            )
            links = self.linking_people[vi]
            for j in range(v.groups):
                gid = f"PG{code}{j + 1:02d}"
                self._org(
                    gid,
                    f"{v.div.short_name}第{j + 1}网格党小组",
                    PartyOrgKind.GRID_GROUP,
                    code,
                    bid,
                )
                for k in range(j, v.grids, v.groups):
                    self.group_of_grid[v.leaf_ids[k]] = gid
                    b.rel(R.PARTY_COVERS, (L.PARTY_ORGANIZATION, gid), (L.GRID, v.leaf_ids[k]))
                mine = links[j :: v.groups]
                secretary = int(mine[0]) if len(mine) else self.village_head[vi]
                b.rel(
                    R.SECRETARY_OF,
                    (L.PERSON, self._person(secretary)),
                    (L.PARTY_ORGANIZATION, gid),
                    valid_from=self._since(100, 1500),
                )
            for j, p in enumerate(links):
                home = f"PG{code}{j % v.groups + 1:02d}" if v.groups else bid
                self.group_of_linker[int(p)] = home
        # every resident party member joins a branch or grid group; a few have flowed out
        members = np.flatnonzero(self.party)
        vcodes = np.array([v.div.code for v in self.villages])
        group = np.array([self.group_of_linker.get(int(p), "") for p in members], dtype=object)
        village_of = self.hh_village[self.person_hh[members]]
        fallback = np.char.add("PB", vcodes[village_of]).astype(object)
        homes = np.where(group == "", fallback, group)
        flow = np.where(rng.random(len(members)) < 0.03, "out", "")
        flow[np.isin(members, list(self.group_of_linker))] = ""
        b.rel_table(
            R.PARTY_MEMBER_OF,
            L.PERSON,
            L.PARTY_ORGANIZATION,
            dict(
                source=pc.take(self.person_ids, pa.array(members)),
                target=pa.array(homes.astype(str)),
                flow=pa.array(flow),
                valid_from=_date_array(
                    self.today - self.since_rng.integers(400, 6000, len(members))
                ),
            ),
        )

    def _since(self, low: int, high: int) -> date | None:
        """A day between ``high`` and ``low`` days before the scenario's day (when a station
        or a party post began)."""
        return _date(self.today - int(self.since_rng.integers(low, high)))

    def _org(self, oid: str, name: str, kind: PartyOrgKind, code: str, parent: str) -> None:
        """A party organization under ``parent``."""
        self.b.node(L.PARTY_ORGANIZATION, id=oid, name=name, kind=kind, division_code=code)
        self.b.rel(R.SUBORDINATE_TO, (L.PARTY_ORGANIZATION, oid), (L.PARTY_ORGANIZATION, parent))

    def _links(self) -> None:
        spec, rng = self.spec, self.rng
        n = len(self.hh_grid)
        if spec.linked_households is not None:
            unlinked_n = n - spec.linked_households - int(rng.integers(100, 500))
            unlinked_n = max(1, unlinked_n)
        else:
            unlinked_n = max(1, n // 33)
        linked = np.ones(n, dtype=bool)
        linked[rng.choice(n, size=unlinked_n, replace=False)] = False
        src: list[np.ndarray] = []
        dst: list[np.ndarray] = []
        for vi, v in enumerate(self.villages):
            lo, hi = v.first_household, v.first_household + v.households
            hh = lo + np.flatnonzero(linked[lo:hi])
            links = self.linking_people[vi]
            if len(links) == 0:
                linked[lo:hi] = False
                continue
            owner = (np.arange(len(hh)) * len(links)) // max(1, len(hh))
            src.append(links[owner])
            dst.append(hh)
        self.linked = linked
        s = np.concatenate(src) if src else np.zeros(0, np.int64)
        d = np.concatenate(dst) if dst else np.zeros(0, np.int64)
        start = self.today - rng.integers(60, 1500, len(s))
        self.b.rel_table(
            R.LINKS_HOUSEHOLD,
            L.PERSON,
            L.HOUSEHOLD,
            dict(
                source=pc.take(self.person_ids, pa.array(s)),
                target=pc.take(self.hh_ids, pa.array(d)),
                valid_from=_date_array(start),
            ),
        )
        # history: 2% of links took over from a member who stepped down
        if len(s):
            changed = np.flatnonzero(rng.random(len(s)) < 0.02)
            prev = s[(changed + 1) % len(s)]
            home = self.hh_village[self.person_hh]
            keep = (prev != s[changed]) & (home[prev] == home[s[changed]])
            changed, prev = changed[keep], prev[keep]
            self.b.rel_table(
                R.LINKS_HOUSEHOLD,
                L.PERSON,
                L.HOUSEHOLD,
                dict(
                    source=pc.take(self.person_ids, pa.array(prev)),
                    target=pc.take(self.hh_ids, pa.array(d[changed])),
                    valid_from=_date_array(start[changed] - 700),
                    valid_to=_date_array(start[changed] - 1),
                ),
            )
        self.link_pairs = (s, d)
