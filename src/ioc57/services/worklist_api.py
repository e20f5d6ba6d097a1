"""``/api/v1/services``: the operator's work list, one dossier, the procedure catalogue.

Every route reads ``services.read``; an officer (a user with a unit) reads only its unit's subtree:
another unit is 403, a dossier outside it 404 (as if it were not there).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, authorize, may, optional_principal
from ioc57.core.clock import today
from ioc57.core.http import LongId, Offset, read_conn
from ioc57.core.periods import Period, parse_period
from ioc57.core.problems import Problem, field_error
from ioc57.services.procedures import catalogue
from ioc57.services.worklist import dossier_detail, worklist
from ioc57.units.queries import scope_chain, unit_at, unit_by_id

router = APIRouter(prefix="/api/v1/services", tags=["services"])

READ = "services.read"
State = Literal["open", "overdue", "due_soon", "supplement", "suspended", "processing", "received"]
PageLimit = Annotated[int, Query(ge=1, le=200)]
UnitCode = Annotated[str | None, Query(max_length=40)]


def unit_in_scope(conn: Connection, principal: Principal | None, code: str | None) -> Any | None:
    """The unit a request names (by default the caller's own; None: every unit, for a caller
    without one), once the caller may read it. 422 naming ``unit`` for a code no current unit
    has; 403 for a unit outside the caller's scope."""
    authorize(principal, READ)
    if not code:
        if principal is None or principal.unit_id is None:
            return None
        return unit_by_id(conn, principal.unit_id)
    row = unit_at(conn, code, today())
    if row is None:
        raise field_error("unit", f"no current unit has code {code!r}")
    authorize(principal, READ, scope_chain(conn, row))
    return row


def period_or_422(code: str | None) -> Period:
    try:
        return parse_period(code or str(today().year))
    except ValueError as exc:
        raise field_error("period", str(exc)) from None


@router.get("/dossiers")
def dossiers_list(
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
    unit: UnitCode = None,
    state: State = "open",
    procedure: Annotated[str | None, Query(max_length=40)] = None,
    limit: PageLimit = 50,
    offset: Offset = 0,
):
    """The open dossiers of a unit's subtree (an agency's own), most urgent first: ``overdue``
    (the due time, moved by the working days suspended, has passed), ``due_soon`` (due within 2
    working days), or by status."""
    row = unit_in_scope(conn, principal, unit)
    body = worklist(conn, row, state, limit, offset, procedure=procedure or None)
    return {"unit": row.code if row is not None else None, "state": state, **body}


@router.get("/dossiers/{dossier_id}")
def dossiers_get(
    dossier_id: LongId,
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
):
    """One dossier, open or closed, as last sent through the gate."""
    authorize(principal, READ)
    found = dossier_detail(conn, dossier_id)
    if found is None or not may(principal, READ, found[1]):
        raise Problem(
            404,
            f"No dossier {dossier_id}.",
            errors=[{"loc": ["path", "dossier_id"], "msg": "no such dossier"}],
        )
    return found[0]


@router.get("/procedures")
def procedures_list(
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
    unit: UnitCode = None,
    period: Annotated[str | None, Query(max_length=10)] = None,
    online: Literal["full", "partial", "none"] | None = None,
    fee: bool | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    limit: PageLimit = 50,
    offset: Offset = 0,
):
    """The procedures a unit runs (a province: all; a commune: the commune-level ones; an agency:
    its own), each with its dossiers in ``period`` (a period code; the current year by default)."""
    row = unit_in_scope(conn, principal, unit)
    if row is None:
        raise field_error("unit", "name a unit: the catalogue is a province's")
    when = period_or_422(period)
    body = catalogue(conn, row, when, online=online, fee=fee, q=q, limit=limit, offset=offset)
    return {"unit": row.code, "period": when.code, **body}
