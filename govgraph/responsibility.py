"""Who is responsible for a household, from one small statement per node and relationship
on its chain.

The catalog's ``responsible`` statement is a union of 22 branches, each finding the
household again and walking to one role. Neo4j plans that well; LadybugDB pays a fixed
cost for every operator of every branch (about 0.25 ms a branch at a million households,
measured), and more again for every table a pattern spans — a statement whose unlabelled
node may be a village, a grid or a person costs more than the three of them apart (0.16 ms
against 0.03 each on 镇原县). So on the embedded engine the same rows
come from statements that each start from one node by id — the household, each of its
grids (and their parents), its village, township and county, each party organisation
found — and follow one relationship to one label, keeping a relationship's period in
Python instead of in the engine. One exception, measured: the household's village and its
grid memberships come from one statement (``household_place``) whose two relationships
both start from the household, half the time of the two apart (0.089 ms against 0.183 on
镇原县); a household in no grid or no village, which it finds nothing for, is read the
other way. The rows are those of ``responsible``, role by role: tests compare the two on
every household of the hand-built graphs and of scenarios.
"""

from __future__ import annotations

from collections.abc import Callable
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
    does not exist. The rows about its grids and village are shared with every other
    household there (see :func:`_kept`): read them, never change them."""
    read = backend.read_point
    at = {"household": household}
    villages, grids = _place(read("household_place", at))
    own = villages
    if not villages:  # in no grid, or in no village: each apart
        villages = read("household_village", at)
        own = villages or read("household_lookup", at)
        if not own:
            return []
        grids = [{**r, "grid_name": r["name"]} for r in read("household_grids", at)]
    out = [_row("household", household, own[0]["address"], own[0]["division_code"])]
    for r in grids:
        if held(r, as_of):
            out.append(_row("grid", r["grid"], r["grid_name"], household))
            out += _kept(backend, _grid, r["grid"], as_of)
    out += [
        _row("linking_party_member", r["id"], r["name"], household)
        for r in read("household_linking", at)
        if held(r, as_of)
    ]
    for village in villages:
        out.append(_row("village", village["id"], village["name"], household, village["kind"]))
        out += _kept(backend, _units, village["id"], as_of)
    return out


def _kept(
    backend: GraphBackend,
    part: Callable[[GraphBackend, str, date], list[Row]],
    place: str,
    as_of: date,
) -> tuple[Row, ...]:
    """The rows ``part`` gives for ``place`` on ``as_of``: made of answers about places
    alone, they are kept with them (:meth:`~.backends.base.GraphBackend.keep_place`), the
    same for every household there, until a write that may change a place. Shared: read,
    never changed."""
    return backend.keep_place(
        (part.__name__, place, as_of), lambda: tuple(part(backend, place, as_of))
    )


def _place(rows: list[Row]) -> tuple[list[Row], list[Row]]:
    """``household_place``'s rows (one for each village and membership) as the villages and
    the memberships, each once: the rows of ``household_village`` and ``household_grids``."""
    villages = list({r["id"]: r for r in rows}.values())  # the same village in each
    first = villages[0]["id"] if villages else None
    return villages, [r for r in rows if r["id"] == first]


def _grid(backend: GraphBackend, grid: str, as_of: date) -> list[Row]:
    """The household's grid: its people and party group (with its secretary), then the
    heads of the grids above it (up to :data:`PARENT_LEVELS`): a grid is a place its
    households share."""
    read = backend.read_place
    out = []
    for r in read("grid_party", {"grid": grid}):
        out.append(_row("grid_party_group", r["id"], r["name"], grid, r["kind"]))
        out += _secretaries(backend, r["id"], "grid_party_group_secretary", as_of)
    for r in read("responsible_grid", {"grid": grid}):
        if held(r, as_of):
            detail = r["employment"] if r["rel"] == "GRID_WORKER_OF" else ""
            out.append(_row(_GRID_ROLES[r["rel"]], r["id"], r["name"], grid, detail))
    below = [grid]
    for _ in range(PARENT_LEVELS):
        above = [p for b in below for p in read("responsible_parent_grid", {"grid": b})]
        for parent in above:
            out.append(_row("parent_grid", parent["id"], parent["name"], grid))
            out += [
                _row("grid_head", r["id"], r["name"], parent["id"])
                for r in read("responsible_grid", {"grid": parent["id"]})
                if r["rel"] == "GRID_HEAD_OF" and held(r, as_of)
            ]
        below = [p["id"] for p in above]
    return out


def _units(backend: GraphBackend, village: str, as_of: date) -> list[Row]:
    """The centers, leaders and party branch (with its secretary) of the household's
    village, and its township and county with theirs (the loaders give every village its
    township and county)."""
    read = backend.read_place
    out = [
        _row("village_center", r["center"], r["name"], village, r["tier"])
        for r in read("village_centers", {"village": village})
    ]
    for r in read("village_party", {"village": village}):
        out.append(_row("village_party_branch", r["id"], r["name"], village, r["kind"]))
        out += _secretaries(backend, r["id"], "village_party_secretary", as_of)
    out += [
        _row("township_leader", r["id"], r["name"], village)
        for r in read("village_leaders", {"village": village})
        if held(r, as_of)
    ]
    for township in read("village_township", {"village": village}):
        at = {"township": township["id"]}
        out.append(_row("township", township["id"], township["name"], "", township["kind"]))
        out += [
            _row("township_center", r["id"], r["name"], township["id"], r["tier"])
            for r in read("township_centers", at)
        ]
        out += [
            _row("county_leader", r["id"], r["name"], township["id"])
            for r in read("township_leaders", at)
            if held(r, as_of)
        ]
        for county in read("township_county", at):
            out.append(_row("county", county["id"], county["name"], "", county["kind"]))
            out += [
                _row("county_center", r["id"], r["name"], county["id"], r["tier"])
                for r in read("county_centers", {"county": county["id"]})
            ]
    return out


def _secretaries(backend: GraphBackend, org: str, role: str, as_of: date) -> list[Row]:
    """The secretaries of party organisation ``org`` on ``as_of`` (one whose post began
    before periods were kept counts), as ``role``."""
    return [
        _row(role, r["id"], r["name"], org)
        for r in backend.read_place("responsible_secretaries", {"org": org})
        if held(r, as_of, open_start=True)
    ]
