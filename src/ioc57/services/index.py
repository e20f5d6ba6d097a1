"""The live Decision 766 index of a unit (province, commune, agency, or the whole country) for a
period, the ranking of units, the monthly trend, and each unit's points at stake.

Everything is read from the rollups the gate keeps as dossiers arrive and change status
(``services.counts``) and scored by the rules of ``index766.json`` (``services.scoring``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.periods import Period, parse_period
from ioc57.services.counts import Scope, gather, scope_of
from ioc57.services.scoring import Counts, index, points_at_stake
from ioc57.units.queries import unit_at, valid_at
from ioc57.units.tables import units

COUNTRY = "VN"  # the unit code of the whole country: the sum of the current provinces
RANGE = re.compile(r"^(\d{8})-(\d{8})$")
MAX_RANGE = timedelta(days=3 * 366)


def parse_window(code: str) -> Period:
    """A period code (``2025``, ``2025Q3``, ``202509``...) or a date range ``20250101-20250315``;
    ``ValueError`` with a readable message otherwise."""
    match = RANGE.match((code or "").strip())
    if not match:
        return parse_period(code)
    start, end = (parse_period(part).start for part in match.groups())
    if end < start:
        raise ValueError(f"{code!r}: the range ends before it starts")
    if end - start > MAX_RANGE:
        raise ValueError(f"{code!r}: a range spans at most three years")
    return Period(code, "range", start, end)


def previous(period: Period) -> Period:
    """The period of the same kind just before (a range: as many days just before)."""
    if period.type in ("year", "half", "quarter", "month"):
        months = {"year": 12, "half": 6, "quarter": 3, "month": 1}[period.type]
        total = period.start.year * 12 + period.start.month - 1 - months
        start = date(total // 12, total % 12 + 1, 1)
        code = {
            "year": f"{start.year}",
            "half": f"{start.year}S{(start.month + 5) // 6}",
            "quarter": f"{start.year}Q{(start.month + 2) // 3}",
            "month": f"{start.year}{start.month:02d}",
        }[period.type]
        return parse_period(code)
    days = (period.end - period.start).days + 1
    start, end = period.start - timedelta(days=days), period.start - timedelta(days=1)
    if period.type == "range":
        return Period(f"{start:%Y%m%d}-{end:%Y%m%d}", "range", start, end)
    if period.type == "week":
        year, week, _ = start.isocalendar()
        return parse_period(f"{year}W{week:02d}")
    return parse_period(f"{start:%Y%m%d}")


def months_before(period: Period, count: int) -> list[Period]:
    """The ``count`` months that end with the month of the period's last day, oldest first."""
    total = period.end.year * 12 + period.end.month - 1
    return [
        parse_period(f"{(total - k) // 12}{(total - k) % 12 + 1:02d}")
        for k in range(count - 1, -1, -1)
    ]


@dataclass(frozen=True)
class Target:
    """What an index is asked for: one unit, or the country (the sum of its provinces)."""

    code: str
    name: str
    level: str  # country, province, commune, agency
    scopes: tuple[Scope, ...]


def _last_day(row: Any, today: date) -> date:
    """The day a unit is read at: today, or the last day of a unit that no longer holds."""
    if row.valid_to is not None and row.valid_to <= today:
        return row.valid_to - timedelta(days=1)
    return today


def scopes_of(conn: Connection, rows: list[Any], today: date) -> list[Scope]:
    """The index's view of unit rows: each counts the procedures of its province as it was when
    the unit held (a legacy commune: the legacy province's)."""
    wanted = {(r.province_code, _last_day(r, today)) for r in rows}
    provinces = {}
    for code, day in wanted:
        query = select(units.c.id).where(
            units.c.level == "province", units.c.code == code, valid_at(day)
        )
        provinces[code, day] = conn.execute(query).scalar()
    return [
        scope_of(r, provinces.get((r.province_code, _last_day(r, today))) or r.id) for r in rows
    ]


def target(conn: Connection, code: str, today: date) -> Target | None:
    """The unit a code names today, or the country (``VN``); None when it names none."""
    if code == COUNTRY:
        rows = _current(conn, "province", None, today)
        return Target(COUNTRY, "Việt Nam", "country", tuple(scopes_of(conn, rows, today)))
    row = unit_at(conn, code, today)
    if row is None:
        return None
    return Target(row.code, row.name, row.level, tuple(scopes_of(conn, [row], today)))


def _current(conn: Connection, level: str, province_code: str | None, today: date) -> list[Any]:
    query = select(units).where(units.c.level == level, valid_at(today)).order_by(units.c.code)
    if province_code is not None:
        query = query.where(units.c.province_code == province_code)
    return list(conn.execute(query))


def counts_of(conn: Connection, goal: Target, period: Period, today: date) -> Counts:
    return sum(gather(conn, list(goal.scopes), period, today).values(), Counts())


def index_of(conn: Connection, goal: Target, period: Period, today: date) -> dict[str, Any]:
    """The index of a unit (or the country) for a period, as ``GET /api/v1/services/index``."""
    counts = counts_of(conn, goal, period, today)
    return {
        "unit": goal.code,
        "name": goal.name,
        "level": goal.level,
        "period": period.code,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        **index(counts),
        "points_at_stake": points_at_stake(counts),
        "counts": {"received": counts.received, "finished": counts.finished},
    }


def trend(conn: Connection, goal: Target, period: Period, today: date, months: int = 12):
    """The total of each of the ``months`` months up to the period's end, oldest first."""
    out = []
    for month in months_before(period, months):
        counts = counts_of(conn, goal, month, today)
        result = index(counts)
        out.append(
            {
                "period": month.code,
                "total": result["total"],
                "assessable_max": result["assessable_max"],
                # a month without a dossier scores only its procedures and "max if none" points
                "dossiers": counts.received + counts.finished,
            }
        )
    return out


def _ranks(totals: dict[int, float | None]) -> dict[int, int]:
    """Competition ranks (1, 2, 2, 4) of the units that have a total; ties share a rank."""
    ordered = sorted((t for t in totals.values() if t is not None), reverse=True)
    first: dict[float, int] = {}
    for position, total in enumerate(ordered, start=1):
        first.setdefault(total, position)
    return {u: first[t] for u, t in totals.items() if t is not None}


def _ranked(counts: dict[int, Counts]) -> dict[int, dict[str, Any]]:
    """The index of each unit that received or finished a dossier in the period: one without
    any would score only its province's procedures and the "max if none" points, and would rank
    above a unit that is actually serving people."""
    return {u: index(c) for u, c in counts.items() if c.received or c.finished}


def ranking(
    conn: Connection, level: str, parent: Target | None, period: Period, today: date
) -> list[dict[str, Any]]:
    """The units of a level (provinces; or the communes or agencies of the parent's province),
    best first, each with its total, rank and the previous period's rank. Units without a dossier
    in the period are listed last, without a total or rank."""
    province = None if parent is None or parent.level == "country" else parent.scopes[0]
    rows = _current(conn, level, province.province_code if province else None, today)
    scopes = scopes_of(conn, rows, today)
    now = _ranked(gather(conn, scopes, period, today))
    before = _ranked(gather(conn, scopes, previous(period), today))
    rank = _ranks({u: r["total"] for u, r in now.items()})
    rank_before = _ranks({u: r["total"] for u, r in before.items()})
    items = []
    for row in rows:
        mine = now.get(row.id)
        items.append(
            {
                "unit": row.code,
                "name": row.name,
                "rank": rank.get(row.id),
                "previous_rank": rank_before.get(row.id),
                "total": mine["total"] if mine else None,
                "assessable_max": mine["assessable_max"] if mine else None,
                "groups": {g["code"]: g["score"] for g in mine["groups"]} if mine else {},
                "has_dossiers": mine is not None,
            }
        )
    items.sort(key=lambda i: (i["rank"] is None, i["rank"] or 0, i["unit"]))
    return items


def stakes(conn: Connection, scopes: list[Scope], period: Period, today: date) -> dict[int, float]:
    """Per unit, what its index loses if one more of its dossiers finishes late in the period."""
    return {u: points_at_stake(c) for u, c in gather(conn, scopes, period, today).items()}
