"""The counts beside the main navigation's entries (``Link.badge``: the bell of the alerts), on
every page and live: the base template shows them as the page is made, and ``badges.js`` reads
them again from ``GET /api/v1/badges`` when an event the entries name arrives on the stream.

Module-agnostic: the web layer knows only that an entry may have a count, a function of the
person; which count, and who gets one, is the module's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.engine import Connection, Engine

from ioc57 import modules
from ioc57.core.access import Principal, current_principal
from ioc57.core.refs import resolve

router = APIRouter(prefix="/api/v1", tags=["navigation"])

Count = Callable[[Connection, Principal], "int | None"]


@dataclass(frozen=True)
class Badge:
    path: str  # the entry's address: the key of its count
    label: str  # a message id: what it counts
    events: tuple[str, ...]
    count: Count


class Badges:
    """The entries that carry a count, and how to read every count of one person."""

    def __init__(self, links: list[modules.Link]) -> None:
        self.entries = [
            Badge(link.path, link.badge_label, link.badge_events, resolve(link.badge))
            for link in links
            if link.badge is not None
        ]
        self.icons = {link.path: link.icon for link in links if link.icon}
        self.labels = {b.path: b.label for b in self.entries}
        # the event types a page listens to, to read the counts again
        self.events = sorted({e for b in self.entries for e in b.events})

    def counts(self, engine: Engine, principal: Principal | None) -> dict[str, int]:
        """{entry's path: count} of the entries whose count is for ``principal``."""
        if principal is None or not self.entries:
            return {}
        found: dict[str, int] = {}
        with engine.connect() as conn:
            for badge in self.entries:
                value = badge.count(conn, principal)
                if value is not None:
                    found[badge.path] = value
        return found


@router.get("/badges")
def badges(
    request: Request, principal: Annotated[Principal, Depends(current_principal)]
) -> dict[str, Any]:
    """The counts beside the navigation's entries for the caller (the bell's alerts), by path."""
    return {"badges": request.app.state.badges.counts(request.app.state.engine, principal)}
