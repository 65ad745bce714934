"""Property-based fuzzing of the OpenAPI schema (schemathesis): no 5xx, no response that
breaks its schema, on every endpoint, with a valid token and generated parameters."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from govgraph.api import create_app
from govgraph.api.auth import AuthStore
from govgraph.backends.embedded import EmbeddedBackend
from govgraph.config import Settings
from govgraph.loaders.load import load_scenario

#: generated requests per endpoint (several hundred in CI; override with GOVGRAPH_FUZZ_EXAMPLES)
EXAMPLES = int(os.environ.get("GOVGRAPH_FUZZ_EXAMPLES", "300"))


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, str]]:
    path: Path = tmp_path_factory.mktemp("fuzz") / "store"
    backend = EmbeddedBackend(path)
    load_scenario(backend, "wucheng")
    auth = AuthStore(path.with_name("auth.sqlite3"))
    token = auth.create("admin", "", pii=True)[1]
    app = create_app(Settings.load(str(path), {}), backend=backend, auth=auth)
    yield schemathesis.openapi.from_asgi("/openapi.json", app), token
    backend.close()


def _operations() -> list[str]:
    spec = create_app(Settings.load("unused", {})).openapi()  # no store needed for the schema
    return [f"{method.upper()} {path}" for path, item in spec["paths"].items() for method in item]


@pytest.mark.parametrize("label", _operations())
def test_no_server_errors_and_responses_match_the_schema(
    api_schema: tuple[object, str], label: str
) -> None:
    schema, token = api_schema
    operation = next(
        op.ok()
        for op in schema.get_all_operations()  # type: ignore[attr-defined]
        if op.ok().label == label
    )
    calls = []

    @given(case=operation.as_strategy())
    @settings(
        # pictures of whole areas take seconds each: fewer of them
        max_examples=min(EXAMPLES, 60) if label.startswith("GET /views") else EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case: object) -> None:
        calls.append(1)
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"})  # type: ignore[attr-defined]

    fuzz()
    assert calls  # the strategy produced requests
