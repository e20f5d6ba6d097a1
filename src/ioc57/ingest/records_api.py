"""``/api/v1/records``: a record sent through the gate, read back with its versions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, current_principal
from ioc57.core.http import read_conn
from ioc57.ingest.readback import read_back

router = APIRouter(prefix="/api/v1", tags=["ingest"])


@router.get("/records/{record_type}/{source}/{record_id}", response_model=None)
def record_get(
    record_type: Annotated[str, Path(max_length=20)],
    source: Annotated[str, Path(max_length=60)],
    record_id: Annotated[str, Path(max_length=200)],
    principal: Annotated[Principal, Depends(current_principal)],
    conn: Annotated[Connection, Depends(read_conn)],
) -> dict[str, Any]:
    """A record as the gate stored it, by its type, its source and its id: its unit, its data,
    and its versions newest first (each with the batch that brought it). A person reads the
    records of their unit's subtree, a source's token its own source's; a citizen's contact
    details only those who may call them back."""
    return read_back(conn, principal, record_type, source, record_id)
