"""Simulated sensor readings (dữ liệu mô phỏng), for ``ioc57 simulate`` and the demo.

Salinity (‰) at stations in the communes nearest the sea, with the season and the tide's cycles.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from ioc57.ingest.simulation import Commune, Generator, Record, World, iso

M2_H = 12.42  # the principal semi-diurnal tide, hours
K1_H = 23.93  # the principal diurnal tide, hours


@dataclass(frozen=True)
class Station:
    code: str
    commune: Commune
    base: float  # mean salinity, ‰
    phase: float


class SalinityReadings(Generator):
    """Readings of the stations in turn; a reading is sent once, never followed."""

    record_type = "reading"
    weight = 3

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.stations = self.place_stations()
        self.turn = 0  # the station whose reading is next
        self.last: datetime | None = None  # the time of the last reading made

    def place_stations(self) -> list[Station]:
        """Stations in the communes nearest the sea (the delta's coast faces east)."""
        by_lon = sorted(self.world.communes, key=lambda c: -c.lon)
        chosen = by_lon[:6] + by_lon[12:13] + by_lon[24:25]
        coast = by_lon[0].lon
        stations = []
        for commune in chosen:
            base = 0.4 + 11.0 * math.exp(-(coast - commune.lon) / 0.12)
            phase = self.rng.uniform(0, 2 * math.pi)
            stations.append(Station(f"MAN-{commune.code}", commune, round(base, 2), phase))
        return stations

    def new(self, at: datetime) -> Record:
        station = self.stations[self.turn % len(self.stations)]
        self.turn += 1
        # a reading's id holds its time: each is at least a millisecond after the one before, so
        # that readings made at one time, or by batches made less than a batch's readings apart
        # in milliseconds, never name one another's
        if self.last is not None and at <= self.last:
            at = self.last + timedelta(milliseconds=1)
        self.last = at
        return self.reading(station, at)

    def reading(self, station: Station, at: datetime) -> Record:
        hours = at.timestamp() / 3600
        day_of_year = at.timetuple().tm_yday
        season = 1 + 0.5 * math.cos(2 * math.pi * (day_of_year - 75) / 365)  # highest in March
        tide = (
            1
            + 0.35 * math.sin(2 * math.pi * hours / M2_H + station.phase)
            + 0.15 * math.sin(2 * math.pi * hours / K1_H + station.phase / 2)
        )
        value = station.base * season * tide + self.rng.gauss(0, 0.03 * station.base)
        observed = iso(at)
        return {
            "id": f"{station.code}:salinity:{observed}",
            "station": station.code,
            "metric": "salinity",
            "value": round(max(value, 0.05), 2),
            "uom": "ppt",
            "observed_at": observed,
            "updated_at": observed,
        }
