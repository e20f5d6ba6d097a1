"""Reading the scorecard: a unit's value of each indicator per year, its target, status and rank.

Reads only ``indicator_rollups`` (a handful of rows per indicator and year). A current unit is read
together with the legacy units it succeeded, so a value reported for Tiền Giang in 2024 shows under
today's Đồng Tháp with a note of its origin.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Connection

from ioc57.indicators import providers
from ioc57.indicators.aggregate import (
    NOT_AGGREGATABLE,
    Aggregate,
    Part,
    aggregate,
    competition_ranks,
)
from ioc57.indicators.catalogue import Indicator, catalogue
from ioc57.indicators.progress import progress
from ioc57.indicators.tables import indicator_rollups, indicator_targets, indicator_values
from ioc57.units.queries import valid_at
from ioc57.units.tables import unit_successions, units

FIRST_YEAR = 2015


@dataclass(frozen=True)
class Related:
    id: int
    code: str
    name: str
    legacy: bool


def related_units(conn: Connection, unit: Any) -> list[Related]:
    """The unit and the units of the same level it succeeded in the 2025 reorganisation."""
    out = [Related(unit.id, unit.code, unit.name, False)]
    query = (
        select(units.c.id, units.c.code, units.c.name)
        .join(unit_successions, unit_successions.c.predecessor_id == units.c.id)
        .where(unit_successions.c.successor_id == unit.id, units.c.level == unit.level)
        .order_by(units.c.code)
    )
    out.extend(Related(r.id, r.code, r.name, True) for r in conn.execute(query))
    return out


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


def _value(ind: Indicator, rows: list[dict], names: dict[int, Related]) -> Aggregate:
    """Own values first; the units below only when no value was reported for the unit itself."""
    own = [r for r in rows if r["scope"] == "own" and r["n"] > 0]
    chosen = own or [r for r in rows if r["scope"] == "below" and r["n"] > 0]
    parts = [fold(r, ind, _origin(names[r["unit_id"]], r["scope"])) for r in chosen]
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


def _origin(unit: Related, scope: str) -> str | None:
    where = f"{unit.name} (mã {unit.code}, trước 01/07/2025)" if unit.legacy else None
    if scope == "below":
        return f"tổng của các đơn vị thuộc {where}" if where else "tổng của các đơn vị cấp dưới"
    return where


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
    query = select(indicator_rollups).where(indicator_rollups.c.unit_id.in_(unit_ids))
    if indicator:
        query = query.where(indicator_rollups.c.indicator == indicator)
    if years:
        query = query.where(indicator_rollups.c.year.between(*years))
    out = [dict(r._mapping) for r in conn.execute(query)]
    if indicator is None:
        out.extend(providers.rows(conn, unit_ids, years or (FIRST_YEAR, 2100)))
    return out


def reporting_units(
    conn: Connection, indicator: str, unit_ids: list[int], year: int
) -> dict[str, int]:
    """How many communes under these units reported a value for the year, of how many there were.

    Said beside a value built from the units below, so that 12 communes of 102 is not read as the
    whole province.
    """
    child, parent = units.alias("child"), units.alias("parent")
    under = or_(child.c.parent_id.in_(unit_ids), parent.c.parent_id.in_(unit_ids))
    tree = child.outerjoin(parent, parent.c.id == child.c.parent_id)
    reported = conn.execute(
        select(func.count(func.distinct(indicator_rollups.c.unit_id)))
        .select_from(tree.join(indicator_rollups, indicator_rollups.c.unit_id == child.c.id))
        .where(under, child.c.level == "commune")
        .where(
            indicator_rollups.c.indicator == indicator,
            indicator_rollups.c.year == year,
            indicator_rollups.c.scope == "own",
            indicator_rollups.c.n > 0,
        )
    ).scalar_one()
    total = conn.execute(
        select(func.count())
        .select_from(tree)
        .where(under, child.c.level == "commune", valid_at(date(year, 12, 31), child))
    ).scalar_one()
    return {"reported": reported, "of": total}


def target_for(
    conn: Connection, ind: Indicator, unit_ids: list[int], year: int
) -> tuple[float | None, int | None, str]:
    """A provincial target when one is set for the unit, else the national target."""
    row = conn.execute(
        select(indicator_targets)
        .where(
            indicator_targets.c.indicator == ind.code,
            indicator_targets.c.unit_id.in_(unit_ids),
            indicator_targets.c.year >= year,
        )
        .order_by(indicator_targets.c.year)
        .limit(1)
    ).first()
    if row is not None:
        return row.value, row.year, "provincial"
    national = ind.target_for(year)
    return (national.value, national.year, "national") if national else (None, None, "none")


def series(
    conn: Connection, ind: Indicator, unit: Any, first: int = FIRST_YEAR, last: int = 2100
) -> dict[int, Aggregate]:
    related = related_units(conn, unit)
    names = {r.id: r for r in related}
    by_year: dict[int, list[dict]] = defaultdict(list)
    for row in rows_for(conn, list(names), ind.code, (first, last)):
        by_year[row["year"]].append(row)
    return {year: _value(ind, rows, names) for year, rows in sorted(by_year.items())}


def series_items(
    conn: Connection, ind: Indicator, unit: Any, first: int = FIRST_YEAR, last: int = 2100
) -> list[dict]:
    """Yearly values of a unit (with the legacy units it succeeded), with target and status."""
    related = [r.id for r in related_units(conn, unit)]
    items, values = [], {}
    for year, agg in series(conn, ind, unit, first, last).items():
        if agg.value is not None:
            values[year] = agg.value
        target, target_year, _ = target_for(conn, ind, related, year)
        items.append(
            {
                "period": str(year),
                "value": agg.value,
                "numerator": agg.numerator,
                "denominator": agg.denominator,
                "target": target,
                "target_year": target_year,
                "status": progress(values, ind.direction, target, target_year).status,
                "note": agg.note,
                "parts": [{"value": p.value, "origin": p.origin} for p in agg.parts],
            }
        )
    return items


def card(
    conn: Connection, ind: Indicator, unit: Any, year: int, yearly: dict[int, Aggregate]
) -> dict:
    """One indicator's tile: value, target, status, score and projection."""
    related_ids = [r.id for r in related_units(conn, unit)]
    target, target_year, target_kind = target_for(conn, ind, related_ids, year)
    values = {y: a.value for y, a in yearly.items() if y <= year and a.value is not None}
    p = progress(values, ind.direction, target, target_year)
    current = yearly.get(year)
    return {
        "indicator": ind.code,
        "name": ind.name,
        "name_en": ind.name_en,
        "group": ind.group,
        "unit_of_measure": ind.unit_of_measure,
        "year": year,
        "value": current.value if current else None,
        "numerator": current.numerator if current else None,
        "denominator": current.denominator if current else None,
        "aggregatable": current.aggregatable if current else True,
        "note": current.note if current else None,
        "reporting": (
            reporting_units(conn, ind.code, related_ids, year)
            if current and current.scope == "below"
            else None
        ),
        "target": target,
        "target_year": target_year,
        "target_kind": target_kind,
        "status": p.status,
        "score": p.score,
        "projected_value": p.projected_value,
        "projected_year": p.projected_year,
        "sparkline": [{"year": y, "value": v} for y, v in sorted(values.items())],
    }


def scorecard(conn: Connection, unit: Any, year: int, with_rank: bool = True) -> list[dict]:
    related = related_units(conn, unit)
    names = {r.id: r for r in related}
    grouped: dict[str, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for row in rows_for(conn, list(names), years=(FIRST_YEAR, year)):
        grouped[row["indicator"]][row["year"]].append(row)
    simulated = simulated_indicators(conn, list(names))
    items = []
    for ind in catalogue().indicators:
        yearly = {y: _value(ind, rows, names) for y, rows in grouped.get(ind.code, {}).items()}
        item = card(conn, ind, unit, year, yearly)
        item["rank"], item["of"] = None, None
        item["simulated"] = ind.code in simulated  # shown as "dữ liệu mô phỏng"
        items.append(item)
    if with_rank and unit.level == "province":
        relatives = province_relatives(conn, year)
        for item in items:
            if item["value"] is None:
                continue
            ranking = compare(conn, catalogue().get(item["indicator"]), year, relatives)
            mine = next((r for r in ranking if r["code"] == unit.code), None)
            item["rank"] = mine["rank"] if mine else None
            item["of"] = sum(1 for r in ranking if r["value"] is not None)
    return items


def simulated_indicators(conn: Connection, unit_ids: list[int]) -> set[str]:
    """Indicators with simulated values (dữ liệu mô phỏng) for these units."""
    query = (
        select(indicator_values.c.indicator)
        .distinct()
        .where(indicator_values.c.unit_id.in_(unit_ids), indicator_values.c.simulated.is_(True))
    )
    return {r.indicator for r in conn.execute(query)} | providers.simulated_codes(conn, unit_ids)


def province_relatives(conn: Connection, year: int) -> list[tuple[Any, list[Related]]]:
    """The 34 current provinces, each with the legacy provinces it succeeded."""
    day = date(max(year, 2025), 12, 31)
    provinces = conn.execute(
        select(units).where(units.c.level == "province", valid_at(day)).order_by(units.c.code)
    ).all()
    return [(p, related_units(conn, p)) for p in provinces]


def compare(
    conn: Connection,
    ind: Indicator,
    year: int,
    relatives: list[tuple[Any, list[Related]]] | None = None,
    with_status: bool = False,
) -> list[dict]:
    """The value of one indicator in every current province, with ranks (ties share a rank).

    ``with_status`` adds each province's progress status toward its target (reads the years
    before ``year`` too).
    """
    relatives = relatives or province_relatives(conn, year)
    all_ids = [r.id for _, rel in relatives for r in rel]
    first = FIRST_YEAR if with_status else year
    rows_by_unit: dict[int, list[dict]] = defaultdict(list)
    for row in rows_for(conn, all_ids, ind.code, (first, year)):
        rows_by_unit[row["unit_id"]].append(row)
    out = []
    for p, related in relatives:
        names = {r.id: r for r in related}
        by_year: dict[int, list[dict]] = defaultdict(list)
        for r in related:
            for row in rows_by_unit.get(r.id, []):
                by_year[row["year"]].append(row)
        agg = _value(ind, by_year[year], names) if by_year.get(year) else Aggregate(None)
        item = {
            "code": p.code,
            "name": p.name,
            "value": agg.value,
            "numerator": agg.numerator,
            "denominator": agg.denominator,
            "note": agg.note,
            "lat": p.lat,
            "lon": p.lon,
        }
        if with_status:
            yearly = {y: _value(ind, rows, names).value for y, rows in by_year.items()}
            values = {y: v for y, v in yearly.items() if v is not None}
            target, target_year, _ = target_for(conn, ind, list(names), year)
            item["target"] = target
            item["status"] = progress(values, ind.direction, target, target_year).status
        out.append(item)
    ranks = competition_ranks([(o["code"], o["value"]) for o in out], ind.direction)
    for o in out:
        o["rank"] = ranks.get(o["code"])
    return out
