"""The scorecard's figures for alert rules: an indicator's latest value per unit
(``indicators.value``) and its progress status (``indicators.status``).

Both read the yearly rollups of approved values, as the scorecard does (``reading``): a unit's
series is the values reported for the unit itself (not the sum of the units under it), for each
unit in force today that reported the indicator, with the values of the units it succeeded in
the 2025 reorganisation (a computed indicator: each current province).
Drafts never count: a rule warns on published figures only.

- ``indicators.value``: the value of the unit's latest year with one; its own threshold is the
  unit's target (the one set for the unit, else the national one), so that a rule with "the
  series' own" threshold and ``<`` (a positive indicator) or ``>`` (a negative one) fires when a
  unit is short of its target.
- ``indicators.status``: the progress status of the unit's series toward its target (the Open SDG
  method of ``progress``) as a number a rule compares: ``0`` target achieved or on track, ``1``
  needs acceleration or limited progress, ``2`` deterioration (off track); no value when there
  is not enough data. A rule "status ≥ 2" warns of a unit going the wrong way.

Observations arriving at the gate re-evaluate the rules (``record_types``); an approval made on
the review page reaches them at the alerts' next scheduled evaluation. Every series is returned
whatever the batch: one indicator's rows are few.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core import providers
from ioc57.core.clock import LOCAL_TZ, today
from ioc57.core.figures import Sample
from ioc57.indicators.catalogue import Indicator, catalogue
from ioc57.indicators.progress import ceiling_of, progress
from ioc57.indicators.reading import FIRST_YEAR, Related, value_of
from ioc57.indicators.tables import indicator_rollups, indicator_targets
from ioc57.units.queries import valid_at
from ioc57.units.tables import unit_successions, units

# a progress status as the number ``indicators.status`` gives
STATUS_LEVEL = {
    "target_achieved": 0,
    "on_track": 0,
    "needs_acceleration": 1,
    "limited_progress": 1,
    "deterioration": 2,
}


@dataclass
class Series:
    """One unit's yearly values of an indicator, and when its latest period ended."""

    unit: Related
    values: dict[int, float]
    ended: dict[int, Any]  # year -> the last period's end (a date) or None


def indicator_of(params: Mapping[str, Any]) -> Indicator:
    code = str(params.get("indicator") or "")
    ind = catalogue().get(code)
    if ind is None:
        raise ValueError(f"no indicator {code!r} in the catalogue")
    return ind


def _in_force(row: Any, day: date) -> bool:
    return (row.valid_from is None or row.valid_from <= day) and (
        row.valid_to is None or row.valid_to > day
    )


def _rows(conn: Connection, ind: Indicator) -> list[tuple[Related, Related, dict]]:
    """(the unit in force today, the unit the row is of, the own rollup row) of each value of
    ``ind``: a unit that no longer holds counts under its successors of the same level (the 2025
    reorganisation), as the scorecard shows it."""
    day = today()
    if providers.provider(ind.code) is not None:
        query = select(units).where(units.c.level == "province", valid_at(day))
        provinces = {u.id: Related(u.id, u.code, u.name, False) for u in conn.execute(query)}
        found = providers.rows(conn, list(provinces), (FIRST_YEAR, 2100), ind.code)
        return [
            (provinces[r["unit_id"]], provinces[r["unit_id"]], r)
            for r in found
            if r["scope"] == "own" and r["n"] > 0
        ]
    query = (
        select(
            indicator_rollups,
            units.c.code,
            units.c.name,
            units.c.level,
            units.c.valid_from,
            units.c.valid_to,
        )
        .join(units, units.c.id == indicator_rollups.c.unit_id)
        .where(
            indicator_rollups.c.indicator == ind.code,
            indicator_rollups.c.scope == "own",
            indicator_rollups.c.n > 0,
        )
    )
    rows = list(conn.execute(query))
    successors: dict[int, list[Related]] = defaultdict(list)
    legacy = {r.unit_id: r.level for r in rows if not _in_force(r, day)}
    if legacy:
        query = (
            select(unit_successions.c.predecessor_id, units.c.id, units.c.code, units.c.name)
            .join(units, units.c.id == unit_successions.c.successor_id)
            .where(unit_successions.c.predecessor_id.in_(list(legacy)), valid_at(day))
        )
        for r in conn.execute(query.add_columns(units.c.level)):
            if r.level == legacy[r.predecessor_id]:
                successors[r.predecessor_id].append(Related(r.id, r.code, r.name, False))
    out: list[tuple[Related, Related, dict]] = []
    for r in rows:
        if r.unit_id in legacy:
            mine = Related(r.unit_id, r.code, r.name, True)
            out.extend((current, mine, dict(r._mapping)) for current in successors[r.unit_id])
        else:
            mine = Related(r.unit_id, r.code, r.name, False)
            out.append((mine, mine, dict(r._mapping)))
    return out


def series_of(conn: Connection, ind: Indicator) -> list[Series]:
    """Each current unit's yearly values of ``ind``, in the order of the units' codes."""
    grouped: dict[int, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
    names: dict[int, dict[int, Related]] = defaultdict(dict)
    current: dict[int, Related] = {}
    for unit, of, row in _rows(conn, ind):
        current[unit.id] = unit
        names[unit.id][of.id] = of
        grouped[unit.id][row["year"]].append(row)
    out = []
    for unit_id, years in grouped.items():
        series = Series(current[unit_id], {}, {})
        for year, rows in years.items():
            value = value_of(ind, rows, names[unit_id]).value
            if value is not None:
                series.values[year] = value
                ends: list[Any] = [r["latest_end"] for r in rows if r.get("latest_end")]
                series.ended[year] = max(ends) if ends else None
        if series.values:
            out.append(series)
    return sorted(out, key=lambda s: s.unit.code)


def targets_of(
    conn: Connection, ind: Indicator, found: list[Series]
) -> dict[int, tuple[float | None, int | None]]:
    """Each unit's target for its latest year: its own nearest at or after that year, else the
    national one (as the scorecard chooses)."""
    own: dict[int, list[tuple[int, float]]] = defaultdict(list)
    query = select(
        indicator_targets.c.unit_id, indicator_targets.c.year, indicator_targets.c.value
    ).where(
        indicator_targets.c.indicator == ind.code,
        indicator_targets.c.unit_id.in_([s.unit.id for s in found]),
    )
    for r in conn.execute(query.order_by(indicator_targets.c.year)):
        own[r.unit_id].append((r.year, r.value))
    out: dict[int, tuple[float | None, int | None]] = {}
    for s in found:
        year = max(s.values)
        later = [(y, v) for y, v in own[s.unit.id] if y >= year]
        national = ind.target_for(year)
        if later:
            out[s.unit.id] = (later[0][1], later[0][0])
        elif national is not None:
            out[s.unit.id] = (national.value, national.year)
        else:
            out[s.unit.id] = (None, None)
    return out


def _at(s: Series, year: int) -> datetime:
    """When the latest value's period ended (the year's end when the rollup does not say)."""
    ended = s.ended.get(year)
    day = ended if ended is not None else date(year, 12, 31)
    if isinstance(day, str):
        day = datetime.fromisoformat(day).date()
    return datetime.combine(day, time(), LOCAL_TZ)


def value_samples(
    conn: Connection, params: Mapping[str, Any], batch: int | None = None
) -> list[Sample]:
    """``indicators.value``: per unit, its latest value, its target as its own threshold."""
    ind = indicator_of(params)
    found = series_of(conn, ind)
    targets = targets_of(conn, ind, found)
    out = []
    for s in found:
        year = max(s.values)
        out.append(
            Sample(
                labels={"indicator": ind.code, "unit": s.unit.code},
                value=s.values[year],
                unit_id=s.unit.id,
                at=_at(s, year),
                threshold=targets[s.unit.id][0],
            )
        )
    return out


def status_samples(
    conn: Connection, params: Mapping[str, Any], batch: int | None = None
) -> list[Sample]:
    """``indicators.status``: per unit, its progress status as 0, 1 or 2 (``STATUS_LEVEL``)."""
    ind = indicator_of(params)
    found = series_of(conn, ind)
    targets = targets_of(conn, ind, found)
    out = []
    for s in found:
        target, target_year = targets[s.unit.id]
        status = progress(
            s.values, ind.direction, target, target_year, ceiling=ceiling_of(ind)
        ).status
        level = STATUS_LEVEL.get(status)
        out.append(
            Sample(
                labels={"indicator": ind.code, "unit": s.unit.code},
                value=None if level is None else float(level),
                unit_id=s.unit.id,
                at=_at(s, max(s.values)),
            )
        )
    return out
