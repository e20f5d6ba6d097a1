"""What the installed modules offer the operations centre, gathered once: their watches (sources of
concerns), tiles and map layers, and the one ranked list of what needs attention."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from ioc57 import modules
from ioc57.core.access import Principal
from ioc57.core.refs import resolve

log = logging.getLogger(__name__)

NEW_WITHIN = timedelta(hours=24)  # a concern this recent ranks a step higher: "new today"


@dataclass(frozen=True)
class Offered:
    """Everything the installed modules offer, in order."""

    watches: tuple[modules.Watch, ...]
    tiles: tuple[modules.Tile, ...]
    layers: tuple[modules.Layer, ...]

    def tile(self, name: str) -> modules.Tile | None:
        return next((t for t in self.tiles if t.name == name), None)

    def layer(self, name: str) -> modules.Layer | None:
        return next((layer for layer in self.layers if layer.name == name), None)

    def events(self) -> tuple[str, ...]:
        """Every event type after which something of the centre may have changed."""
        kinds = {e for w in self.watches for e in w.events}
        kinds |= {e for t in self.tiles for e in t.events}
        kinds |= {e for layer in self.layers for e in layer.events}
        return tuple(sorted(kinds))


@cache
def offered() -> Offered:
    installed = modules.load()
    tiles = sorted((t for m in installed for t in m.tiles), key=lambda t: t.order)
    layers = sorted((t for m in installed for t in m.layers), key=lambda t: t.order)
    # a tile and a layer may share a name (feedback.open: the count and the map of the same
    # reports; services.on_time); two tiles or two layers may not
    for names in ([t.name for t in tiles], [layer.name for layer in layers]):
        if len(names) != len(set(names)):
            raise ValueError("two modules offer a tile or layer of the same name")
    return Offered(tuple(w for m in installed for w in m.watches), tuple(tiles), tuple(layers))


def rank(concern: modules.Concern, now: datetime) -> tuple[int, float]:
    """Most severe first; a concern new in the last day a step up; then the newest first."""
    fresh = 1 if now - concern.since <= NEW_WITHIN else 0
    return (concern.severity + fresh, concern.since.timestamp())


def concerns(
    conn: Connection, principal: Principal, now: datetime, limit: int = 50
) -> tuple[list[modules.Concern], list[str]]:
    """The ranked list of what needs attention in ``principal``'s scope (at most ``limit``), and
    the message ids of the sources that could not be read just now (the page says so rather than
    showing a list that silently misses them)."""
    found: list[modules.Concern] = []
    failed: list[str] = []
    for watch in offered().watches:
        find = resolve(watch.find)
        try:
            found.extend(find(conn, principal, now, limit))
        except SQLAlchemyError:
            log.exception("a watch could not be read: %s", watch.find)
            failed.append(str(watch.find))
    found.sort(key=lambda c: rank(c, now), reverse=True)
    return found[:limit], failed


def render_tile(
    tile: modules.Tile, conn: Connection, principal: Principal, now: datetime
) -> dict[str, Any] | None:
    return resolve(tile.render)(conn, principal, now)


def render_layer(
    layer: modules.Layer, conn: Connection, principal: Principal
) -> dict[str, Any] | None:
    return resolve(layer.render)(conn, principal)
