"""``/api/v1/centre``: what needs attention (ranked across the installed modules), the key figures
and the map layers, for the caller's scope (a commune's officer: its commune's; an agency's: the
agency's). Messages in English beside machine codes; times as ISO with their offset."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy.engine import Connection

from ioc57.centre import board, payload, registry
from ioc57.centre.shown import iso
from ioc57.core.access import Principal, require
from ioc57.core.clock import now
from ioc57.core.http import read_conn
from ioc57.core.problems import Problem

router = APIRouter(prefix="/api/v1/centre", tags=["centre"])

Reader = Annotated[Principal, Depends(require(board.READ))]
Conn = Annotated[Connection, Depends(read_conn)]
Name = Annotated[str, Path(max_length=80)]
UNREAD = "A source of concerns could not be read just now; the list may miss its concerns."


@router.get("/concerns", response_model=payload.ConcernsOut)
def concerns_list(principal: Reader, conn: Conn, limit: Annotated[int, Query(ge=1, le=200)] = 50):
    """What needs attention in the caller's scope, most severe first (a concern new in the last
    day a step up), then the newest; ``unread`` names the sources that could not be read."""
    at = now()
    found, failed = registry.concerns(conn, principal, at, limit)
    return {
        "at": iso(at),
        "concerns": [payload.concern(c) for c in found],
        "unread": [{"code": "source_unreadable", "watch": w, "message": UNREAD} for w in failed],
    }


@router.get("/tiles", response_model=payload.TilesOut)
def tiles_list(principal: Reader, conn: Conn):
    """The key figures the installed modules offer that have a figure for the caller."""
    at = now()
    shown = board.tiles(conn, principal, at)
    return {"at": iso(at), "tiles": [payload.tile(t, data) for t, data in shown]}


@router.get("/tiles/{name}", response_model=payload.TileOut)
def tiles_get(name: Name, principal: Reader, conn: Conn):
    """One key figure (404: no module offers it, or it has no figure for the caller)."""
    tile, data = board.one_tile(conn, principal, now(), name)
    return payload.tile(tile, data)


@router.get("/layers/{name}", response_model=payload.LayerOut)
def layers_get(name: Name, principal: Reader, conn: Conn):
    """A layer of the centre's map (404: no module offers it, or it has nothing for the
    caller)."""
    layer = registry.offered().layer(name)
    if layer is None:
        raise Problem(404, f"No module offers a map layer named {name!r}.")
    data = registry.render_layer(layer, conn, principal)
    if data is None:
        raise Problem(404, f"The map layer {name!r} has nothing for you.")
    return payload.layer(layer, data)
