"""docs/ledgers.md, written from the column definitions (a test keeps the page in step).

Run ``python -m govgraph.loaders.ledger.docs > docs/ledgers.md`` after changing a column.
"""

from __future__ import annotations

from .columns import KINDS, VOCABULARIES, Parse

__all__ = ["ledgers_markdown"]

_PARSE_DOC = {
    Parse.TEXT: "text",
    Parse.ID: "id (no spaces or separators, ≤ 64 characters)",
    Parse.CODE: "NBS division code",
    Parse.ID_NUMBER: "ID number",
    Parse.PHONE: "phone",
    Parse.DATE: "date",
    Parse.INT: "whole number",
    Parse.BOOL: "是 / 否",
    Parse.VOCAB: "one word of the list",
    Parse.VOCAB_LIST: "words of the list, separated by 、 ; , or /",
    Parse.ID_LIST: "ids separated by 、 ; , or /",
    Parse.CODE_LIST: "NBS division codes separated by 、 ; , or /",
}

_INTRO = """\
# Ledgers (台账): import and export

govgraph reads the ledgers grid offices keep, as Excel (.xlsx) or CSV files, checks
every row, imports the good ones and sets the others aside with their reasons. Five
describe the grids and households (网格员名册, 户情台账, 党员联系户, 矛盾纠纷台账,
走访记录); eight more the network above them and the path of each case (综治中心,
部门名册, 部门派驻, 网格变更记录, 党组织, 党员名册, 包抓台账, 案件流转). Together they
hold the whole model: an area exported and imported into an empty store gives the same
store and the same answers.

```
govgraph template -o ledgers/                 # blank templates, .xlsx and .csv
govgraph import ledgers/*.xlsx --dry-run      # check only: what would change, what is wrong
govgraph import ledgers/*.xlsx                # import; refused rows go to quarantine/
govgraph export --area 621027100 -o out/      # an area's ledgers, in the same layout
```

## Reading files

- **Formats**: `.xlsx` and old `.xls` workbooks (first sheet), and `.csv`. Keep ID numbers and
  phones as text: a spreadsheet that turns them into numbers loses digits, and such cells are
  refused.
- **Encodings** (CSV): UTF-8, UTF-8 with BOM (Excel's "CSV UTF-8"), and GBK / GB18030
  (Excel's default "CSV" on Chinese Windows), recognised automatically.
- **Headers** are found among the first 12 rows, so a title row above them (merged or
  not) is fine, and so is a two-row header whose upper cells are merged over groups of
  columns. Spaces, full-width brackets, a leading `*` and `（必填）` are ignored; the
  common variants listed below are accepted. The templates' second row of English keys
  may be kept or deleted. Unknown columns are reported and ignored.
- **The kind** of each file is recognised from its header (`--kind` forces one).
- **Dates**: `2023年5月1日`, `2023/5/1`, `2023-05-01`, `2023.5.1`, `20230501`, or an
  Excel date cell. A date after the import day (`--today`, default today) is refused.
- **ID numbers**: 18 characters, GB 11643 check digit and birth date checked. Format the
  column as text in Excel: a number loses the last digits, and such cells are refused.
- **Phones**: a mainland mobile (11 digits, 13x–19x; `+86`, spaces and dashes are
  dropped) or a landline with its area code (`0934-8212345`).
- **People** are identified by their id (人员编号, 党员编号 …). When it is blank the
  ID number gives one (`R` + 16 hex digits of its SHA-256): the same person gets the
  same id in every import. That id is not a privacy measure.

## What is refused

Each problem names the file, the row (as the spreadsheet numbers it), the column and
the reason. A row with any problem is refused whole; the others go in.

- a required column empty (marked `*` below);
- a cell that cannot be read (date, number, ID number, phone, a word not in the list);
- a division code not in the NBS 2023 table of all of mainland China
  (`loaders/data/divisions`), or of the wrong level;
- a grid, household, person, center, department, party organisation or case referred to
  but neither in the files nor in the store (a center or organisation may refer to one
  listed above it in the same file);
- a center whose tier and code disagree (a township center in a village), or that reports
  to one not above it; a department whose tier and code disagree; a case-flow row whose
  tier is not its center's, or that names both a center and a department;
- the same id with conflicting data (the first row wins; the later one is refused and
  names the first);
- a household moving to another village (not supported by import).

Refused rows are written to the quarantine directory (`-q`, default `quarantine/`) as
`<file>.quarantine.csv` or `.xlsx`, in the input's own format and encoding, with two
columns added: `问题说明` (the reasons) and `原行号` (the row in the original). Fix them
there and import that file. `report.json` holds the whole report. `--strict` writes
nothing if any row is refused. Exit status: 0 all imported, 2 some refused, 1 an error.

## Importing again; changes over time

Importing the same files again changes nothing (the summary counts every row as
unchanged). A blank cell never clears what the store holds. Memberships that change over
time are kept as periods rather than overwritten:

- **a household's grid** (户情台账 所属网格编号): a new grid opens a period from 入格日期
  (or the import day) and closes the old one on the day before;
- **posts** (网格员名册): for each person and post the roster lists the grids they hold
  now; posts on grids no longer listed are closed on the day before the latest new post
  starts. A row with 离任日期 closes that period;
- **party links** (党员联系户): likewise for each party member's households;
- **leader links** (包抓台账): likewise for each leader's townships or villages;
- **party membership** (党员名册, 党内职务 党员): a member belongs to one organisation at
  a time, so a new one closes the one before;
- **stations and secretaries** (部门派驻, 党员名册 书记): a county department may be
  stationed at many centers and a secretary lead several organisations, so one ends only
  on its own end date (派驻结束日期, 离任（转出）日期);
- **past grids** (网格变更记录): periods that have ended, written as they are; a
  household's current grid stays as 户情台账 says.

In the summary a row is *new* when the membership it lists is new, *updated* when it or
its person's (or household's) set of memberships changed, for instance when one they no
longer list was closed, and *unchanged* otherwise.

An import writes each table with one atomic statement and plans only what the store
lacks, so an import killed at any moment (even `kill -9`) is finished by running the
same command again (tests/test_ledgers.py kills one at every write).

## Export

`govgraph export --area CODE -o DIR [--format csv|xlsx] [--unmasked]` writes the area's
thirteen ledgers in the template layout: households with their current grid and every
past one, every period of posts, party links and leader links, cases with each step of
their path, visits, and the network the area's questions reach: its own centers,
departments and party organisations and those above it that serve it (the county
center and the county's departments stationed at its centers, the committees above its
branches, the leaders linked to its townships and villages). ID numbers and phones are
masked (`6211**********8758`), as the store holds them; `--unmasked` opens them with the
store's key, writes them in full and records the export in the audit log. Only unmasked
files can be imported back: export --unmasked → import into an empty store → export
--unmasked gives identical files, and the two stores hold the same counts of every label
and relationship and give the same answers (tests/test_network_ledgers.py, for each of
the five scenarios).

Not carried: a person's own division code and, for people outside any household, their
birth year (neither is asked by a question).

## The columns

Files are applied in this order, whatever the order on the command line.
"""


def ledgers_markdown() -> str:
    parts = [_INTRO]
    for kind in KINDS:
        parts.append(
            f"\n### {kind.zh} — `{kind.kind.value}`\n\n{kind.doc} One row is {kind.row_is}.\n"
        )
        parts.append("\n| column | key | kind | meaning | also accepted |\n|---|---|---|---|---|\n")
        for c in kind.columns:
            what = _PARSE_DOC[c.parse]
            if c.vocab:
                what = " / ".join(VOCABULARIES[c.vocab][1].values())
            name = f"**{c.header}**" if c.required else c.header
            also = ", ".join(c.aliases)
            parts.append(f"| {name} | `{c.key}` | {what} | {c.doc} | {also} |\n")
    return "".join(parts)


if __name__ == "__main__":  # pragma: no cover
    print(ledgers_markdown(), end="")
