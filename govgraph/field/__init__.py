"""The field's writes: a visit, a dispute and its steps, a household moving grid, a post,
a party member's link — each one transaction, each checked exactly as a ledger row is.

Each write is stated as the ledger row an office would type (visits, cases, households,
grid roster, party links) and goes through the importer's own checks and planner
(:mod:`govgraph.loaders.ledger`): the same rules, the same reasons in the same words, and
the same periods (a household's new grid closes the old one on the day before). The steps
a case takes after it is opened — escalation to the next tier's center, departments
assigned, a department reporting in (网格吹哨、部门报到), closing — are checked here with the
cases ledger's own cell rules.

Every write is declarative (it says what the store must hold afterwards), so a retry of a
write that landed changes nothing: the caller learns it from :attr:`Written.changed`.
Writing what the store already holds is a :class:`WriteConflict` unless the caller says it
is a retry (``retry=True``, from an ``Idempotency-Key``); state that contradicts the write
(closing a closed case, escalating past the county) always is.

Scope (who may write where) is the API's business; these functions take plain values.
"""

from .cases import (
    assign_department,
    case_id_for,
    close_case,
    escalate_case,
    open_case,
    report_in,
)
from .households import (
    end_link,
    end_post,
    link_household,
    move_household,
    record_visit,
    start_post,
)
from .rows import FieldProblem, WriteConflict, WriteRejected, Written

__all__ = [
    "FieldProblem",
    "WriteConflict",
    "WriteRejected",
    "Written",
    "assign_department",
    "case_id_for",
    "close_case",
    "end_link",
    "end_post",
    "escalate_case",
    "link_household",
    "move_household",
    "open_case",
    "record_visit",
    "report_in",
    "start_post",
]
