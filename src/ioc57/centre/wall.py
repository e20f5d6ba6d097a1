"""``/wall`` and ``/wall/{layout}``: the video wall, full screen, a named layout's pages in turn.

Every page is drawn at once (one hidden at a time, ``wall.js`` turns them); a panel whose tile is
not offered here (its module is not installed) or has nothing for this viewer is left out, and
the page's other panels grow to fill the grid. Anyone who reads the centre may watch the wall:
a person or a wall display's device (a viewer)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from ioc57.centre import layouts, registry
from ioc57.core.access import Principal
from ioc57.core.clock import LOCAL_TZ, local_iso, now
from ioc57.core.http import read_conn
from ioc57.core.i18n import number, translations
from ioc57.core.pages import page_lang, render, require_login
from ioc57.core.problems import Problem
from ioc57.units.queries import unit_by_id

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

FEED_PREFIX = "alerts:"  # the alert feed: the concerns the alerts module raises
FEED_EVENTS = ("alerts.changed",)
CONCERNS_SHOWN = 12


class Contents:
    """What the panels of one wall show for one principal, each read once."""

    def __init__(
        self, conn: Connection, principal: Principal, at: datetime, say: Callable[[str], str]
    ) -> None:
        self.conn, self.principal, self.at, self.say = conn, principal, at, say
        self._concerns: list[Any] | None = None

    def concerns(self) -> list[Any]:
        if self._concerns is None:
            self._concerns, _failed = registry.concerns(self.conn, self.principal, self.at, 50)
        return self._concerns

    def of(self, panel: layouts.Panel) -> dict[str, Any] | None:
        there = registry.offered()
        if panel.kind == "tile":
            tile = there.tile(panel.tile or "")
            if tile is None:
                return None
            try:
                data = registry.render_tile(tile, self.conn, self.principal, self.at)
            except SQLAlchemyError:
                log.exception("a tile could not be read: %s", tile.name)
                return None
            return None if data is None else {"tile": tile, "data": data}
        if panel.kind == "map":
            return self.map(panel)
        if panel.kind == "feed":
            feed = [c for c in self.concerns() if c.key.startswith(FEED_PREFIX)]
            return {"concerns": feed[:CONCERNS_SHOWN], "events": list(FEED_EVENTS)}
        watched = {e for w in there.watches for e in w.events}
        return {"concerns": self.concerns()[:CONCERNS_SHOWN], "events": sorted(watched)}

    def map(self, panel: layouts.Panel) -> dict[str, Any] | None:
        """The map's layers that have something for this viewer, drawn first from this data."""
        there = registry.offered()
        layers, data = [], {}
        for name in panel.layers:
            layer = there.layer(name)
            if layer is None:
                continue
            try:
                drawn = registry.render_layer(layer, self.conn, self.principal)
            except SQLAlchemyError:
                log.exception("a layer could not be read: %s", name)
                drawn = None
            if drawn is not None:
                layers.append(layer)
                data[name] = drawn
        if not layers:
            return None
        ids = {pair[1] for drawn in data.values() for pair in drawn.get("legend", [])}
        labels = {message: self.say(message) for message in ids}
        return {
            "layers": layers,
            "initial": orjson.dumps(data).decode(),
            "labels": orjson.dumps(labels).decode(),
        }


def wall_pages(layout: layouts.Layout, contents: Contents) -> list[dict[str, Any]]:
    """The layout's pages with the panels that have something to show, each placed on the grid."""
    pages = []
    for page in layout.pages:
        shown = [(panel, contents.of(panel)) for panel in page.panels]
        kept = [(panel, content) for panel, content in shown if content is not None]
        if not kept:
            continue
        spots = layouts.placed([panel for panel, _ in kept], page.rows) or []
        panels = [
            {"kind": panel.kind, "spot": spot, **content}
            for (panel, content), spot in zip(kept, spots, strict=True)
        ]
        pages.append(
            {"title": page.title, "seconds": page.seconds, "rows": page.rows, "panels": panels}
        )
    return pages


def _place_name(conn: Connection, principal: Principal) -> str | None:
    if principal.unit_id is None:
        return None
    unit = unit_by_id(conn, principal.unit_id)
    return unit.name if unit is not None else None


def _wall(request: Request, conn: Connection, principal: Principal, name: str, page: int | None):
    item = layouts.find(conn, name)
    if item is None:
        raise Problem(404, f"No wall layout named {name!r}.")
    at = now()
    lang = page_lang(request)
    contents = Contents(conn, principal, at, translations(lang).gettext)
    pages = wall_pages(item["layout"], contents)
    pinned = page if page is not None and page <= len(pages) else None
    return render(
        request,
        "wall.html",
        num=number(lang),
        tz=LOCAL_TZ,
        layout_name=name,
        layout=item["layout"],
        pages=pages,
        pinned=pinned,
        place=_place_name(conn, principal),
        updated=local_iso(at),
    )


Pin = Annotated[int | None, Query(ge=1, le=12, description="show only this page (1 is the first)")]


@router.get("/wall")
def wall_default(
    request: Request,
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Annotated[Principal, Depends(require_login("centre.read"))],
    page: Pin = None,
):
    return _wall(request, conn, principal, layouts.DEFAULT, page)


@router.get("/wall/{name}")
def wall_named(
    name: str,
    request: Request,
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Annotated[Principal, Depends(require_login("centre.read"))],
    page: Pin = None,
):
    return _wall(request, conn, principal, name, page)
