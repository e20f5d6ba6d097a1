"""Data sources gone quiet: a source with an expected interval (its pull schedule) from which
nothing has come for longer than it should; the concerns of the operations centre's list
(``quiet_sources``) and its tile of sources live and quiet (``sources_tile``).

When a source was last heard of is read as the gate's figure for alert rules reads it
(``figures.last_heard``: its last batch, else its creation); a pull that found the feed unchanged
(a 304) hears of it too.
A source pushed to, with no schedule, has no interval to be late against: it counts as live when
it sent in the last day, as idle otherwise, and is never a concern."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.clock import stored_utc
from ioc57.core.i18n import N_
from ioc57.ingest.figures import WINDOW, last_heard
from ioc57.ingest.sourcescope import sources_in_scope
from ioc57.modules import Concern

LATE_AFTER = 2  # intervals of silence before a source counts as quiet (one missed pull is noise)
HIGH_AFTER = 4  # intervals of silence after which it is a high concern, not one to watch
SOURCE = N_("Data gate (sources)")


@dataclass(frozen=True)
class Heard:
    """A source in scope, when it was last heard of and how late it is."""

    row: Any
    last_batch: datetime  # its last batch, else its creation
    heard_at: datetime  # its last batch or successful pull

    def silence(self, now: datetime) -> timedelta:
        return max(now - self.heard_at, timedelta(0))

    def severity(self, now: datetime) -> int:
        """0 on time (or no schedule), 1 a bit late, 2 quiet for long."""
        interval = self.row.pull_interval_s
        if not interval:
            return 0
        silence = self.silence(now).total_seconds()
        if silence <= LATE_AFTER * interval:
            return 0
        return 1 if silence <= HIGH_AFTER * interval else 2


def heard(conn: Connection, principal: Principal) -> list[Heard]:
    """The enabled sources in ``principal``'s scope, with when each was last heard of (one look-up
    by the index on the source each: the figure's whole day of batches is not needed here)."""
    out = []
    for row in sources_in_scope(conn, principal):
        last = last_heard(conn, row.id, row.created_at)
        pulled = stored_utc(row.last_pulled_at) if row.last_pulled_at is not None else None
        out.append(Heard(row, last, max(last, pulled) if pulled is not None else last))
    return out


def minutes(seconds: int) -> int | float:
    """Seconds as minutes, whole when they are (the page writes a float with decimals)."""
    whole, rest = divmod(seconds, 60)
    return whole if not rest else round(seconds / 60, 1)


def owner(row: Any) -> str:
    return f"{row.title or row.name} ({', '.join(row.units or ())})"


def quiet_sources(
    conn: Connection, principal: Principal, now: datetime, limit: int
) -> list[Concern]:
    """A concern for each source in scope that is late, the quietest first."""
    if not may(principal, "rollups.read"):
        return []
    late = [h for h in heard(conn, principal) if h.severity(now)]
    late.sort(key=lambda h: (-h.severity(now), h.heard_at))
    return [
        Concern(
            key=f"ingest:quiet:{h.row.name}",
            kind=N_("Data source gone quiet"),
            title=h.row.title or h.row.name,
            why=N_("Nothing received for {minutes} minutes; expected every {interval} minutes"),
            since=h.heard_at,
            severity=h.severity(now),
            href=f"/sources/{quote(h.row.name)}",
            owner=owner(h.row),
            args={
                "minutes": int(h.silence(now).total_seconds() // 60),
                "interval": minutes(h.row.pull_interval_s),
                "last_batch": h.last_batch.isoformat(),
                "source": h.row.name,
            },
            simulated=bool(h.row.simulated),
            source=SOURCE,
        )
        for h in late[:limit]
    ]


def sources_tile(conn: Connection, principal: Principal, now: datetime) -> dict[str, Any] | None:
    """``ingest.sources``: the sources in scope that are live (on schedule, or sent in the last
    day), and the quiet ones as rows."""
    if not may(principal, "rollups.read"):
        return None
    found = heard(conn, principal)
    if not found:
        return None
    quiet = sorted((h for h in found if h.severity(now)), key=lambda h: h.heard_at)
    live = [
        h
        for h in found
        if not h.severity(now) and (h.row.pull_interval_s or now - h.last_batch <= WINDOW)
    ]
    worst = max((h.severity(now) for h in quiet), default=0)
    readable = may(principal, "sources.read")
    return {
        "value": len(live),
        "uom": "count",
        "caption": N_("live of {total}; {quiet} gone quiet"),
        "args": {"total": len(found), "quiet": len(quiet), "live": len(live)},
        "trend": [],
        "delta": None,
        "good": "up",
        "status": ("ok", "watch", "bad")[worst],
        "updated_at": max(h.heard_at for h in found),
        "source": SOURCE,
        "simulated": any(h.row.simulated for h in found),
        "href": "/sources" if readable else None,  # the others' page would refuse them
        "rows": [
            {
                "label": h.row.title or h.row.name,
                "value": int(h.silence(now).total_seconds() // 60),
                "href": f"/sources/{quote(h.row.name)}" if readable else None,
            }
            for h in quiet[:8]
        ],
    }
