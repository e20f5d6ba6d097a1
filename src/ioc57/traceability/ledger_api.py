"""``/api/v1/traceability/checkpoints``: the signed checkpoints of the log as JSON (with the public
keys that verify them, for a copy kept elsewhere), and sealing one now.

A person with a unit (an officer) reads its province's checkpoints. Sealing signs with the
province's key, which only the app holds (``keys``); each checkpoint made is audited.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, require
from ioc57.core.http import Limit, Offset, client_address, read_conn
from ioc57.core.problems import Problem
from ioc57.traceability import checkpoints, ledger
from ioc57.traceability.keys import KeyUnavailable, load_or_create

router = APIRouter(prefix="/api/v1/traceability", tags=["traceability"])

Reader = Annotated[Principal, Depends(require("traceability.read"))]
Sealer = Annotated[Principal, Depends(require("traceability.seal"))]
SourceName = Annotated[str | None, Query(max_length=60)]


@router.get("/checkpoints")
def list_checkpoints(
    principal: Reader,
    conn: Annotated[Connection, Depends(read_conn)],
    source: SourceName = None,
    limit: Limit = 1000,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The checkpoints, the newest first (a person with a unit: its province's), with the
    public keys and the statement their signatures cover."""
    province = ledger.reader_province(conn, principal.unit_id)
    return ledger.export(conn, province=province, source=source or None, limit=limit, offset=offset)


@router.post("/checkpoints")
def seal_now(request: Request, principal: Sealer) -> dict[str, Any]:
    """Seal every chain that grew since its last checkpoint: the checkpoints made, and the
    chains that do not hold and were not sealed (``ioc57 trace verify`` names why)."""
    try:
        key = load_or_create(request.app.state.settings.trace_key_path)
    except KeyUnavailable as exc:
        raise Problem(
            409,
            str(exc),
            errors=[{"loc": ["IOC57_TRACE_KEY_FILE"], "msg": "no signing key"}],
        ) from None
    result = checkpoints.seal(
        request.app.state.engine,
        key,
        actor=principal.username,
        address=client_address(request),
    )
    return {"made": result.made, "refused": result.refused}
