"""The forecast's model on simulated series (tidal + noise, with gaps): it beats the naive
baseline (the same hour yesterday) on held-out days, its band holds, the backtest counts the days
it could test, and it is fast. Pure numpy: no database."""

from __future__ import annotations

import time

import numpy as np

from ioc57.sensors import forecast

from .tidal import END, tidal_readings


def series(seed: int, **kwargs) -> forecast.Series:
    return forecast.hourly_means(*tidal_readings(seed, **kwargs))


def test_hourly_means_average_each_hour_and_skip_hours_without_readings():
    found = forecast.hourly_means([0, 1800, 3599, 7200, 7300, 9000], [1, 2, 3, 5, float("nan"), 7])
    assert found.hours.tolist() == [0, 2]
    assert found.values.tolist() == [2.0, 6.0]


def test_the_forecast_beats_the_same_hour_yesterday_on_held_out_days():
    steady = [forecast.backtest(series(seed)) for seed in range(3)]
    assert all(t.days == forecast.HELD_OUT_DAYS and t.hours > 150 for t in steady)
    assert all(t.mae < 0.4 * t.naive_mae for t in steady), [(t.mae, t.naive_mae) for t in steady]
    # an intrusion: the level triples over two days; the forecast follows it faster than yesterday
    rising = [forecast.backtest(series(seed, intrusion=True)) for seed in range(3)]
    assert all(t.mae < 0.7 * t.naive_mae for t in rising), [(t.mae, t.naive_mae) for t in rising]


def test_the_backtest_counts_only_the_days_it_could_test():
    # 21 days, the last 2 without a reading: 5 held-out days with values; of the 7 days asked for
    seconds, values = tidal_readings(1, outage_h=(19 * 24, 19 * 24 + 47))
    keep = [i for i, s in enumerate(seconds) if s < END - 49 * 3600 or s >= END - 3600]
    tested = forecast.backtest(
        forecast.hourly_means([seconds[i] for i in keep], [values[i] for i in keep])
    )
    # the last two days: one with no reading, one whose only hour has no value the day before
    assert tested.days == forecast.HELD_OUT_DAYS - 2
    # a history too short for any held-out day (3 days of fit needed before the first one)
    short = series(2, days=4)
    assert forecast.backtest(short).days == 1
    assert forecast.backtest(series(2, days=3)).days == 0
    assert forecast.backtest(series(2, days=3)).mae is None


def test_the_band_holds_the_days_that_followed_and_widens_ahead():
    inside, total = 0, 0
    for seed in range(4):
        full = series(seed, days=24, intrusion=seed % 2 == 1)
        cut = int(full.hours[-1]) - 48  # forecast the last two days from what came before
        made = forecast.forecast_series(full, after=cut)
        assert made is not None and len(made.points) == forecast.HORIZON_H
        actual = dict(zip(full.hours.tolist(), full.values.tolist(), strict=True))
        for hour, _value, low, high in made.points:
            if hour in actual:
                total += 1
                inside += low <= actual[hour] <= high
        widths = [high - low for _, value, low, high in made.points]
        assert widths[-1] >= widths[0]
    assert total > 150 and inside / total >= 0.9, (inside, total)


def test_the_peak_is_the_highest_value_of_the_next_day_and_follows_the_tide():
    made = forecast.forecast_series(series(5))
    assert made is not None and made.held_out_days == forecast.HELD_OUT_DAYS
    values = [value for _, value, _, _ in made.points]
    assert made.peak_24h == max(values[:24])
    assert made.points[0][0] == int(series(5).hours[-1]) + 1
    assert max(values[:24]) > 1.3 * min(values[:24])  # the tide's swing, not a flat line
    assert all(low <= value <= high for _, value, low, high in made.points)


def test_too_little_history_makes_no_forecast_and_a_series_below_zero_is_fitted_as_it_is():
    assert forecast.forecast_series(series(1, days=2)) is None
    assert (
        forecast.forecast_series(forecast.Series(np.array([], dtype=np.int64), np.array([])))
        is None
    )
    seconds, values = tidal_readings(3, days=10)
    made = forecast.forecast_series(forecast.hourly_means(seconds, [v - 3.0 for v in values]))
    assert made is not None and made.mae is not None and made.mae < made.naive_mae
    assert min(low for _, _, low, _ in made.points) < 0  # a temperature may go below zero


def test_a_station_is_forecast_in_milliseconds():
    history = series(7, days=35)
    forecast.forecast_series(history)  # numpy warmed up
    started = time.perf_counter()
    for _ in range(10):
        forecast.forecast_series(history)
    assert (time.perf_counter() - started) / 10 < 0.05  # a fit and its 7-day backtest


def test_no_forecast_passes_the_ceiling_of_its_quantity():
    # salinity at the sea's (33 ‰ here) at high tide: the tide's swing over a level this high
    # would forecast 40 ‰ and more
    seconds, values = tidal_readings(9, base=28.0)
    salty = forecast.hourly_means(seconds, [min(v, 33.0) for v in values])
    free = forecast.forecast_series(salty)
    capped = forecast.forecast_series(salty, ceiling=35.0)
    assert free is not None and capped is not None
    assert max(high for *_, high in free.points) > 35.0
    assert max(high for *_, high in capped.points) <= 35.0 and capped.peak_24h <= 35.0
    assert forecast.backtest(salty, ceiling=35.0).mae <= forecast.backtest(salty).mae
