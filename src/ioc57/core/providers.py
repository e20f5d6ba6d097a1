"""Indicators that a module computes from its own rollups, read like reported ones.

A module declares a ``Provider`` in its manifest: the indicator's catalogue entry (a mapping of the
catalogue's fields, with ``source: "computed"``) and a function that returns, for some units and
years, rows of the same shape as ``indicator_rollups``' ``own`` rows. The scorecard, the series,
the comparison and the ranks then treat the indicator exactly as a reported one: the same
aggregation rules, the same targets and status. Nobody can report a value for it (the gate's check
refuses). The registry lives here, below every module, so that a module offers an indicator
without importing the scorecard.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection

# (connection, unit ids, (first year, last year)) -> rollup-shaped rows (see ``yearly_ratio_row``)
Compute = Callable[[Connection, list[int], tuple[int, int]], list[dict[str, Any]]]
# (connection, unit ids) -> whether any of the data behind it is simulated (dữ liệu mô phỏng)
Simulated = Callable[[Connection, list[int]], bool]


@dataclass(frozen=True)
class Provider:
    indicator: Mapping[str, Any]  # the catalogue entry
    compute: Compute
    simulated: Simulated

    @property
    def code(self) -> str:
        return str(self.indicator["code"])


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    """Offer a computed indicator, with the function that computes it."""
    if provider.indicator.get("source") != "computed":
        raise ValueError(f"{provider.code}: a provider's indicator has source 'computed'")
    _providers[provider.code] = provider


def provider(code: str) -> Provider | None:
    return _providers.get(code)


def providers() -> list[Provider]:
    return list(_providers.values())


def count() -> int:
    """How many providers are registered (they are only ever added)."""
    return len(_providers)


def rows(
    conn: Connection, unit_ids: list[int], years: tuple[int, int], code: str | None = None
) -> list[dict[str, Any]]:
    """Rollup-shaped rows of the computed indicators (one, or all of them) for these units."""
    chosen = [_providers[code]] if code else list(_providers.values())
    out = []
    for p in chosen:
        for row in p.compute(conn, unit_ids, years):
            out.append({**row, "indicator": p.code})
    return out


def simulated_codes(conn: Connection, unit_ids: list[int]) -> set[str]:
    return {p.code for p in _providers.values() if p.simulated(conn, unit_ids)}


def yearly_ratio_row(
    unit_id: int, year: int, numerator: float, denominator: float
) -> dict[str, Any]:
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
