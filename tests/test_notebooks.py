"""The notebooks run top to bottom on a scenario (a fresh qingping store)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from govgraph.backends.embedded import EmbeddedBackend
from govgraph.loaders.load import load_scenario

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def qingping_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("nb") / "store"
    with EmbeddedBackend(path) as backend:
        load_scenario(backend, "qingping")
    return path


def test_the_committed_notebooks_read_without_running() -> None:
    """Four notebooks (scripts/make-notebooks writes them), each committed with the outputs
    of every code cell and at least one chart."""
    import nbformat

    assert [p.stem[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04"]
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        silent = [c.source.splitlines()[0] for c in code
                  if not c.get("outputs") and c.source.strip() != "backend.close()"]  # fmt: skip
        assert silent == [], (path.name, silent)
        kinds = {k for c in code for o in c.outputs for k in o.get("data", {})}
        assert "image/png" in kinds and "text/html" in kinds, (path.name, kinds)
        assert not [o for c in code for o in c.outputs if o.output_type == "error"], path.name


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(notebook: Path, qingping_store: Path, tmp_path: Path,
                       monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("GOVGRAPH_STORE", str(qingping_store))
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    nb = nbformat.read(notebook, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()  # fmt: skip
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any(o.get("output_type") == "execute_result" for o in outputs)
    assert os.environ["GOVGRAPH_STORE"] == str(qingping_store)
