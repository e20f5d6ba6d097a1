"""The figure ``sensors.reading``: a sample per station with its latest value, its commune, and
its effective threshold (its own, else the strictest crop of its commune, else none); with a
batch, only the stations that batch changed."""

from __future__ import annotations

from sqlalchemy import select

from ioc57.core import figures
from ioc57.sensors.crops import set_crops
from ioc57.units.tables import units

from ..support.sensors import minutes_ago, reading


def samples(app, batch=None, **params):
    with app.state.engine.connect() as conn:
        found = figures.samples(conn, "sensors.reading", params, batch)
    return {s.labels["station"]: s for s in found if s.labels["station"].startswith("F-")}


def crops(app, commune: str, keys: list[str]) -> None:
    with app.state.engine.begin() as conn:
        unit = conn.execute(
            select(units.c.id, units.c.province_code).where(units.c.code == commune)
        ).first()
        set_crops(conn, unit.id, unit.province_code, keys, simulated=False)


def test_each_station_is_a_sample_held_to_its_effective_threshold(sensors_app, sensors):
    sensors.station("F-OWN", commune=0, thresholds={"salinity": 2.5})
    sensors.station("F-CROP", commune=1)
    sensors.station("F-NONE", commune=2)
    sensors.station("F-QUIET", commune=1)
    crops(sensors_app, sensors.communes[1], ["rice", "durian", "coconut"])
    at = minutes_ago(5)
    sensors.push([reading(code, 1.4, at) for code in ("F-OWN", "F-CROP", "F-NONE")])
    got = samples(sensors_app)
    assert {k: s.threshold for k, s in got.items()} == {
        "F-OWN": 2.5,  # its own, over its commune's crops
        "F-CROP": 1.0,  # durian's, the strictest of rice, durian and coconut
        "F-NONE": None,
        "F-QUIET": 1.0,
    }
    crop = got["F-CROP"]
    assert crop.value == 1.4 and crop.labels == {
        "station": "F-CROP",
        "metric": "salinity",
        "commune": sensors.communes[1],
    }
    assert abs((crop.at - at).total_seconds()) < 1 and crop.unit_id is not None
    # a station that never reported: no value, observed "at" its creation
    assert got["F-QUIET"].value is None and got["F-QUIET"].at is not None


def test_a_batch_gives_only_the_stations_it_changed(sensors_app, sensors):
    sensors.station("F-B1")
    sensors.station("F-B2")
    first = sensors.push(
        [reading("F-B1", 0.3, minutes_ago(4)), reading("F-B2", 0.3, minutes_ago(4))]
    )
    second = sensors.push([reading("F-B2", 0.6, minutes_ago(2))])
    assert set(samples(sensors_app, first["batch"])) == {"F-B1"}
    assert set(samples(sensors_app, second["batch"])) == {"F-B2"}
    assert samples(sensors_app, second["batch"])["F-B2"].value == 0.6


def test_another_metric_has_its_own_samples(sensors_app, sensors):
    sensors.station("F-LEVEL", metrics=["salinity", "water_level"], thresholds={"water_level": 1.8})
    sensors.push([reading("F-LEVEL", 1.9, minutes_ago(1), metric="water_level")])
    got = samples(sensors_app, metric="water_level")
    assert set(got) == {"F-LEVEL"}
    assert (got["F-LEVEL"].value, got["F-LEVEL"].threshold) == (1.9, 1.8)
