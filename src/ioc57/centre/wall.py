"""``/wall`` and ``/wall/{layout}``: the video wall, full screen, a named layout's pages in turn.

Every page is drawn at once (one hidden at a time, ``wall.js`` turns them); a panel whose tile is
not offered here (its module is not installed) or has nothing for this viewer is left out, and
the page's other panels grow to fill the grid. Anyone who reads the centre may watch the wall:
a person or a wall display's device (a viewer)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from ioc57.centre import board, layouts, payload, registry, shown
from ioc57.centre.home import fragment
from ioc57.core.access import Principal, authorize, optional_principal
from ioc57.core.clock import now
from ioc57.core.http import read_conn
from ioc57.core.pages import page_lang, render, require_login
from ioc57.core.problems import Problem
from ioc57.modules import Concern

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

FEED_PREFIX = "alerts:"  # the alert feed: the concerns the alerts module raises
FEED_MODULE = "ioc57.alerts."
FEED_EVENTS = ("alerts.changed",)
SHOWN = 12  # concerns on a panel: more would not be read across a room


class Contents:
    """What the panels of one wall show for one principal, each read once."""

    def __init__(
        self, conn: Connection, principal: Principal, at: datetime, words: shown.Words
    ) -> None:
        self.conn, self.principal, self.at, self.words = conn, principal, at, words
        self._concerns: tuple[list[Concern], int] | None = None

    def concerns(self) -> tuple[list[Concern], int]:
        if self._concerns is None:
            found, failed = registry.concerns(self.conn, self.principal, self.at, 200)
            self._concerns = found, len(failed)
        return self._concerns

    def of(self, panel: layouts.Panel, limit: int = SHOWN) -> dict[str, Any] | None:
        if panel.kind == "tile":
            return self.tile(panel.tile or "")
        if panel.kind == "map":
            return self.map(panel)
        found, failed = self.concerns()
        feed = panel.kind == "feed"
        if feed:
            found = [c for c in found if c.key.startswith(FEED_PREFIX)]
        return {
            "concerns": [shown.concern(c, self.at, self.words) for c in found[:limit]],
            "failed": failed,
            "events": " ".join(feed_events() if feed else board.concern_events().split()),
            "limit": limit,
            "fragment": f"/centre/feed?limit={limit}" if feed else None,
        }

    def tile(self, name: str) -> dict[str, Any] | None:
        tile = registry.offered().tile(name)
        if tile is None:
            return None
        try:
            data = registry.render_tile(tile, self.conn, self.principal, self.at)
        except SQLAlchemyError:
            log.exception("a tile could not be read: %s", tile.name)
            return None
        return None if data is None else {"tile": shown.tile(tile, data, self.words)}

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
                data[name] = payload.layer(layer, drawn)
        if not layers:
            return None
        ids = {pair[1] for drawn in data.values() for pair in drawn.get("legend", [])}
        return {
            "layers": layers,
            "titles": [self.words.tr(layer.title) for layer in layers],
            "events": sorted({e for layer in layers for e in layer.events}),
            "initial": orjson.dumps(data).decode(),
            "labels": orjson.dumps({message: self.words.tr(message) for message in ids}).decode(),
        }


def feed_events() -> list[str]:
    """The events after which the alert feed may have changed: the alerts module's watches'."""
    found = {
        e
        for w in registry.offered().watches
        for e in w.events
        if str(getattr(w.find, "__module__", w.find)).startswith(FEED_MODULE)
    }
    return sorted(found) or list(FEED_EVENTS)


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


def _wall(request: Request, conn: Connection, principal: Principal, name: str, page: int | None):
    item = layouts.find(conn, name)
    if item is None:
        raise Problem(404, f"No wall layout named {name!r}.")
    at = now()
    words = shown.Words(page_lang(request))
    pages = wall_pages(item["layout"], Contents(conn, principal, at, words))
    pinned = page if page is not None and page <= len(pages) else None
    return render(
        request,
        "wall.html",
        layout_name=name,
        layout=item["layout"],
        pages=pages,
        pinned=pinned,
        place=board.unit_name(conn, principal),
        updated=shown.iso(at),
        updated_text=shown.local_time(at),
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


@router.get("/centre/feed")
def feed_fragment(
    request: Request,
    conn: Annotated[Connection, Depends(read_conn)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
    limit: Annotated[int, Query(ge=1, le=50)] = SHOWN,
):
    """The alert feed as the wall shows it, for the live script to swap in."""
    principal = authorize(principal, board.READ)
    at = now()
    words = shown.Words(page_lang(request))
    content = Contents(conn, principal, at, words).of(layouts.Panel(kind="feed"), limit)
    assert content is not None
    return fragment(request, "_concerns.html", **content)
