"""What the centre reads for one person, shared by the home, its fragments and the API: the key
figures the modules offer that have something for them, and the name of the unit they see."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from ioc57 import modules
from ioc57.centre import registry
from ioc57.core.access import Principal
from ioc57.core.problems import Problem
from ioc57.units.queries import unit_by_id

READ = "centre.read"


def tiles(
    conn: Connection, principal: Principal, now: datetime
) -> list[tuple[modules.Tile, dict[str, Any]]]:
    """Every offered tile with its figure for ``principal``, in order; those with nothing for
    them are left out."""
    shown = []
    for tile in registry.offered().tiles:
        data = registry.render_tile(tile, conn, principal, now)
        if data is not None:
            shown.append((tile, data))
    return shown


def one_tile(
    conn: Connection, principal: Principal, now: datetime, name: str
) -> tuple[modules.Tile, dict[str, Any]]:
    """The tile ``name`` with its figure for ``principal``; 404 when no module offers it or it
    has nothing for them."""
    tile = registry.offered().tile(name)
    if tile is None:
        raise Problem(404, f"No module offers a tile named {name!r}.")
    data = registry.render_tile(tile, conn, principal, now)
    if data is None:
        raise Problem(404, f"The tile {name!r} has no figure for you.")
    return tile, data


def concern_events() -> str:
    """The events after which the list of concerns may have changed, as ``data-events``."""
    return " ".join(sorted({e for w in registry.offered().watches for e in w.events}))


def unit_name(conn: Connection, principal: Principal) -> str | None:
    """The name of the unit ``principal`` sees (a commune's officer: the commune); None for
    one who sees everything."""
    if principal.unit_id is None:
        return None
    row = unit_by_id(conn, principal.unit_id)
    return row.name if row is not None else None
