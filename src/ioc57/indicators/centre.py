"""What the scorecard offers the operations centre: the Resolution 57 indicators of the person's
province on track, limited and off track (tile ``indicators.status``), and each indicator off track
or of limited progress as a concern (``off_track``).

Both read the scorecard of the latest year with data (this year, else the last with a value), as
the scorecard page shows it, with the same statuses (``figures.STATUS_LEVEL``: 0 on track, 1
limited, 2 off track). A scorecard costs tens of milliseconds (the computed indicators read their
modules' rollups), so one is kept for a short while per province and version of the rollups: a
value reported or approved changes the version, and the next read sees it."""

from __future__ import annotations

import time
from collections import Counter, OrderedDict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.clock import LOCAL_TZ, stored_utc
from ioc57.core.i18n import N_
from ioc57.indicators.figures import STATUS_LEVEL
from ioc57.indicators.reading import related_units
from ioc57.indicators.scorecard import scorecard
from ioc57.indicators.tables import indicator_rollups_version, indicator_values
from ioc57.units.queries import unit_at, unit_by_id, valid_at
from ioc57.units.tables import units

KEEP_S = 30.0  # how long a scorecard is kept when the rollups have not changed
YEARS_BACK = 3  # how far back the latest year with data is looked for
SOURCE = N_("Resolution 57 scorecard")


@dataclass(frozen=True)
class Card:
    """A unit's scorecard of its latest year with data."""

    unit: Any  # the unit's row (the province, or a commune for its officer)
    year: int
    items: list[dict[str, Any]]
    read_at: float  # monotonic, for how long it is kept
    read_on: datetime  # when it was read (its figures' time, for the computed ones)


_kept: OrderedDict[tuple[Any, ...], Card] = OrderedDict()


def scorecard_unit(conn: Connection, principal: Principal, day: date) -> Any | None:
    """The unit whose scorecard the person reads: their own unit's (a commune's officer, the
    commune's: the operations centre runs a commune's view for the commune; a province's people,
    the province's); for one of no unit (the province's leaders, the administrators), the province
    whose agencies are set up (the one that runs ioc57)."""
    if principal.unit_id is not None:
        unit = unit_by_id(conn, principal.unit_id)
        return unit_at(conn, unit.code, day) if unit is not None else None
    query = (
        select(units.c.province_code)
        .where(units.c.level == "agency", valid_at(day))
        .group_by(units.c.province_code)
        .order_by(func.count().desc(), units.c.province_code)
        .limit(1)
    )
    code = conn.execute(query).scalar()
    return unit_at(conn, code, day) if code else None


def latest_card(conn: Connection, principal: Principal, now: datetime) -> Card | None:
    """The scorecard of the person's unit for the latest year with a value (kept a while)."""
    day = now.astimezone(LOCAL_TZ).date()
    unit = scorecard_unit(conn, principal, day)
    if unit is None:
        return None
    stamp = conn.execute(
        select(indicator_rollups_version.c.token, indicator_rollups_version.c.version)
    ).first()
    key = (str(conn.engine.url), tuple(stamp or ()), unit.id, day)
    kept = _kept.get(key)
    if kept is not None and time.monotonic() - kept.read_at < KEEP_S:
        return kept
    card = None
    for year in range(day.year, day.year - YEARS_BACK, -1):
        items = scorecard(conn, unit, year, with_rank=False)
        card = Card(unit, year, items, time.monotonic(), now)
        if any(i["value"] is not None for i in items):
            break
    assert card is not None
    _kept[key] = card
    while len(_kept) > 64:
        _kept.popitem(last=False)
    return card


def buckets(items: list[dict[str, Any]]) -> Counter[str]:
    """How many indicators are on track, limited, off track, without data."""
    names = {0: "on_track", 1: "limited", 2: "off_track"}
    return Counter(names.get(STATUS_LEVEL.get(i["status"], -1), "no_data") for i in items)


def status_tile(conn: Connection, principal: Principal, now: datetime) -> dict[str, Any] | None:
    """``indicators.status``: the province's indicators by progress status."""
    if not may(principal, "rollups.read"):
        return None
    card = latest_card(conn, principal, now)
    if card is None:
        return None
    counts = buckets(card.items)
    rated = counts["on_track"] + counts["limited"] + counts["off_track"]
    worst = 2 if counts["off_track"] else 1 if counts["limited"] else 0
    href = f"/scorecard?unit={card.unit.code}&year={card.year}"
    labels = {
        "on_track": N_("On track"),
        "limited": N_("Limited progress"),
        "off_track": N_("Off track"),
        "no_data": N_("Not enough data"),
    }
    return {
        "value": counts["on_track"],
        "uom": "count",
        "caption": N_("on track of {rated} rated indicators, {year}"),
        # a year is a name, not a figure: no thousands separator ("2.026")
        "args": {"year": str(card.year), "rated": rated} | {k: counts[k] for k in labels},
        "trend": [],
        "delta": None,
        "good": "up",
        "status": ("ok", "watch", "bad")[worst] if rated else None,
        "updated_at": max(reported_at(conn, card).values(), default=card.read_on),
        "source": SOURCE,
        "simulated": any(i["simulated"] for i in card.items if i["value"] is not None),
        "href": href,
        "unit": card.unit.name,
        "rows": [{"label": labels[k], "value": counts[k], "href": href} for k in labels],
    }


def reported_at(conn: Connection, card: Card) -> dict[str, datetime]:
    """When each indicator's approved values of the card's year were last reported or approved
    (the review's time, else the report's)."""
    related = [r.id for r in related_units(conn, card.unit)]
    at = func.max(func.coalesce(indicator_values.c.reviewed_at, indicator_values.c.updated_at))
    query = (
        select(indicator_values.c.indicator, at)
        .where(
            indicator_values.c.unit_id.in_(related),
            indicator_values.c.year == card.year,
            indicator_values.c.status == "approved",
        )
        .group_by(indicator_values.c.indicator)
    )
    return {code: stored_utc(value) for code, value in conn.execute(query) if value is not None}


def year_start(year: int) -> datetime:
    """The start of ``year`` in Việt Nam, in UTC: since when a computed value (no one reported
    it) has stood, for the ranking of what needs attention."""
    return datetime(year, 1, 1, tzinfo=LOCAL_TZ).astimezone(UTC)
