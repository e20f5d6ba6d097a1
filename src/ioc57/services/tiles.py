"""The key figures the public-services module offers the operations centre, read from the gate's
rollups of the person's unit (a unit's rollups hold its whole subtree; an agency's, the dossiers
it handles) or, for a person without a unit, of every current province.

- ``services.received``: dossiers received today, their last 30 days, against yesterday;
- ``services.on_time``: the share of the dossiers finished this month that were on time, against
  last month; ``status`` ok from ``ON_TIME_OK`` percent, watch from ``ON_TIME_WATCH``, bad below
  (the 766 index gives the on-time criteria full points only when every dossier is on time; a
  province below nine in ten loses a visible share of them), the worst agencies as rows;
- ``services.index766``: the Decision 766 total of the person's unit (or the first province whose
  dossiers came through the gate, as the overview's panel) this month, its last months.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.clock import LOCAL_TZ, stored_utc
from ioc57.core.i18n import N_
from ioc57.core.pages import link
from ioc57.ingest.tables import batches, rollups
from ioc57.services.counts import dims_of
from ioc57.services.index import parse_window, target, trend
from ioc57.services.pages import first_unit
from ioc57.services.provenance import simulated_dossiers
from ioc57.units.queries import of_units, subtree_ids, unit_by_id, valid_at
from ioc57.units.tables import units

READ = "services.read"
SOURCE = N_("Public service portal (LGSP)")
DAYS = 30
ON_TIME_OK, ON_TIME_WATCH = 90.0, 75.0  # percent
ROWS = 8


def counted_units(conn: Connection, principal: Principal, day: date) -> tuple[list[int], Any]:
    """The ids of the units whose rollups a tile sums (the person's unit, or every current
    province), and the person's unit row (None without one)."""
    if principal.unit_id is not None:
        row = unit_by_id(conn, principal.unit_id)
        return ([row.id] if row is not None else []), row
    query = select(units.c.id).where(units.c.level == "province", valid_at(day))
    return list(conn.execute(query).scalars()), None


def last_batch(conn: Connection, record_type: str = "dossier") -> datetime | None:
    """When the gate last finished a batch of that type: when the figures last changed."""
    query = select(func.max(batches.c.finished_at)).where(batches.c.type == record_type)
    value = conn.execute(query).scalar()
    return stored_utc(value) if value is not None else None


def daily(
    conn: Connection, ids: list[int], metric: str, start: date, end: date
) -> dict[date, dict[str, int]]:
    """Per day from ``start`` to ``end``, the rollups' counts of ``metric`` by dims."""
    c = rollups.c
    query = (
        select(c.day, c.dims, func.sum(c.count))
        .where(of_units(conn, rollups, ids), c.metric == metric, c.day >= start, c.day <= end)
        .group_by(c.day, c.dims)
    )
    out: dict[date, dict[str, int]] = defaultdict(dict)
    for day, dims, n in conn.execute(query):
        out[day][dims] = int(n)
    return out


def base(principal: Principal, unit: Any, conn: Connection, ids: list[int]) -> dict[str, Any]:
    return {
        "updated_at": last_batch(conn),
        "source": SOURCE,
        "simulated": simulated_dossiers(conn, ids) if ids else False,
        "unit": unit.name if unit is not None else None,
    }


def received(conn: Connection, principal: Principal, now: datetime) -> dict[str, Any] | None:
    """Dossiers received today in the person's scope."""
    if not may(principal, READ):
        return None
    today = now.astimezone(LOCAL_TZ).date()
    ids, unit = counted_units(conn, principal, today)
    start = today - timedelta(days=DAYS - 1)
    days = daily(conn, ids, "dossier.received", start, today)
    per_day = [(start + timedelta(days=k)) for k in range(DAYS)]
    counts = {d: sum(days.get(d, {}).values()) for d in per_day}
    return base(principal, unit, conn, ids) | {
        "value": counts[today],
        "uom": "count",
        "caption": N_("today"),
        "trend": [[d.isoformat(), counts[d]] for d in per_day],
        "delta": counts[today] - counts[today - timedelta(days=1)],
        "good": None,
        "status": None,
        "href": link("/services", unit=unit.code if unit is not None else None),
    }


def rate(counts: dict[str, int]) -> tuple[int, int]:
    """(on time, finished) of a day's ``dossier.finished`` counts by dims."""
    yes = sum(n for d, n in counts.items() if dims_of(d).get("on_time") == "yes")
    return yes, sum(counts.values())


def percent(yes: int, total: int) -> float | None:
    return round(100 * yes / total, 1) if total else None


def level(value: float | None) -> str | None:
    """ok, watch or bad for an on-time rate (percent); None without dossiers."""
    if value is None:
        return None
    return "ok" if value >= ON_TIME_OK else "watch" if value >= ON_TIME_WATCH else "bad"


def on_time(conn: Connection, principal: Principal, now: datetime) -> dict[str, Any] | None:
    """The share of the dossiers finished this month in the person's scope that were on time."""
    if not may(principal, READ):
        return None
    today = now.astimezone(LOCAL_TZ).date()
    ids, unit = counted_units(conn, principal, today)
    month = today.replace(day=1)
    before = (month - timedelta(days=1)).replace(day=1)
    start = min(before, today - timedelta(days=DAYS - 1))
    days = daily(conn, ids, "dossier.finished", start, today)
    this = [rate(v) for d, v in days.items() if d >= month]
    last = [rate(v) for d, v in days.items() if before <= d < month]
    value = percent(sum(y for y, _ in this), sum(n for _, n in this))
    previous = percent(sum(y for y, _ in last), sum(n for _, n in last))
    trend_days = [today - timedelta(days=k) for k in range(DAYS - 1, -1, -1)]
    points = [[d.isoformat(), percent(*rate(days[d]))] for d in trend_days if d in days]
    delta = round(value - previous, 1) if value is not None and previous is not None else None
    return base(principal, unit, conn, ids) | {
        "value": value,
        "uom": "percent",
        "caption": N_("this month"),
        "trend": points,
        "delta": delta,
        "good": "up",
        "status": level(value),
        "href": link(
            "/services", unit=unit.code if unit is not None else None, period=f"{today:%Y%m}"
        ),
        "rows": worst_agencies(conn, unit, ids, month, today),
    }


def worst_agencies(
    conn: Connection, unit: Any, ids: list[int], start: date, end: date
) -> list[dict[str, Any]]:
    """The agencies of the scope with the lowest on-time rate over the days (at most ``ROWS``)."""
    if unit is not None and unit.level == "agency":
        return []
    within = subtree_ids(conn, unit) if unit is not None else None
    query = select(units.c.id, units.c.code, units.c.name).where(
        units.c.level == "agency", valid_at(end)
    )
    if within is not None:
        query = query.where(units.c.id.in_(within))
    agencies = {r.id: r for r in conn.execute(query)}
    if not agencies:
        return []
    c = rollups.c
    sums = select(c.unit_id, c.dims, func.sum(c.count)).where(
        of_units(conn, rollups, sorted(agencies)),
        c.metric == "dossier.finished",
        c.day >= start,
        c.day <= end,
    )
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for unit_id, dims, n in conn.execute(sums.group_by(c.unit_id, c.dims)):
        found[unit_id][dims] = int(n)
    rates = [(percent(*rate(v)), agencies[u]) for u, v in found.items()]
    rates.sort(key=lambda p: (p[0] if p[0] is not None else 101.0, p[1].code))
    return [
        {"label": a.name, "value": r, "href": link("/services", unit=a.code, period=f"{end:%Y%m}")}
        for r, a in rates[:ROWS]
    ]


# the months of the index's trend, this one last: each month is a reading of the rollups (~8 ms
# for a province of the demo), and the tile is read on every batch of dossiers
MONTHS = 4


def index766(conn: Connection, principal: Principal, now: datetime) -> dict[str, Any] | None:
    """This month's Decision 766 total of the person's unit, or of the first province whose
    dossiers came through the gate; None when there is none."""
    if not may(principal, READ):
        return None
    today = now.astimezone(LOCAL_TZ).date()
    code = first_unit(conn, principal)
    goal = target(conn, code, today) if code else None
    if goal is None:
        return None
    period = parse_window(f"{today:%Y%m}")
    months = trend(conn, goal, period, today, MONTHS)
    value = months[-1]["total"]
    previous = months[-2]["total"] if len(months) > 1 else None
    ids = [s.id for s in goal.scopes]
    return {
        "value": value,
        "uom": "points",
        "caption": N_("this month"),
        "trend": [[f"{m['period'][:4]}-{m['period'][4:]}-01", m["total"]] for m in months],
        "delta": round(value - previous, 2) if value is not None and previous is not None else None,
        "good": "up",
        "status": None,
        "href": link("/services", unit=goal.code, period=period.code),
        "updated_at": last_batch(conn),
        "source": SOURCE,
        "simulated": simulated_dossiers(conn, ids),
        "unit": goal.name,
    }
