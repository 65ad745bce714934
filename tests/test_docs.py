"""Documentation that is generated from the code stays in step with it."""

from __future__ import annotations

from pathlib import Path

from govgraph.schema.docs import mermaid, property_tables

ROOT = Path(__file__).resolve().parents[1]


def test_the_schema_readme_shows_the_current_model() -> None:
    text = (ROOT / "schema" / "README.md").read_text(encoding="utf-8")
    assert mermaid() in text, "regenerate schema/README.md from govgraph.schema.docs"
    assert property_tables() in text


def test_the_readme_opens_with_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = text.split("```bash", 1)[1].split("```", 1)[0]
    assert "govgraph demo" in first_block
    second_block = text.split("```bash", 2)[2].split("```", 1)[0]
    assert "bash scripts/check" in second_block
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/check" in ci


def test_the_ledger_page_shows_the_current_columns() -> None:
    from govgraph.loaders.ledger.docs import ledgers_markdown

    text = (ROOT / "docs" / "ledgers.md").read_text(encoding="utf-8")
    assert text == ledgers_markdown(), (
        "regenerate: python -m govgraph.loaders.ledger.docs > docs/ledgers.md"
    )
