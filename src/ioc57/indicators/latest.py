"""Where the scorecard pages open: the latest year with an approved value, and its latest period.

A page asked for no year opens on the newest year that has something to show (the current year
often has nothing approved yet), says which, and offers the other years with values.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.indicators.catalogue import Indicator, catalogue
from ioc57.indicators.reading import (
    FIRST_YEAR,
    province_relatives,
    related_units,
    rows_for,
    value_of,
)
from ioc57.indicators.tables import indicator_values


def years_with_values(conn: Connection, unit: Any, last: int) -> list[int]:
    """The years up to ``last`` in which the unit (with the units it succeeded) has a value of an
    indicator that applied that year, newest first."""
    related = related_units(conn, unit)
    names = {r.id: r for r in related}
    grouped: dict[str, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for row in rows_for(conn, list(names), years=(FIRST_YEAR, last)):
        if (row.get("n") or 0) > 0:
            grouped[row["indicator"]][row["year"]].append(row)
    years: set[int] = set()
    for ind in catalogue().indicators:
        for year, rows in grouped[ind.code].items():
            if year in years or not ind.applies(year):
                continue
            if value_of(ind, rows, names).value is not None:
                years.add(year)
    return sorted(years, reverse=True)


def indicator_years(conn: Connection, ind: Indicator, unit: Any | None, last: int) -> list[int]:
    """The years up to ``last`` with a value of ``ind``: the unit's, else any province's."""
    if unit is not None:
        ids = [r.id for r in related_units(conn, unit)]
    else:
        ids = [r.id for _, related in province_relatives(conn, last) for r in related]
    rows = rows_for(conn, ids, ind.code, (FIRST_YEAR, last))
    years = {row["year"] for row in rows if (row.get("n") or 0) > 0 and ind.applies(row["year"])}
    return sorted(years, reverse=True)


def latest_period(
    conn: Connection, unit: Any, year: int, indicator: str | None = None
) -> str | None:
    """The code of the latest period of ``year`` with an approved value reported for the unit
    (a province: anywhere in it, and in the provinces it succeeded), e.g. ``202505``."""
    related = related_units(conn, unit)
    query = select(indicator_values.c.period).where(
        indicator_values.c.year == year, indicator_values.c.status == "approved"
    )
    if unit.level == "province":
        query = query.where(indicator_values.c.province_code.in_([r.code for r in related]))
    else:
        query = query.where(indicator_values.c.unit_id.in_([r.id for r in related]))
    if indicator:
        query = query.where(indicator_values.c.indicator == indicator)
    query = query.order_by(indicator_values.c.period_end.desc()).limit(1)
    return conn.execute(query).scalar()


def year_choices(years: list[int], shown: int, this_year: int) -> list[int]:
    """The years to pick from: those with values, the year shown and the current one."""
    return sorted({*years, shown, this_year}, reverse=True)
