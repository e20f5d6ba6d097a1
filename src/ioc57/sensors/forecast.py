"""A station's next 48 hours from its own history: tidal harmonics and a trend, fitted by least
squares on hourly means, with a band; and the forecast's error on held-out days against the
naive baseline (the same hour yesterday).

Pure numpy, no database: ``forecasting.py`` reads the readings and keeps what this makes.

The model, on the hourly means ``y(t)`` (``t`` in hours): a level that may bend once a day (a
piecewise-linear trend, knots every ``KNOT_H`` hours ending at the last hour), plus a cosine and
a sine for each tidal constituent (M2, S2, N2, K1, O1, the shallow-water M4) and the daily cycle
of the sun (24 h), on absolute time. Ahead, the level is held where the fit leaves it
(``TREND_DAMPING`` = 0: none of the last day's slope goes on). On held-out days of simulated
intrusions (the level ramps up threefold to fivefold over a day and a half, holds, falls back),
carrying half the slope forward for a day raised the error at 24 h from 0.7 to 1.0 times the
naive baseline's: a line drawn through a ramp overshoots its plateau and misses its turn; with
steady tides it changed nothing. The harmonics see the whole window (``WINDOW_H``), the level
only its own days: a rise of the last days moves the level at once, not after weeks.

Salinity is positive and its tide swings in proportion to its level (an intrusion raises both),
so a series that is positive throughout is fitted on its logarithm: a rise of the level then
carries the tide's swing with it, and the band is a ratio, never below zero. Three weeks of
history do not tell K1 from the 24-hour cycle, nor M2 from N2 (they part only over a year and a
month); a small ridge penalty on the harmonics keeps such pairs from cancelling each other with
huge coefficients, which would blow up once extrapolated.

The band: ±1.96 σ, where σ at each horizon comes from the errors the model made on the held-out
days (``backtest``), as a variance growing linearly with the horizon fitted to those errors (the
error of a drifting level grows that way), never below the fit's own residual σ; beyond 24 hours
the line is extrapolated. Without held-out days the residual σ is used throughout.

A ceiling (``ceiling``: salinity's is the open sea's, ``forecasting.CEILINGS``) caps the
forecast and its band: over a level already high, the tide's swing multiplied in log scale would
forecast an estuary saltier than the sea (40 ‰ where the simulated intrusion holds at 33 ‰).

Gaps: hours without readings are simply absent (least squares needs no regular grid); the naive
baseline has no value for an hour whose same hour yesterday had none, and such hours are left
out of both errors, so that the two are always measured on the same hours.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# the constituents' periods, hours
PERIODS_H: dict[str, float] = {
    "M2": 12.4206012,
    "S2": 12.0,
    "N2": 12.65834751,
    "K1": 23.93447213,
    "O1": 25.81934171,
    "M4": 6.210300601,
    "S1": 24.0,  # the sun's daily cycle (heat, evaporation, the day's pumping)
}
HORIZON_H = 48  # how far ahead a forecast goes
WINDOW_H = 28 * 24  # the history a fit reads at most
MIN_HOURS = 3 * 24  # the fewest hourly means a station needs for a forecast
KNOT_H = 24  # the level bends once a day at most
TREND_DAMPING = 0.0  # the share of the last day's slope that goes on beyond the data (see above)
TREND_CAP_H = 24  # and for how long
RIDGE = 1e-3  # the harmonics' penalty, per hourly mean
LEVEL_SMOOTHING = 1e-6  # the level's bends', per hourly mean
Z95 = 1.96
HELD_OUT_DAYS = 7


@dataclass(frozen=True)
class Series:
    """Hourly means: ``hours`` (whole hours since 1970-01-01 UTC, increasing) and ``values``."""

    hours: np.ndarray
    values: np.ndarray

    def before(self, hour: int) -> Series:
        cut = int(np.searchsorted(self.hours, hour))
        return Series(self.hours[:cut], self.values[:cut])

    def __len__(self) -> int:
        return int(self.hours.size)


def hourly_means(
    seconds: Sequence[float] | np.ndarray, values: Sequence[float] | np.ndarray
) -> Series:
    """The mean of the readings in each hour that has any (epoch ``seconds``, any order)."""
    t = np.asarray(seconds, dtype=float)
    v = np.asarray(values, dtype=float)
    keep = np.isfinite(t) & np.isfinite(v)
    hours = np.floor(t[keep] / 3600.0).astype(np.int64)
    found, where = np.unique(hours, return_inverse=True)
    sums = np.bincount(where, weights=v[keep], minlength=found.size)
    counts = np.bincount(where, minlength=found.size)
    return Series(found, sums / np.maximum(counts, 1))


@dataclass(frozen=True)
class Fit:
    origin: int  # the last hour fitted: the level's last knot
    knots: np.ndarray  # the hours of the level's knots, the last one at ``origin``
    coef: np.ndarray  # the level at each knot, then a cosine and a sine per constituent
    sigma: float  # the residuals' standard deviation, in the fitted scale
    log: bool  # fitted on the logarithm of the values
    ceiling: float = math.inf  # what the quantity never passes (salinity: the sea's)


def _harmonics(hours: np.ndarray) -> np.ndarray:
    angle = 2.0 * np.pi * hours.astype(float)[:, None] / np.array(list(PERIODS_H.values()))
    return np.concatenate([np.cos(angle), np.sin(angle)], axis=1)  # phases on absolute time


def _level(hours: np.ndarray, knots: np.ndarray) -> np.ndarray:
    """The piecewise-linear level's basis, a hat function per knot; beyond the last knot the
    last segment's slope goes on, damped (``TREND_DAMPING``) and for ``TREND_CAP_H`` at most."""
    t = hours.astype(float)
    k = knots.astype(float)
    basis = np.zeros((t.size, k.size))
    inside = np.clip(np.searchsorted(k, t, side="right") - 1, 0, k.size - 2)
    left, right = k[inside], k[inside + 1]
    share = (t - left) / (right - left)
    past = t > k[-1]
    share[past] = 1.0 + TREND_DAMPING * np.minimum(t[past] - k[-1], TREND_CAP_H) / KNOT_H
    rows = np.arange(t.size)
    basis[rows, inside] = 1.0 - share
    basis[rows, inside + 1] = share
    return basis


def _design(hours: np.ndarray, knots: np.ndarray) -> np.ndarray:
    return np.concatenate([_level(hours, knots), _harmonics(hours)], axis=1)


def _penalty(levels: int, columns: int, count: int) -> np.ndarray:
    """The normal equations' penalty: ``RIDGE`` on each harmonic; on the level, a faint one on
    its second differences, so that a knot without readings around it (a gap of two days) lies
    on the line between its neighbours rather than anywhere."""
    penalty = np.zeros((columns, columns))
    harmonic = np.arange(levels, columns)
    penalty[harmonic, harmonic] = RIDGE * count
    if levels >= 3:
        bend = np.diff(np.eye(levels), n=2, axis=0)
        penalty[:levels, :levels] = LEVEL_SMOOTHING * count * (bend.T @ bend)
    elif levels:
        penalty[:levels, :levels] = LEVEL_SMOOTHING * count * np.eye(levels)
    return penalty


def fit(series: Series, ceiling: float | None = None) -> Fit:
    """Least squares of the level and the harmonics on the last ``WINDOW_H`` hours of
    ``series`` (at least two hourly means), by its normal equations: a few dozen unknowns, a
    fraction of a millisecond (an SVD of the whole design, ``lstsq``, cost several times more)."""
    if len(series) < 2:
        raise ValueError("a fit needs at least two hourly means")
    origin = int(series.hours[-1])
    keep = series.hours > origin - WINDOW_H
    hours, values = series.hours[keep], series.values[keep]
    log = bool(np.all(values > 0))
    y = np.log(values) if log else values
    count = max(int(np.ceil((origin - int(hours[0])) / KNOT_H)), 1)
    knots = origin - KNOT_H * np.arange(count, -1, -1)
    x = _design(hours, knots)
    # einsum, not ``x.T @ x``: OpenBLAS spreads a product this small over every core, and on a
    # busy server its threads then wait on one another (a hundred times slower)
    gram = np.einsum("ij,ik->jk", x, x)
    coef = np.linalg.solve(gram + _penalty(knots.size, x.shape[1], len(y)), x.T @ y)
    resid = y - x @ coef
    dof = max(len(y) - x.shape[1], 1)
    sigma = float(np.sqrt(np.sum(resid**2) / dof))
    return Fit(origin, knots, coef, sigma, log, math.inf if ceiling is None else ceiling)


def predict(model: Fit, hours: np.ndarray) -> np.ndarray:
    """The fitted scale's values at ``hours`` (the logarithm's, for a ``log`` fit)."""
    return _design(np.asarray(hours, dtype=np.int64), model.knots) @ model.coef


def _values(model: Fit, scaled: np.ndarray) -> np.ndarray:
    """Values from the fitted scale, never above the quantity's ceiling."""
    return np.minimum(np.exp(scaled) if model.log else scaled, model.ceiling)


@dataclass(frozen=True)
class Backtest:
    """The errors at up to 24 hours ahead on the last held-out days."""

    days: int  # held-out days with at least one hour compared
    hours: int  # hours compared
    mae: float | None  # the model's mean absolute error
    naive_mae: float | None  # the same hour yesterday's, on the same hours
    # per horizon 1..24: the mean squared error in the fitted scale (NaN: no hour at it)
    mse_by_horizon: np.ndarray


def _nothing_tested() -> Backtest:
    return Backtest(0, 0, None, None, np.full(24, np.nan))


def backtest(series: Series, days: int = HELD_OUT_DAYS, ceiling: float | None = None) -> Backtest:
    """For each of the last ``days`` days (24-hour blocks ending at the last hour of ``series``),
    fit on the history before the day and forecast it (1 to 24 hours ahead); compare with the
    value of the same hour the day before, known at the same moment. A day whose history is
    shorter than ``MIN_HOURS``, or without an hour that has both a value and its naive value, is
    not counted."""
    if len(series) == 0:
        return _nothing_tested()
    end = int(series.hours[-1]) + 1
    known = dict(zip(series.hours.tolist(), series.values.tolist(), strict=True))
    errors, naive_errors = [], []
    sq_sum, sq_count = np.zeros(24), np.zeros(24)
    counted = 0
    for k in range(days, 0, -1):
        start = end - 24 * k
        history = series.before(start)
        compared = [h for h in range(start, start + 24) if h in known and (h - 24) in known]
        if len(history) < MIN_HOURS or not compared:
            continue
        model = fit(history, ceiling)
        hours = np.array(compared, dtype=np.int64)
        actual = np.array([known[h] for h in compared])
        naive = np.array([known[h - 24] for h in compared])
        scaled = predict(model, hours)
        errors.append(np.abs(_values(model, scaled) - actual))
        naive_errors.append(np.abs(naive - actual))
        actual_scaled = np.log(np.maximum(actual, 1e-12)) if model.log else actual
        np.add.at(sq_sum, hours - start, (scaled - actual_scaled) ** 2)
        np.add.at(sq_count, hours - start, 1)
        counted += 1
    if not counted:
        return _nothing_tested()
    all_errors, all_naive = np.concatenate(errors), np.concatenate(naive_errors)
    with np.errstate(invalid="ignore", divide="ignore"):
        mse = sq_sum / sq_count
    return Backtest(
        counted, int(all_errors.size), float(all_errors.mean()), float(all_naive.mean()), mse
    )


def sigma_by_horizon(model: Fit, tested: Backtest, horizon: int = HORIZON_H) -> np.ndarray:
    """σ at 1..``horizon`` hours ahead: a variance ``a + b·h`` fitted to the held-out errors by
    horizon (``b`` ≥ 0), never below the fit's residual variance."""
    floor = model.sigma**2
    leads = np.arange(1, horizon + 1, dtype=float)
    known = np.isfinite(tested.mse_by_horizon)
    if known.sum() < 2:
        return np.full(horizon, np.sqrt(floor))
    h = np.arange(1, 25, dtype=float)[known]
    mse = tested.mse_by_horizon[known]
    slope, level = np.polyfit(h, mse, 1)
    if slope < 0:  # errors that do not grow: their mean at every horizon
        slope, level = 0.0, float(mse.mean())
    return np.sqrt(np.maximum(level + slope * leads, floor))


@dataclass(frozen=True)
class Forecast:
    points: list[tuple[int, float, float, float]]  # (hour, value, low, high), hourly ahead
    peak_24h: float  # the highest value forecast in the next 24 hours
    mae: float | None
    naive_mae: float | None
    held_out_days: int


def forecast_series(
    series: Series,
    after: int | None = None,
    days: int = HELD_OUT_DAYS,
    ceiling: float | None = None,
) -> Forecast | None:
    """The ``HORIZON_H`` hours after hour ``after`` (default: the last hour of the series),
    their band from the backtest on the last ``days`` days before them; None when the history
    holds fewer than ``MIN_HOURS`` hourly means."""
    if after is None:
        if not len(series):
            return None
        after = int(series.hours[-1])
    start = after + 1
    history = series.before(start)
    if len(history) < MIN_HOURS:
        return None
    model = fit(history, ceiling)
    tested = backtest(history, days, ceiling)
    hours = np.arange(start, start + HORIZON_H, dtype=np.int64)
    scaled = predict(model, hours)
    half = Z95 * sigma_by_horizon(model, tested)
    value, low, high = (_values(model, s) for s in (scaled, scaled - half, scaled + half))
    points = [
        (int(h), float(v), float(lo), float(hi))
        for h, v, lo, hi in zip(hours, value, low, high, strict=True)
    ]
    return Forecast(
        points=points,
        peak_24h=float(value[:24].max()),
        mae=tested.mae,
        naive_mae=tested.naive_mae,
        held_out_days=tested.days,
    )
