"""Visits (走访): what grid workers and cadres record from the field."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ... import field
from ..deps import BackendDep
from ..errors import WRITE_RESPONSES
from ..schemas import VisitIn
from ..scope import check_household
from ..writes import WriteDep

router = APIRouter(prefix="/visits", tags=["visits"], responses=WRITE_RESPONSES)


@router.post("", status_code=201, summary="Record a visit to a household")
def record_visit(backend: BackendDep, writer: WriteDep, body: VisitIn) -> JSONResponse:
    """The visits ledger's row (走访记录): the household must be the caller's today — a grid
    worker's: in their grid. Checked by the ledger's rules (the visitor and the household
    exist, the day is not in the future …); the visit is read back by the very next
    question (it counts at once for "not visited")."""

    def write(retry: bool) -> field.Written:
        rows = backend.read("household_area", {"household": body.household_id})
        check_household(backend, writer.caller, body.household_id,
                        rows[0]["division_code"] if rows else None)  # fmt: skip
        return field.record_visit(backend, body.household_id, body.person_id, body.date,
                                  body.purpose, today=writer.today, retry=retry)  # fmt: skip

    return writer(body, write)
