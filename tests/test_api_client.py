"""A client generated from /openapi.json by a common generator (openapi-python-client)
reads as the questions do and parses the API's problem details."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from govgraph.api import create_app
from govgraph.api.auth import AuthStore
from govgraph.config import Settings

GENERATOR = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent))
pytestmark = pytest.mark.skipif(
    GENERATOR is None, reason="openapi-python-client is not installed (pip install -e '.[dev]')"
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory, loaded: Any) -> Iterator[Any]:
    """The generated package, with a county token and the app on the qingping store."""
    import json

    qingping = loaded("qingping")
    where = tmp_path_factory.mktemp("client")
    auth = AuthStore(where / "auth.sqlite3")
    app = create_app(Settings.load(str(qingping.path), {}), backend=qingping.backend, auth=auth)
    (where / "openapi.json").write_text(json.dumps(app.openapi()), encoding="utf-8")
    subprocess.run(
        [str(GENERATOR), "generate", "--path", "openapi.json", "--meta", "none",
         "--output-path", "govgraph_client"],
        cwd=where, check=True, capture_output=True, text=True, timeout=300,
        env={"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"},
    )  # fmt: skip
    sys.path.insert(0, str(where))
    token = auth.create("township", qingping.scenario.spec.area)[1]
    with TestClient(app) as http:
        http.headers["Authorization"] = f"Bearer {token}"
        yield where / "govgraph_client", http, qingping
    sys.path.remove(str(where))


def test_the_generated_functions_are_named_as_the_questions(generated: Any) -> None:
    package, _, _ = generated
    modules = {p.stem for p in (package / "api").rglob("*.py") if p.stem != "__init__"}
    assert {"responsible", "uncovered", "overloaded", "coordination", "overdue",
            "area_summary", "record_visit", "open_case", "escalate"} <= modules  # fmt: skip
    # FastAPI's default would be e.g. responsible_households__household_id__responsible_get
    assert all(len(m) <= 20 and "__" not in m for m in modules), modules


def test_the_generated_client_answers_and_parses_problem_details(generated: Any) -> None:
    _, http, qingping = generated
    client_module = importlib.import_module("govgraph_client")
    responsible = importlib.import_module("govgraph_client.api.households.responsible")
    problem = importlib.import_module("govgraph_client.models.problem").Problem
    client = client_module.AuthenticatedClient(base_url="http://testserver", token="unused")
    client.set_httpx_client(http)
    household = qingping.backend.read(
        "sample_households", {"area": qingping.scenario.spec.area, "limit": 1}
    )[0]["id"]
    answer = responsible.sync(household, client=client, as_of=qingping.scenario.spec.as_of)
    assert answer.household == household
    assert {r.role for r in answer.roles} >= {"household", "grid", "grid_worker"}
    missing = responsible.sync_detailed("H-none", client=client)
    assert missing.status_code == 404
    assert isinstance(missing.parsed, problem)
    assert missing.parsed.status == 404 and "H-none" in missing.parsed.detail
