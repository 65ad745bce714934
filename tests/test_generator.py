from __future__ import annotations

import numpy as np
import pyarrow.compute as pc
import pytest

from govgraph.errors import ScenarioError
from govgraph.loaders.generator import apportion, generate, id_numbers
from govgraph.loaders.scenarios import SCENARIOS, get_scenario
from govgraph.schema.model import Label, Rel

_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def _gb11643_ok(number: str) -> bool:
    total = sum(int(d) * w for d, w in zip(number[:17], _W, strict=True))
    return "10X98765432"[total % 11] == number[17]


def test_apportion_splits_exactly_and_respects_minimums() -> None:
    rng = np.random.default_rng(1)
    for _ in range(200):
        n = int(rng.integers(1, 30))
        weights = rng.random(n)
        minimum = rng.integers(0, 3, n)
        total = int(minimum.sum() + rng.integers(0, 500))
        parts = apportion(total, weights, minimum)
        assert parts.sum() == total
        assert (parts >= minimum).all()
    with pytest.raises(ScenarioError):
        apportion(1, [1, 1], minimum=1)


def test_id_numbers_carry_valid_check_digits() -> None:
    rng = np.random.default_rng(3)
    birth = np.array(["1980-02-29", "2001-12-31", "1955-06-01"], dtype="datetime64[D]")
    numbers = id_numbers(
        np.array(["621027", "140225", "152221"]), birth, np.array([True, False, True]), rng
    ).to_pylist()
    assert [n[:14] for n in numbers] == ["62102719800229", "14022520011231", "15222119550601"]
    assert all(_gb11643_ok(n) for n in numbers)
    assert int(numbers[0][16]) % 2 == 1 and int(numbers[1][16]) % 2 == 0  # odd = male


def test_generation_is_deterministic_for_a_seed() -> None:
    a = generate(get_scenario("wucheng"))
    b = generate(get_scenario("wucheng"))
    c = generate(get_scenario("wucheng", seed=7))
    for label, table in a.tables.nodes.items():
        assert table.equals(b.tables.nodes[label]), label
    assert a.manifest == b.manifest
    assert not a.tables.nodes[Label.PERSON].equals(c.tables.nodes[Label.PERSON])


def test_people_are_real_looking_and_sensitive_fields_valid() -> None:
    people = generate(get_scenario("qingping")).tables.nodes[Label.PERSON]
    ids = people.column("id_number").to_pylist()
    assert all(len(n) == 18 and _gb11643_ok(n) for n in ids)
    assert len(set(people.column("id").to_pylist())) == people.num_rows
    phones = [p for p in people.column("phone").to_pylist() if p]
    assert all(len(p) == 11 and p[0] == "1" and p[1] in "3456789" for p in phones)
    assert set(people.column("gender").to_pylist()) == {"男", "女"}


def test_the_manifest_matches_the_generated_tables() -> None:
    s = generate(get_scenario("qingping"))
    m, t = s.manifest, s.tables
    in_grid = t.relationships[(Rel.IN_GRID, Label.HOUSEHOLD, Label.GRID)]
    active = in_grid.filter(pc.is_null(in_grid.column("valid_to")))
    gridded = set(active.column("source").to_pylist())
    every = set(t.nodes[Label.HOUSEHOLD].column("id").to_pylist())
    assert set(m.households_without_grid) == every - gridded
    links = t.relationships[(Rel.LINKS_HOUSEHOLD, Label.PERSON, Label.HOUSEHOLD)]
    linked = set(links.filter(pc.is_null(links.column("valid_to"))).column("target").to_pylist())
    assert set(m.households_unlinked) == every - linked
    assert m.households == len(every)
    # every planted kind of imperfection is present
    assert all(n > 0 for n in m.summary().values()), m.summary()
    assert set(m.overloaded_workers) == {w for w, load in m.worker_loads.items() if load > 50}


@pytest.mark.parametrize("name", [n for n in SCENARIOS if n != "qingyang"])
def test_every_scenario_plants_every_kind_of_imperfection(name: str) -> None:
    summary = generate(get_scenario(name)).manifest.summary()
    assert all(n > 0 for n in summary.values()), summary


def test_the_scale_scenario_follows_households() -> None:
    s = generate(get_scenario("qingyang", households=30_000))
    assert s.tables.nodes[Label.HOUSEHOLD].num_rows == 30_000
    townships = s.tables.nodes[Label.TOWNSHIP].column("id").to_pylist()
    assert len(townships) == 119 and all(t.startswith("6210") for t in townships)


def test_published_households_cannot_be_resized() -> None:
    with pytest.raises(ScenarioError, match="3,545"):
        get_scenario("qingping", households=10_000)
    with pytest.raises(ScenarioError, match="unknown scenario 'nowhere'"):
        get_scenario("nowhere")
    with pytest.raises(ScenarioError, match="50,000"):
        get_scenario("horqin", households=20_000)
