"""Progress status of an indicator series toward its target (``../shared/specs/progress-status.md``).

The method of the Open SDG reporting platform (Statistics Canada's, after Eurostat): compare the
observed compound annual growth since a base year with the growth the target requires.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

BASE_YEAR = 2020
ZERO = 0.001  # a base or target value of 0 is replaced by this


@dataclass(frozen=True)
class Progress:
    status: str  # target_achieved, on_track, needs_acceleration, limited_progress, deterioration, not_available
    score: float | None = None  # -5 .. 5, with a target only
    ratio: float | None = None  # R = d × CAGR_o / |CAGR_r|
    observed_growth: float | None = None  # CAGR_o
    required_growth: float | None = None  # CAGR_r
    base_year: int | None = None
    current_year: int | None = None
    projected_value: float | None = None  # at the target year, at the observed growth
    projected_year: int | None = None  # when the target would be reached at that growth


def ceiling_of(ind: Any) -> float | None:
    """The most an indicator's value can be: 100 for a share where higher is better."""
    share = ind.unit_of_measure == "%" and ind.aggregation == "ratio"
    return 100.0 if share and ind.direction == "positive" else None


def _nz(value: float) -> float:
    return ZERO if value == 0 else value


def _status_with_target(r: float) -> str:
    if r >= 0.95:
        return "on_track"
    if r >= 0.60:
        return "needs_acceleration"
    if r >= 0:
        return "limited_progress"
    return "deterioration"


def _status_without_target(v: float) -> str:
    if v >= 0.015:
        return "on_track"
    if v >= 0.005:
        return "needs_acceleration"
    if v >= 0:
        return "limited_progress"
    return "deterioration"


def _score(r: float) -> float:
    if r >= 0.6:
        return min(5.0, 7.1429 * r - 4.2857)
    return max(-5.0, 4.1667 * r - 2.5)


def _reached(value: float, target: float, d: int) -> bool:
    return value >= target if d > 0 else value <= target


def progress(
    values: dict[int, float],
    direction: str = "positive",
    target: float | None = None,
    target_year: int | None = None,
    base_year: int = BASE_YEAR,
    horizon: int = 2100,
    ceiling: float | None = None,
) -> Progress:
    """Classify the yearly series ``values`` ({year: value}).

    A latest value that has reached the target is ``target_achieved`` even alone: growth needs two
    points, reaching the target does not. ``ceiling`` is the most a value can be (100 for a share
    where higher is better): a value at it has reached any target there could be.
    """
    years = sorted(y for y, v in values.items() if v is not None)
    d = 1 if direction == "positive" else -1
    if years and _at_goal(values[years[-1]], target, target_year, ceiling, d):
        return _achieved(values, years, base_year, target, target_year, d, horizon)
    candidates = [y for y in years if y >= base_year]
    if len(years) < 2 or not candidates:
        return Progress("not_available")
    t_base = candidates[0]
    t_cur = years[-1]
    if t_cur <= t_base:
        return Progress("not_available")
    y_base, y_cur = _nz(values[t_base]), _nz(values[t_cur])
    if (y_base > 0) != (y_cur > 0):
        return Progress("not_available", base_year=t_base, current_year=t_cur)
    cagr_o = (y_cur / y_base) ** (1 / (t_cur - t_base)) - 1
    common = {"observed_growth": cagr_o, "base_year": t_base, "current_year": t_cur}
    if target is None or target_year is None:
        return Progress(_status_without_target(d * cagr_o), **common)
    projected_value = y_cur * (1 + cagr_o) ** (target_year - t_cur)
    projected_year = _year_reached(y_cur, t_cur, cagr_o, target, d, horizon)
    common |= {"projected_value": projected_value, "projected_year": projected_year}
    t = _nz(target)
    if (t > 0) != (y_base > 0) or target_year <= t_base:
        return Progress("not_available", **common)
    cagr_r = (t / y_base) ** (1 / (target_year - t_base)) - 1
    if cagr_r == 0:
        return Progress("not_available", **common)
    r = d * cagr_o / abs(cagr_r)
    return Progress(
        _status_with_target(r), score=round(_score(r), 4), ratio=r, required_growth=cagr_r, **common
    )


def _at_goal(
    value: float, target: float | None, target_year: int | None, ceiling: float | None, d: int
) -> bool:
    if target is not None and target_year is not None and _reached(value, target, d):
        return True
    return ceiling is not None and _reached(value, ceiling, d)


def _achieved(
    values: dict[int, float],
    years: list[int],
    base_year: int,
    target: float | None,
    target_year: int | None,
    d: int,
    horizon: int,
) -> Progress:
    """``target_achieved``, with the growth and projection where two points give them."""
    t_cur = years[-1]
    candidates = [y for y in years if y >= base_year and y < t_cur]
    if not candidates:
        return Progress("target_achieved", score=5.0, current_year=t_cur)
    t_base = candidates[0]
    y_base, y_cur = _nz(values[t_base]), _nz(values[t_cur])
    common: dict[str, Any] = {"base_year": t_base, "current_year": t_cur}
    if (y_base > 0) == (y_cur > 0):
        cagr_o = (y_cur / y_base) ** (1 / (t_cur - t_base)) - 1
        common["observed_growth"] = cagr_o
        if target is not None and target_year is not None:
            common["projected_value"] = y_cur * (1 + cagr_o) ** (target_year - t_cur)
            common["projected_year"] = _year_reached(y_cur, t_cur, cagr_o, target, d, horizon)
    return Progress("target_achieved", score=5.0, **common)


def _year_reached(
    y_cur: float, t_cur: int, growth: float, target: float, d: int, horizon: int
) -> int | None:
    """The first year the series reaches the target at the observed growth, or None if never."""
    if _reached(y_cur, target, d):
        return t_cur
    if growth <= -1 or growth == 0 or (target / y_cur) <= 0:
        return None
    years = math.log(target / y_cur) / math.log(1 + growth)
    if years <= 0:
        return None
    year = t_cur + math.ceil(years - 1e-9)
    return year if year <= horizon else None
