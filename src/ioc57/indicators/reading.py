"""Reading the yearly rollups of the scorecard: which rows, for which units, and what they add up to.

A current unit is read together with the legacy units it succeeded, so a value reported for Tiền
Giang in 2024 shows under today's Đồng Tháp with a note of its origin. Everything here reads
``indicator_rollups`` (and the computed indicators' providers), never the reported values.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Connection

from ioc57.core import providers
from ioc57.indicators.aggregate import NOT_AGGREGATABLE, Aggregate, Part, aggregate
from ioc57.indicators.catalogue import Indicator
from ioc57.indicators.tables import indicator_rollups, indicator_targets
from ioc57.units.queries import of_units, valid_at
from ioc57.units.tables import unit_successions, units

FIRST_YEAR = 2015


@dataclass(frozen=True)
class Related:
    id: int
    code: str
    name: str
    legacy: bool


def _legacy(conn: Connection, successors: list[int], level: str) -> dict[int, list[Related]]:
    """The units of ``level`` each of ``successors`` absorbed in the 2025 reorganisation."""
    out: dict[int, list[Related]] = defaultdict(list)
    query = (
        select(unit_successions.c.successor_id, units.c.id, units.c.code, units.c.name)
        .join(unit_successions, unit_successions.c.predecessor_id == units.c.id)
        .where(unit_successions.c.successor_id.in_(successors), units.c.level == level)
        .order_by(units.c.code)
    )
    for r in conn.execute(query):
        out[r.successor_id].append(Related(r.id, r.code, r.name, True))
    return out


def related_units(conn: Connection, unit: Any) -> list[Related]:
    """The unit and the units of the same level it succeeded in the 2025 reorganisation."""
    legacy = _legacy(conn, [unit.id], unit.level)
    return [Related(unit.id, unit.code, unit.name, False), *legacy[unit.id]]


def province_relatives(conn: Connection, year: int) -> list[tuple[Any, list[Related]]]:
    """The 34 current provinces, each with the legacy provinces it succeeded (two queries)."""
    day = date(max(year, 2025), 12, 31)
    provinces = conn.execute(
        select(units).where(units.c.level == "province", valid_at(day)).order_by(units.c.code)
    ).all()
    legacy = _legacy(conn, [p.id for p in provinces], "province")
    return [(p, [Related(p.id, p.code, p.name, False), *legacy[p.id]]) for p in provinces]


def fold(row: dict, ind: Indicator, origin: str | None) -> Part:
    """One rollup row (a unit's year, own or below) as one part of an aggregate."""
    below = row["scope"] == "below"
    if ind.stock:
        num = row["latest_num"] or None
        den = row["latest_den"] or None
        if ind.aggregation == "ratio" and num is not None and den:
            return Part(num / den * (ind.factor or 1), num, den, origin=origin)
        if below and ind.aggregation != "sum":
            return Part(None, origin=origin)
        return Part(row["latest_value"], origin=origin)
    if ind.aggregation == "sum":
        return Part(row["sum_value"], origin=origin)
    if ind.aggregation == "ratio":
        if row["pct_only"] == 0 and row["sum_den"]:
            return Part(
                row["sum_num"] / row["sum_den"] * (ind.factor or 1),
                row["sum_num"],
                row["sum_den"],
                origin=origin,
            )
        if row["n"] == 1 and not below:
            return Part(row["sum_value"], origin=origin)
        return Part(None, origin=origin)
    return Part(row["sum_value"] if row["n"] == 1 and not below else None, origin=origin)


def value_of(ind: Indicator, rows: list[dict], names: dict[int, Related]) -> Aggregate:
    """Own values first; the units below only when no value was reported for the unit itself."""
    own = [r for r in rows if r["scope"] == "own" and r["n"] > 0]
    chosen = own or [r for r in rows if r["scope"] == "below" and r["n"] > 0]
    parts = [fold(r, ind, origin_of(names[r["unit_id"]], r["scope"])) for r in chosen]
    result = aggregate(ind.aggregation, parts, ind.factor)
    result.scope = chosen[0]["scope"] if chosen else "own"
    if len(parts) == 1 and parts[0].value is None:
        result.aggregatable = False
        result.note = (
            "chỉ có số liệu của từng đơn vị cấp dưới, không cộng gộp được"
            if chosen[0]["scope"] == "below"
            else NOT_AGGREGATABLE
        )
    elif any(p.origin for p in parts):
        result.note = "; ".join(p.origin for p in parts if p.origin)
    return result


def origin_of(unit: Related, scope: str) -> str | None:
    where = f"{unit.name} (mã {unit.code}, trước 01/07/2025)" if unit.legacy else None
    if scope == "below":
        return f"tổng của các đơn vị thuộc {where}" if where else "tổng của các đơn vị cấp dưới"
    return where


def province_value(
    ind: Indicator, year: int, related: list[Related], rows_by_unit: dict[int, list[dict]]
) -> Aggregate:
    """One province's value of a year, from the rows of its units (current and legacy)."""
    rows = [row for r in related for row in rows_by_unit.get(r.id, []) if row["year"] == year]
    return value_of(ind, rows, {r.id: r for r in related}) if rows else Aggregate(None)


def rows_for(
    conn: Connection,
    unit_ids: list[int],
    indicator: str | None = None,
    years: tuple[int, int] | None = None,
) -> list[dict]:
    """Yearly rollup rows of reported indicators, and the same rows of computed ones."""
    computed = providers.provider(indicator) if indicator else None
    if computed is not None:
        return providers.rows(conn, unit_ids, years or (FIRST_YEAR, 2100), indicator)
    query = select(indicator_rollups).where(of_units(conn, indicator_rollups, unit_ids))
    if indicator:
        query = query.where(indicator_rollups.c.indicator == indicator)
    if years:
        query = query.where(indicator_rollups.c.year.between(*years))
    result = conn.execute(query)
    keys = list(result.keys())
    out = [dict(zip(keys, r, strict=True)) for r in result]  # not r._mapping: 3 × slower
    if indicator is None:
        out.extend(providers.rows(conn, unit_ids, years or (FIRST_YEAR, 2100)))
    return out


def reporting(
    conn: Connection, indicators: list[str], unit_ids: list[int], year: int
) -> dict[str, dict[str, int]]:
    """How many communes under these units reported each indicator in the year, of how many.

    Said beside a value built from the units below, so that 12 communes of 102 is not read as the
    whole province. Two queries, whatever the number of indicators.
    """
    if not indicators:
        return {}
    districts = select(units.c.id).where(units.c.parent_id.in_(unit_ids))
    communes = conn.execute(
        select(units.c.id, units.c.valid_from, units.c.valid_to).where(
            units.c.level == "commune",
            or_(units.c.parent_id.in_(unit_ids), units.c.parent_id.in_(districts)),
        )
    ).all()
    day = date(year, 12, 31)
    total = sum(
        1
        for c in communes
        if (c.valid_from is None or c.valid_from <= day)
        and (c.valid_to is None or c.valid_to > day)
    )
    counted = select(
        indicator_rollups.c.indicator, func.count(func.distinct(indicator_rollups.c.unit_id))
    ).where(
        indicator_rollups.c.indicator.in_(indicators),
        of_units(conn, indicator_rollups, [c.id for c in communes]),
        indicator_rollups.c.year == year,
        indicator_rollups.c.scope == "own",
        indicator_rollups.c.n > 0,
    )
    reported: dict[str, int] = dict(
        conn.execute(counted.group_by(indicator_rollups.c.indicator)).all()
    )
    return {code: {"reported": reported.get(code, 0), "of": total} for code in indicators}


Target = tuple[float | None, int | None, str]  # value, year, "provincial" | "national" | "none"


def provincial_targets(
    conn: Connection, unit_ids: list[int], year: int, indicator: str | None = None
) -> dict[str, Target]:
    """The provincial targets set for these units, the nearest at or after ``year``, by indicator."""
    query = select(
        indicator_targets.c.indicator, indicator_targets.c.value, indicator_targets.c.year
    ).where(indicator_targets.c.unit_id.in_(unit_ids), indicator_targets.c.year >= year)
    if indicator:
        query = query.where(indicator_targets.c.indicator == indicator)
    out: dict[str, Target] = {}
    for row in conn.execute(query.order_by(indicator_targets.c.year)):
        out.setdefault(row.indicator, (row.value, row.year, "provincial"))
    return out


def target_of(ind: Indicator, year: int, provincial: dict[str, Target]) -> Target:
    """A provincial target when one is set for the unit, else the national target."""
    if ind.code in provincial:
        return provincial[ind.code]
    national = ind.target_for(year)
    return (national.value, national.year, "national") if national else (None, None, "none")


def target_for(conn: Connection, ind: Indicator, unit_ids: list[int], year: int) -> Target:
    return target_of(ind, year, provincial_targets(conn, unit_ids, year, ind.code))
