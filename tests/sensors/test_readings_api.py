"""``GET /api/v1/stations/{code}/readings``: raw readings with a null point where the station was
silent, bucket means with a long silence null (nothing interpolated), times with their offset, the
thresholds the chart draws, and bad parameters refused naming the field."""

from __future__ import annotations

from datetime import datetime, timedelta

from ioc57.core.clock import LOCAL_TZ

from ..support.sensors import reading

DAY = datetime(2026, 3, 2, tzinfo=LOCAL_TZ)


def test_raw_readings_break_where_the_station_was_silent(sensors):
    sensors.station("R-1", thresholds={"salinity": 2.0})
    times = [DAY + timedelta(minutes=15 * i) for i in range(8)]
    times += [DAY + timedelta(hours=6, minutes=15 * i) for i in range(4)]  # after a silence
    sensors.push([reading("R-1", 1.0 + i / 10, at) for i, at in enumerate(times)])
    got = sensors.get(
        "/api/v1/stations/R-1/readings",
        **{"from": DAY.isoformat(), "to": (DAY + timedelta(days=1)).isoformat()},
    )
    values = [v for _, v in got["points"]]
    assert len(values) == 13 and values.count(None) == 1 and values[8] is None
    assert got["points"][0][0] == "2026-03-02T00:00:00+07:00"
    assert got["thresholds"]["station"] == 2.0 and got["thresholds"]["effective"] == 2.0
    assert got["metric"] == "salinity" and got["uom"] == "‰"


def test_buckets_hold_the_means_and_a_long_silence_breaks_the_line(sensors):
    sensors.station("R-2")
    sensors.push(
        [
            reading("R-2", 1.0, DAY + timedelta(minutes=10)),
            reading("R-2", 2.0, DAY + timedelta(minutes=40)),
            reading("R-2", 3.0, DAY + timedelta(hours=1, minutes=5)),
            reading("R-2", 4.0, DAY + timedelta(hours=3, minutes=5)),  # an empty hour: no gap
            reading("R-2", 5.0, DAY + timedelta(hours=4, minutes=5)),
            reading("R-2", 6.0, DAY + timedelta(hours=10, minutes=5)),  # six silent hours: a gap
        ]
    )
    got = sensors.get(
        "/api/v1/stations/R-2/readings",
        every="1h",
        **{"from": DAY.isoformat(), "to": (DAY + timedelta(hours=12)).isoformat()},
    )
    assert got["every"] == 3600
    assert got["points"] == [
        ["2026-03-02T00:00:00+07:00", 1.5],
        ["2026-03-02T01:00:00+07:00", 3.0],
        ["2026-03-02T03:00:00+07:00", 4.0],
        ["2026-03-02T04:00:00+07:00", 5.0],
        ["2026-03-02T07:00:00+07:00", None],
        ["2026-03-02T10:00:00+07:00", 6.0],
    ]
    daily = sensors.get(
        "/api/v1/stations/R-2/readings",
        every="1d",
        **{"from": DAY.isoformat(), "to": (DAY + timedelta(days=2)).isoformat()},
    )
    assert daily["points"] == [["2026-03-02T00:00:00+07:00", 3.5]]  # an empty day is no point


def test_bad_parameters_are_refused_naming_the_field(sensors):
    sensors.station("R-3")
    path = "/api/v1/stations/R-3/readings"
    for params, field in (
        ({"every": "fortnight"}, "every"),
        ({"every": "10s"}, "every"),
        ({"from": "yesterday"}, "from"),
        ({"from": "2026-03-02T00:00:00+07:00", "to": "2026-03-01T00:00:00+07:00"}, "from"),
        ({"from": "2020-01-01T00:00:00+07:00", "to": "2026-01-01T00:00:00+07:00"}, "from"),
        ({"metric": "Salt!"}, "metric"),
        ({"to": "9999-01-01T00:00:00"}, "to"),
    ):
        got = sensors.get(path, expect=422, **params)
        assert got["errors"][0]["loc"] == [field], (params, got)
    sensors.get("/api/v1/stations/NO-SUCH/readings", expect=404)
