"""Documentation generated from the model, so the diagram in ``schema/README.md`` cannot drift."""

from __future__ import annotations

from .model import NODES, RELATIONSHIPS

__all__ = ["mermaid", "property_tables"]


def mermaid() -> str:
    """A Mermaid flowchart of every label and relationship type."""
    lines = ["```mermaid", "flowchart LR"]
    for n in NODES:
        lines.append(f"    {n.label}[{n.label}]")
    for r in RELATIONSHIPS:
        for source, target in r.pairs:
            lines.append(f"    {source} -->|{r.type}| {target}")
    lines.append("```")
    return "\n".join(lines)


def property_tables() -> str:
    """Markdown tables of every label's and relationship type's properties."""
    out = ["### Nodes", ""]
    for n in NODES:
        out += [f"**{n.label}** — {n.doc}", "", "| property | type | meaning |", "|---|---|---|"]
        for p in n.props:
            flag = (
                f" (sensitive: stored masked, the full value only in `{p.name}_sealed`)"
                if p.sensitive
                else ""
            )
            out.append(f"| `{p.name}` | {p.type.value} | {p.doc}{flag} |")
        out.append("")
    out += [
        "### Relationships",
        "",
        "| type | from → to | properties | meaning |",
        "|---|---|---|---|",
    ]
    for r in RELATIONSHIPS:
        pairs = ", ".join(f"{a} → {b}" for a, b in r.pairs)
        props = ", ".join(f"`{p.name}`" for p in r.props) or "—"
        out.append(f"| `{r.type}` | {pairs} | {props} | {r.doc} |")
    return "\n".join(out)
