"""Ledgers: the spreadsheets grid offices keep (户情台账, 网格员名册, 党员联系户, 矛盾纠纷台账,
走访记录), read with their Chinese headers, checked row by row, imported idempotently and
written back out. See docs/ledgers.md."""

from .columns import KINDS, Kind, kind_spec
from .export import export_ledgers, write_templates
from .importer import ImportReport, import_ledgers
from .read import LedgerFileError, read_ledger

__all__ = [
    "KINDS",
    "ImportReport",
    "Kind",
    "LedgerFileError",
    "export_ledgers",
    "import_ledgers",
    "kind_spec",
    "read_ledger",
    "write_templates",
]
