"""The scorecard: a unit's value of each indicator per year, its target, status and rank.

Built on ``reading`` (the yearly rollups of a unit and the legacy units it succeeded). One
scorecard reads its rows, targets, reporting counts and every province's year for the ranks in a
handful of queries, whatever the number of indicators.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core import providers
from ioc57.indicators.aggregate import Aggregate, competition_ranks
from ioc57.indicators.catalogue import Indicator, catalogue
from ioc57.indicators.progress import ceiling_of, progress
from ioc57.indicators.reading import (
    FIRST_YEAR,
    Related,
    Target,
    province_relatives,
    province_value,
    provincial_targets,
    related_units,
    reporting,
    rows_for,
    target_for,
    target_of,
    value_of,
)
from ioc57.indicators.tables import indicator_rollups, indicator_rollups_version

__all__ = ["FIRST_YEAR", "card", "compare", "province_relatives", "related_units", "scorecard"]


def series(
    conn: Connection, ind: Indicator, unit: Any, first: int = FIRST_YEAR, last: int = 2100
) -> dict[int, Aggregate]:
    related = related_units(conn, unit)
    names = {r.id: r for r in related}
    by_year: dict[int, list[dict]] = defaultdict(list)
    for row in rows_for(conn, list(names), ind.code, (first, last)):
        by_year[row["year"]].append(row)
    return {year: value_of(ind, rows, names) for year, rows in sorted(by_year.items())}


def series_items(
    conn: Connection,
    ind: Indicator,
    unit: Any,
    first: int = FIRST_YEAR,
    last: int = 2100,
    yearly: dict[int, Aggregate] | None = None,
) -> list[dict]:
    """Yearly values of a unit (with the legacy units it succeeded), with target and status.

    ``yearly`` is the unit's ``series`` when the caller has read it already.
    """
    related = [r.id for r in related_units(conn, unit)]
    items, values = [], {}
    yearly = series(conn, ind, unit, first, last) if yearly is None else yearly
    for year, agg in yearly.items():
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
                "status": progress(
                    values, ind.direction, target, target_year, ceiling=ceiling_of(ind)
                ).status,
                "note": agg.note,
                "parts": [{"value": p.value, "origin": p.origin} for p in agg.parts],
            }
        )
    return items


def card(
    conn: Connection,
    ind: Indicator,
    unit: Any,
    year: int,
    yearly: dict[int, Aggregate],
    target: Target | None = None,
    reported: dict[str, int] | None = None,
) -> dict:
    """One indicator's tile: value, target, status, score and projection.

    The scorecard passes what it read once for all the tiles (the target, the reporting count);
    alone, a card reads them itself.
    """
    current = yearly.get(year)
    below = current is not None and current.scope == "below"
    if target is None or (below and reported is None):
        related_ids = [r.id for r in related_units(conn, unit)]
        target = target or target_for(conn, ind, related_ids, year)
        if below and reported is None:
            reported = reporting(conn, [ind.code], related_ids, year)[ind.code]
    value, target_year, target_kind = target
    values = {y: a.value for y, a in yearly.items() if y <= year and a.value is not None}
    p = progress(values, ind.direction, value, target_year, ceiling=ceiling_of(ind))
    latest = max(values, default=None)  # the year the status speaks of: this one or an earlier
    return {
        "indicator": ind.code,
        "name": ind.name,
        "name_en": ind.name_en,
        "group": ind.group,
        "unit_of_measure": ind.unit_of_measure,
        "year": year,
        "value": current.value if current else None,
        "latest_year": latest,
        "latest_value": values[latest] if latest is not None else None,
        "numerator": current.numerator if current else None,
        "denominator": current.denominator if current else None,
        "aggregatable": current.aggregatable if current else True,
        "note": current.note if current else None,
        "reporting": reported if below else None,
        "target": value,
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
    ids = list(names)
    grouped: dict[str, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
    simulated = providers.simulated_codes(conn, ids)  # shown as "dữ liệu mô phỏng"
    for row in rows_for(conn, ids, years=(FIRST_YEAR, year)):
        grouped[row["indicator"]][row["year"]].append(row)
        if row.get("simulated"):
            simulated.add(row["indicator"])
    yearlies = {
        ind.code: {y: value_of(ind, rows, names) for y, rows in grouped[ind.code].items()}
        for ind in catalogue().indicators
    }
    below = [
        code
        for code, yearly in yearlies.items()
        if getattr(yearly.get(year), "scope", "") == "below"
    ]
    reported = reporting(conn, below, ids, year)
    provincial = provincial_targets(conn, ids, year)
    items = []
    for ind in catalogue().indicators:
        if not ind.applies(year):
            continue  # a district's indicator after the districts were abolished
        target = target_of(ind, year, provincial)
        item = card(conn, ind, unit, year, yearlies[ind.code], target, reported.get(ind.code))
        item["rank"], item["of"] = None, None
        item["simulated"] = ind.code in simulated
        items.append(item)
    if with_rank and unit.level == "province":
        _rank(conn, unit, year, items)
    return items


def _rank(conn: Connection, unit: Any, year: int, items: list[dict]) -> None:
    """Each item's rank among the 34 provinces, from every province's values of the year."""
    values = province_values(conn, year)
    for item in items:
        if item["value"] is None:
            continue
        ind = catalogue().get(item["indicator"])
        assert ind is not None  # the items are the catalogue's
        of_year = values.get(ind.code) or _computed_values(conn, ind, year)
        of = sum(1 for _, v in of_year if v is not None)
        if of < 2:
            continue  # first of one is no rank
        item["rank"] = competition_ranks(of_year, ind.direction).get(unit.code)
        item["of"] = of


# (database, its token, the rollups' version, year) -> {indicator: [(province code, value)]}
_ranked: OrderedDict[tuple, dict[str, list]] = OrderedDict()


def province_values(conn: Connection, year: int) -> dict[str, list[tuple[str, float | None]]]:
    """Every reported indicator's value in each of the 34 provinces for the year (one read).

    The same for every province's scorecard, so it is kept per process until the rollups change:
    a change bumps ``indicator_rollups_version`` in its own transaction, on any process.
    """
    stamp = conn.execute(
        select(indicator_rollups_version.c.token, indicator_rollups_version.c.version)
    ).first()
    key = (str(conn.engine.url), *stamp, year) if stamp else None
    if key is not None and key in _ranked:
        _ranked.move_to_end(key)
        return _ranked[key]
    relatives = province_relatives(conn, year)
    everyone = [r.id for _, related in relatives for r in related]
    rows_by: dict[str, dict[int, list[Any]]] = defaultdict(lambda: defaultdict(list))
    query = select(indicator_rollups).where(
        indicator_rollups.c.unit_id.in_(everyone), indicator_rollups.c.year == year
    )
    for row in conn.execute(query).mappings():
        rows_by[row["indicator"]][row["unit_id"]].append(row)
    out = {}
    for code, rows in rows_by.items():
        ind = catalogue().get(code)
        if ind is not None and ind.source == "reported":
            out[code] = [
                (p.code, province_value(ind, year, related, rows).value) for p, related in relatives
            ]
    if key is not None:
        _ranked[key] = out
        while len(_ranked) > 16:
            _ranked.popitem(last=False)
    return out


def _computed_values(conn: Connection, ind: Indicator, year: int) -> list[tuple[str, float | None]]:
    """A computed indicator's values of the year in each province (never cached: live)."""
    return [(r["code"], r["value"]) for r in compare(conn, ind, year)]


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
        agg = province_value(ind, year, related, rows_by_unit)
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
            years = {row["year"] for r in related for row in rows_by_unit.get(r.id, [])}
            yearly = {y: province_value(ind, y, related, rows_by_unit).value for y in years}
            values = {y: v for y, v in yearly.items() if v is not None}
            target, target_year, _ = target_for(conn, ind, [r.id for r in related], year)
            item["target"] = target
            ceiling = ceiling_of(ind)
            item["status"] = progress(
                values, ind.direction, target, target_year, ceiling=ceiling
            ).status
        out.append(item)
    ranks = competition_ranks([(o["code"], o["value"]) for o in out], ind.direction)
    for o in out:
        o["rank"] = ranks.get(o["code"])
    return out
