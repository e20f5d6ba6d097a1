"""Stations and readings sent through the gate land in the sensors' tables: a station under its
code, a reading's number once per station, metric and time, the newest one as the station's
latest (marked with its batch); a reading of a station nobody created is rejected naming it."""

from __future__ import annotations

from sqlalchemy import select

from ioc57.ingest.tables import records
from ioc57.sensors.tables import latest, readings, stations
from ioc57.units.tables import units

from ..support.sensors import minutes_ago, reading


def rows(app, query):
    with app.state.engine.connect() as conn:
        return conn.execute(query).all()


def station_id(app, code: str) -> int:
    return rows(app, select(stations.c.id).where(stations.c.code == code))[0].id


def test_a_station_is_stored_under_its_code_and_updated(sensors_app, sensors):
    made = sensors.station("P-1", thresholds={"salinity": 1.2}, place="Sông Tiền")
    assert made["code"] == "P-1" and made["unit"] == sensors.communes[0]
    assert made["thresholds"] == {"salinity": 1.2} and made["metrics"] == ["salinity"]
    again = sensors.station("P-1", commune=1, expect=200, name="Trạm cầu Mỹ Thuận")
    assert again["unit"] == sensors.communes[1] and again["name"] == "Trạm cầu Mỹ Thuận"
    assert len(rows(sensors_app, select(stations.c.id).where(stations.c.code == "P-1"))) == 1
    # its next reading takes the commune it was moved to, and is announced to it
    seen = []
    sensors_app.state.bus.subscribe("ingest.batch", seen.append)
    assert sensors.push([reading("P-1", 0.4, minutes_ago(1))])["accepted"] == 1
    stored = rows(sensors_app, select(records.c.unit_id).where(records.c.record_id.like("P-1:%")))
    moved_to = rows(sensors_app, select(units.c.id).where(units.c.code == sensors.communes[1]))
    assert [r.unit_id for r in stored] == [moved_to[0].id]
    assert moved_to[0].id in seen[-1].units


def test_a_reading_of_an_unknown_station_is_rejected_naming_it(sensors):
    answer = sensors.push([reading("NOWHERE-1", 0.5, minutes_ago(5))])
    assert answer["accepted"] == 0
    assert answer["rejected"][0]["errors"][0]["loc"] == ["station"]


def test_a_reading_takes_its_stations_commune(sensors_app, sensors):
    sensors.station("P-2", commune=2)
    assert sensors.push([reading("P-2", 0.4, minutes_ago(3))])["accepted"] == 1
    stored = rows(sensors_app, select(records.c.data).where(records.c.type == "reading"))
    assert any(f'"unit":"{sensors.communes[2]}"' in r.data.replace(" ", "") for r in stored)


def test_readings_are_stored_once_and_the_newest_is_the_latest(sensors_app, sensors):
    sensors.station("P-3")
    first = sensors.push(
        [reading("P-3", 0.5, minutes_ago(30)), reading("P-3", 0.7, minutes_ago(20))]
    )
    key = station_id(sensors_app, "P-3")
    now_row = rows(sensors_app, select(latest).where(latest.c.station_id == key))
    assert [(r.value, r.batch_id) for r in now_row] == [(0.7, first["batch"])]
    # an older reading arriving late is kept, but is not the latest
    late = sensors.push([reading("P-3", 0.1, minutes_ago(40))])
    assert late["accepted"] == 1
    now_row = rows(sensors_app, select(latest).where(latest.c.station_id == key))
    assert [(r.value, r.batch_id) for r in now_row] == [(0.7, first["batch"])]
    # a newer one is, with its batch
    at = minutes_ago(10)
    newer = sensors.push([reading("P-3", 0.9, at)])
    now_row = rows(sensors_app, select(latest).where(latest.c.station_id == key))
    assert [(r.value, r.batch_id) for r in now_row] == [(0.9, newer["batch"])]
    # a reading sent again with another value replaces its number, never adds one
    assert sensors.push([reading("P-3", 1.1, at)])["updated"] == 1
    query = select(readings.c.value).where(readings.c.station_id == key)
    values = rows(sensors_app, query.order_by(readings.c.observed_at))
    assert [r.value for r in values] == [0.1, 0.5, 0.7, 1.1]
    now_row = rows(sensors_app, select(latest).where(latest.c.station_id == key))
    assert [r.value for r in now_row] == [1.1]
