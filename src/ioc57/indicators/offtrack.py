"""The scorecard's concerns for the operations centre: each indicator of the person's unit (the
province for its leaders, the commune for a commune's officer) off track (high) or of limited
progress (to watch) in the latest year with data, with its value, its target and the year; since
its value was last reported or approved, owned by the unit."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.i18n import N_
from ioc57.indicators.centre import SOURCE, latest_card, reported_at, year_start
from ioc57.indicators.figures import STATUS_LEVEL
from ioc57.modules import Concern

WHY = {
    2: N_("Off track: {value} {uom} in {year}, target {target} by {target_year}"),
    1: N_("Limited progress: {value} {uom} in {year}, target {target} by {target_year}"),
}
WHY_NO_TARGET = {
    2: N_("Off track: {value} {uom} in {year}, going the wrong way"),
    1: N_("Limited progress: {value} {uom} in {year}, growing too slowly"),
}


def off_track(conn: Connection, principal: Principal, now: datetime, limit: int) -> list[Concern]:
    if not may(principal, "rollups.read"):
        return []
    card = latest_card(conn, principal, now)
    if card is None:
        return []
    slipping = [
        (STATUS_LEVEL[i["status"]], i) for i in card.items if STATUS_LEVEL.get(i["status"], 0) >= 1
    ]
    slipping.sort(key=lambda pair: (-pair[0], pair[1]["score"] or 0.0, pair[1]["indicator"]))
    reported = reported_at(conn, card)
    return [concern(card, level, item, reported) for level, item in slipping[:limit]]


def concern(card: Any, level: int, item: dict[str, Any], reported: dict[str, datetime]) -> Concern:
    code = item["indicator"]
    targeted = item["target"] is not None and item["target_year"] is not None
    return Concern(
        key=f"indicators:off_track:{card.unit.code}:{code}",
        kind=N_("Indicator off track") if level == 2 else N_("Indicator of limited progress"),
        title=item["name"],
        why=(WHY if targeted else WHY_NO_TARGET)[level],
        since=reported.get(code) or year_start(card.year),
        severity=level,
        href=f"/indicators/{quote(code)}?unit={quote(card.unit.code)}&year={card.year}",
        owner=card.unit.name,
        unit_code=card.unit.code,
        args={
            "indicator": code,
            "value": None if item["value"] is None else round(item["value"], 2),
            "uom": item["unit_of_measure"],
            "year": str(card.year),  # years are names: no thousands separator
            "target": item["target"],
            "target_year": None if item["target_year"] is None else str(item["target_year"]),
            "status": item["status"],
        },
        simulated=bool(item["simulated"]),
        source=SOURCE,
    )
