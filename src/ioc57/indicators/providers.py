"""Indicators that another module computes from its own rollups, read like reported ones.

A domain module (the 766 index, citizen reports, tasks) calls :func:`register` with the indicator's
catalogue entry (``source="computed"``) and a function that returns, for some units and years, rows
of the same shape as ``indicator_rollups``' ``own`` rows. The scorecard, the series, the comparison
and the ranks then treat the indicator exactly as a reported one: the same aggregation rules, the
same targets and status. Nobody can report a value for it (the gate's check refuses).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Connection

from ioc57.indicators.catalogue import Indicator, catalogue

# (connection, unit ids, (first year, last year)) -> rollup-shaped rows (see ``yearly_ratio_row``)
Compute = Callable[[Connection, list[int], tuple[int, int]], list[dict]]
# (connection, unit ids) -> whether any of the data behind it is simulated (dữ liệu mô phỏng)
Simulated = Callable[[Connection, list[int]], bool]


@dataclass(frozen=True)
class Provider:
    indicator: Indicator
    compute: Compute
    simulated: Simulated


_providers: dict[str, Provider] = {}


def register(indicator: Indicator, compute: Compute, simulated: Simulated) -> None:
    """Add a computed indicator to the catalogue, with the function that computes it."""
    if indicator.source != "computed":
        raise ValueError(f"{indicator.code}: a provider's indicator has source 'computed'")
    catalogue().add(indicator)
    _providers[indicator.code] = Provider(indicator, compute, simulated)


def provider(code: str) -> Provider | None:
    return _providers.get(code)


def providers() -> list[Provider]:
    return list(_providers.values())


def rows(
    conn: Connection, unit_ids: list[int], years: tuple[int, int], code: str | None = None
) -> list[dict]:
    """Rollup-shaped rows of the computed indicators (one, or all of them) for these units."""
    chosen = [_providers[code]] if code else list(_providers.values())
    out = []
    for p in chosen:
        for row in p.compute(conn, unit_ids, years):
            out.append({**row, "indicator": p.indicator.code})
    return out


def simulated_codes(conn: Connection, unit_ids: list[int]) -> set[str]:
    return {p.indicator.code for p in _providers.values() if p.simulated(conn, unit_ids)}


def yearly_ratio_row(unit_id: int, year: int, numerator: float, denominator: float) -> dict:
    """One unit's year of a computed ratio, shaped like an ``own`` row of ``indicator_rollups``."""
    return {
        "unit_id": unit_id,
        "year": year,
        "scope": "own",
        "n": 1,
        "sum_value": 0.0,
        "sum_num": float(numerator),
        "sum_den": float(denominator),
        "pct_only": 0,
        "latest_end": None,
        "latest_value": 0.0,
        "latest_num": 0.0,
        "latest_den": 0.0,
        "simulated": 0,  # the provider's own ``simulated`` says so for the whole indicator
    }
