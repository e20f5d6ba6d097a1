"""A station's chart leaves the hours nobody measured empty, and only those: a station that
reports hourly is not drawn as a row of gaps, and a day's bucket is Việt Nam's day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ioc57.sensors.readings import bucketed, with_gaps

START = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)


def series(every: timedelta, count: int, skip: range = range(0)) -> list[tuple[datetime, float]]:
    return [(START + k * every, 1.0 + k % 3) for k in range(count) if k not in skip]


def nulls(points) -> int:
    return sum(1 for p in points if p[1] is None)


def test_a_hole_of_three_hours_in_quarter_hours_is_one_break():
    rows = series(timedelta(minutes=15), 96, skip=range(40, 52))
    points = with_gaps(bucketed(rows, 0), 0)
    assert nulls(points) == 1 and len(points) == 96 - 12 + 1
    gap = next(i for i, p in enumerate(points) if p[1] is None)
    assert points[gap - 1][0] < points[gap][0] < points[gap + 1][0]  # the break lies in the hole


def test_a_station_that_reports_hourly_is_one_unbroken_line():
    assert nulls(with_gaps(bucketed(series(timedelta(hours=1), 24), 0), 0)) == 0
    # and a missed hour or two is no gap; a missed six hours is
    assert nulls(with_gaps(bucketed(series(timedelta(hours=1), 24, range(5, 7)), 0), 0)) == 0
    assert nulls(with_gaps(bucketed(series(timedelta(hours=1), 24, range(5, 11)), 0), 0)) == 1


def test_hourly_buckets_hold_the_mean_and_the_highest():
    rows = series(timedelta(minutes=15), 8)  # values 1, 2, 3, 1 | 2, 3, 1, 2
    points = bucketed(rows, 3600)
    assert [(round(mean, 3), high) for _at, mean, high in points] == [(1.75, 3.0), (2.0, 3.0)]


def test_a_days_bucket_starts_at_midnight_in_viet_nam():
    # 16:59 and 17:00 UTC fall on two days of Việt Nam (+07:00)
    rows = [
        (datetime(2026, 3, 1, 16, 59, tzinfo=UTC), 1.0),
        (datetime(2026, 3, 1, 17, 0, tzinfo=UTC), 5.0),
    ]
    points = bucketed(rows, 86400)
    assert [p[0] for p in points] == [
        datetime(2026, 2, 28, 17, 0, tzinfo=UTC),
        datetime(2026, 3, 1, 17, 0, tzinfo=UTC),
    ]
