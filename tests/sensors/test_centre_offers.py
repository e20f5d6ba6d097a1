"""What the salinity stations offer the operations centre, read through the registry as the centre
reads it: the tile of the highest salinity now with the stations over their threshold, and the
layer of the stations by level — scoped to an officer's commune, updated by the readings pushed."""

from __future__ import annotations

import pytest

from ioc57.centre import registry

from ..support import offers
from ..support.sensors import minutes_ago, reading


@pytest.fixture(scope="module")
def placed(sensors):
    """Stations in two communes (threshold 4 g/l), an officer of the second commune."""
    sensors.api.user("co-officer", "officer", sensors.communes[1])
    for code, commune, lat in (
        ("CO-OVER", 0, 10.31),
        ("CO-WATCH", 0, 10.32),
        ("CO-OK", 1, 10.33),
        ("CO-SILENT", 1, 10.34),
    ):
        sensors.station(code, commune=commune, lat=lat, thresholds={"salinity": 4.0})
    at = minutes_ago(3)
    sensors.push(
        [
            reading("CO-OVER", 5.5, at),
            reading("CO-WATCH", 3.2, at),
            reading("CO-OK", 1.0, at),
            reading("CO-SILENT", 9.0, minutes_ago(3 * 60)),  # three hours ago: no recent data
        ]
    )
    return sensors


def _admin(sensors) -> str:
    return sensors.api.token("admin")


def test_the_layer_shows_each_station_by_its_level(placed):
    layer = offers.layer(placed.api.app, _admin(placed), "sensors.stations")
    assert layer is not None
    points = {p["href"].rsplit("/", 1)[1]: p for p in layer["points"]}
    assert {code: p["level"] for code, p in points.items()} == {
        "CO-OVER": "bad",
        "CO-WATCH": "watch",
        "CO-OK": "ok",
        "CO-SILENT": "none",
    }
    assert points["CO-OVER"]["value"] == 5.5 and points["CO-SILENT"]["value"] is None
    assert (points["CO-OK"]["lat"], points["CO-OK"]["label"]) == (10.33, "Trạm CO-OK")
    assert layer["simulated"] is False and {lvl for lvl, _ in layer["legend"]} == {
        "ok",
        "watch",
        "bad",
        "none",
    }
    offered = registry.offered().layer("sensors.stations")
    assert offered is not None and "ingest.batch:reading" in offered.events


def test_the_tile_gives_the_highest_salinity_and_the_stations_over_after_each_push(placed):
    app, admin = placed.api.app, _admin(placed)
    tile = offers.tile(app, admin, "sensors.salinity")
    assert tile is not None
    # the silent station's 9 g/l is not "now"
    assert tile["value"] == 5.5 and tile["uom"] == "g/l" and tile["status"] == "bad"
    assert tile["href"] == "/sensors/CO-OVER" and tile["station"] == "Trạm CO-OVER"
    assert [(r["label"], r["value"]) for r in tile["rows"]] == [("Trạm CO-OVER", 5.5)]
    placed.push([reading("CO-WATCH", 6.5, minutes_ago(1)), reading("CO-OVER", 4.5, minutes_ago(1))])
    tile = offers.tile(app, admin, "sensors.salinity")
    assert tile is not None and tile["value"] == 6.5
    assert [(r["label"], r["value"]) for r in tile["rows"]] == [
        ("Trạm CO-WATCH", 6.5),
        ("Trạm CO-OVER", 4.5),
    ]
    assert tile["updated_at"] >= minutes_ago(2)
    offered = registry.offered().tile("sensors.salinity")
    assert offered is not None and offered.events == ("ingest.batch:reading",)


def test_an_officer_sees_its_communes_stations_only(placed):
    token = placed.api.tokens["co-officer"]
    layer = offers.layer(placed.api.app, token, "sensors.stations")
    assert layer is not None
    assert sorted(p["label"] for p in layer["points"]) == ["Trạm CO-OK", "Trạm CO-SILENT"]
    tile = offers.tile(placed.api.app, token, "sensors.salinity")
    assert tile is not None and tile["value"] == 1.0 and tile["status"] == "ok"
    assert tile["rows"] == []
