"""Who is responsible for a household, from one small statement per node on its chain.

The catalog's ``responsible`` statement is a union of 22 branches, each finding the
household again and walking to one role. Neo4j plans that well; LadybugDB pays a fixed
cost for every operator of every branch (about 0.25 ms a branch at a million households,
measured), so on the embedded engine the same rows come from a few statements that each
start from one node by id — the household, each of its grids (and their parents), its
village, township and county, each party organisation found — and keep a relationship's
period in Python instead of in the engine. The rows are those of ``responsible``, role by
role: tests compare the two on every household of the hand-built graphs and of scenarios.
"""

from __future__ import annotations

from datetime import date

from .backends.base import GraphBackend, Row

__all__ = ["anchored_rows", "held"]

#: how many levels of parent grids the answer climbs (as the union does)
PARENT_LEVELS = 2

_GRID_ROLES = {
    "GRID_WORKER_OF": "grid_worker",
    "GRID_HEAD_OF": "grid_head",
    "VOLUNTEER_OF": "volunteer",
    "SUNK_CADRE_OF": "sunk_cadre",
}


def held(row: Row, as_of: date, *, open_start: bool = False) -> bool:
    """Whether the relationship in ``row`` (``valid_from``, ``valid_to``) holds on ``as_of``.
    One with no first day holds only if ``open_start`` (a secretary's post from before
    periods were kept), as the union's ``valid_from <= $as_of`` does otherwise."""
    start, end = row["valid_from"], row["valid_to"]
    begun = open_start if start is None else start <= as_of
    return begun and (end is None or end >= as_of)


def _row(role: str, id_: str, name: str | None, via: str, detail: str | None = "") -> Row:
    return {"role": role, "id": id_, "name": name, "via": via, "detail": detail}


def anchored_rows(backend: GraphBackend, household: str, as_of: date) -> list[Row]:
    """The rows of the ``responsible`` statement for ``household`` on ``as_of`` (role, id,
    name, via, detail; unsorted, as the union returns them), none for a household that
    does not exist."""
    read = backend.read_point
    own = read("responsible_household", {"household": household})
    if not own:
        found = read("household_lookup", {"household": household})
        if not found:
            return []
        own = [{**found[0], "rel": None}]
    out = [_row("household", household, own[0]["address"], own[0]["division_code"])]
    grids, villages = [], []
    for r in own:
        if r["rel"] == "IN_GRID" and held(r, as_of):
            grids.append(r["id"])
            out.append(_row("grid", r["id"], r["name"], household))
        elif r["rel"] == "LINKS_HOUSEHOLD" and held(r, as_of):
            out.append(_row("linking_party_member", r["id"], r["name"], household))
        elif r["rel"] == "LOCATED_IN":
            villages.append(r["id"])
            out.append(_row("village", r["id"], r["name"], household, r["kind"]))
    organisations: list[tuple[str, str]] = []  # (organisation, its secretary's role)
    for grid in grids:
        out += _grid(backend, grid, as_of, organisations)
    for village in villages:
        out += _units(backend, household, village, as_of, organisations)
    posts: dict[str, list[Row]] = {}
    for org, role in organisations:
        if org not in posts:
            posts[org] = read("responsible_secretaries", {"org": org})
        held_posts = [r for r in posts[org] if held(r, as_of, open_start=True)]
        out += [_row(role, r["id"], r["name"], org) for r in held_posts]
    return out


def _grid(
    backend: GraphBackend, grid: str, as_of: date, organisations: list[tuple[str, str]]
) -> list[Row]:
    """The household's grid: its people and party group, then the heads of the grids above
    it (up to :data:`PARENT_LEVELS`)."""
    out = []
    for r in backend.read_point("responsible_grid", {"grid": grid}):
        if r["rel"] == "PARTY_COVERS":
            out.append(_row("grid_party_group", r["id"], r["name"], grid, r["kind"]))
            organisations.append((r["id"], "grid_party_group_secretary"))
        elif held(r, as_of):
            detail = r["employment"] if r["rel"] == "GRID_WORKER_OF" else ""
            out.append(_row(_GRID_ROLES[r["rel"]], r["id"], r["name"], grid, detail))
    below = [grid]
    for _ in range(PARENT_LEVELS):
        above = [
            p for b in below for p in backend.read_point("responsible_parent_grid", {"grid": b})
        ]
        for parent in above:
            out.append(_row("parent_grid", parent["id"], parent["name"], grid))
            out += [
                _row("grid_head", r["id"], r["name"], parent["id"])
                for r in backend.read_point("responsible_grid", {"grid": parent["id"]})
                if r["rel"] == "GRID_HEAD_OF" and held(r, as_of)
            ]
        below = [p["id"] for p in above]
    return out


def _units(
    backend: GraphBackend,
    household: str,
    village: str,
    as_of: date,
    organisations: list[tuple[str, str]],
) -> list[Row]:
    """The centers, leaders and party branch of the household's village, and its township
    and county with theirs (the loaders give every village its township and county)."""
    read = backend.read_point
    out = []
    for r in read("responsible_village_roles", {"village": village}):
        if r["rel"] == "CENTER_SERVES":
            out.append(_row("village_center", r["id"], r["name"], village, r["tier"]))
        elif r["rel"] == "PARTY_COVERS":
            out.append(_row("village_party_branch", r["id"], r["name"], village, r["kind"]))
            organisations.append((r["id"], "village_party_secretary"))
        elif held(r, as_of):
            out.append(_row("township_leader", r["id"], r["name"], village))
    for u in read("responsible_units", {"village": village}):
        township, county = u["township"], u["county"]
        out += [
            _row("township", township, u["township_name"], "", u["township_kind"]),
            _row("county", county, u["county_name"], "", u["county_kind"]),
        ]
        for r in read("responsible_township_roles", {"township": township}):
            if r["rel"] == "CENTER_SERVES":
                out.append(_row("township_center", r["id"], r["name"], township, r["tier"]))
            elif held(r, as_of):
                out.append(_row("county_leader", r["id"], r["name"], township))
        out += [
            _row("county_center", r["id"], r["name"], county, r["tier"])
            for r in read("responsible_county_centers", {"county": county})
        ]
    return out
