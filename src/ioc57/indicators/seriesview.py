"""What one indicator's page draws beside its figures: the series chart (values, target line and
the trend to the target year) and the sources cited for the values."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.clock import today
from ioc57.indicators.catalogue import Indicator
from ioc57.indicators.tables import indicator_values


def citations(conn: Connection, ind: Indicator, unit_ids: list[int]) -> list[dict]:
    query = (
        select(
            indicator_values.c.period,
            indicator_values.c.citation,
            indicator_values.c.simulated,
        )
        .where(
            indicator_values.c.indicator == ind.code,
            indicator_values.c.unit_id.in_(unit_ids),
            indicator_values.c.status == "approved",
        )
        .order_by(indicator_values.c.period)
        .limit(500)
    )
    cited: dict[str, dict] = {}  # one line per citation, with the periods it gave
    for r in conn.execute(query):
        entry = cited.setdefault(
            r.citation, {"citation": r.citation, "periods": [], "simulated": r.simulated}
        )
        if r.period not in entry["periods"]:
            entry["periods"].append(r.period)
    return list(cited.values())


def projected(ind: Indicator, tile: dict | None) -> float | None:
    """The value at the target year on the observed trend; a share cannot pass 100%."""
    value = tile["projected_value"] if tile else None
    if value is None:
        return None
    return min(value, 100.0) if ind.unit_of_measure == "%" else value


def chart(ind: Indicator, points: list[dict], tile: dict | None) -> dict:
    """The data of the series chart: values, the target line and the trend to the target year."""
    values = {int(p["period"]): p["value"] for p in points if p["value"] is not None}
    target = tile and tile["target"]
    target_year = tile and tile["target_year"]
    last = max([*values, target_year or 0], default=today().year)
    first = min(values, default=min(last, today().year))
    years = list(range(first, last + 1))
    trend: list[float | None] = [None] * len(years)
    end = tile["projected_value"] if tile else None
    if values and target_year and end is not None and target_year > max(values):
        # the same compound growth the status is computed with, year by year, up to the target year
        t0 = max(values)
        y0 = values[t0]
        for t in range(t0, target_year + 1):
            y = y0 * (end / y0) ** ((t - t0) / (target_year - t0)) if y0 else end
            trend[years.index(t)] = min(y, 100.0) if ind.unit_of_measure == "%" else y
    return {
        "years": years,
        "values": [values.get(y) for y in years],
        "target": [target for _ in years] if target is not None else [],
        "projection": trend,
        "unit": ind.unit_of_measure,
    }
