"""Simulated stations and readings (dữ liệu mô phỏng), for ``ioc57 simulate`` and the demo.

Salinity (‰) at stations in the communes nearest the sea, with the season, the tide's cycles and a
dry-season intrusion: for a few days the salt wedge pushes up the rivers, and every station's
salinity ramps up to several times its usual level, holds, and falls back. The same function
(``salinity``) makes the live readings and the demo's history, so that the two join up.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from ioc57.ingest.simulation import Commune, Generator, Record, World, iso

M2_H = 12.42  # the principal semi-diurnal tide, hours
K1_H = 23.93  # the principal diurnal tide, hours
SEA = 33.0  # ‰: the East Sea's salinity, which no river station passes


@dataclass(frozen=True)
class Site:
    code: str
    commune: Commune
    base: float  # mean salinity, ‰
    phase: float  # of its tide, radians (from its code: the same in every run)
    upstream: float = 0.0  # how far up from the sea, 0 (the coast) to 1 (far inland)

    def record(self) -> Record:
        """The station's record, as the gate takes it."""
        return {
            "id": self.code,
            "code": self.code,
            "name": f"Trạm đo mặn {self.commune.short}",
            "place": f"{self.commune.name}, cửa sông (mô phỏng)",
            "unit": self.commune.code,
            "lat": round(self.commune.lat, 5),
            "lon": round(self.commune.lon, 5),
            "metrics": ["salinity"],
        }


def place_stations(communes: list[Commune]) -> list[Site]:
    """Stations in the communes nearest the sea (the delta's coast faces east), the saltiest
    first; the same communes, codes and tides in every run."""
    by_lon = sorted(communes, key=lambda c: (-c.lon, c.code))
    if not by_lon:
        return []
    chosen = by_lon[:6] + by_lon[12:13] + by_lon[24:25]
    coast = by_lon[0].lon
    sites = []
    for commune in chosen:
        nearness = math.exp(-(coast - commune.lon) / 0.12)  # 1 on the coast
        base = 0.4 + 11.0 * nearness
        phase = (zlib.crc32(commune.code.encode()) % 6283) / 1000
        code = f"MAN-{commune.code}"
        sites.append(Site(code, commune, round(base, 2), phase, round(1 - nearness, 3)))
    return sites


@dataclass(frozen=True)
class Intrusion:
    """A salt intrusion event: from ``start``, the level at the coast ramps up over ``ramp``,
    holds at ``peak`` times the usual for ``hold``, and ramps down over ``ramp``. The salt front
    travels up the rivers: a station far inland is reached up to ``travel`` later, and less."""

    start: datetime
    peak: float = 4.0
    ramp: timedelta = timedelta(days=1.5)
    hold: timedelta = timedelta(days=3)
    travel: timedelta = timedelta(days=3)

    def factor(self, at: datetime, upstream: float = 0.0) -> float:
        """How many times its usual salinity a station ``upstream`` (0 the coast, 1 far inland)
        reads at ``at`` (1 outside the event)."""
        peak = 1 + (self.peak - 1) * (1 - 0.5 * upstream)
        t = (at - self.start - upstream * self.travel) / self.ramp
        hold = self.hold / self.ramp
        if t <= 0 or t >= 2 + hold:
            return 1.0
        rise = min(t, 1.0, 2 + hold - t)  # up, flat, down
        shape = (1 - math.cos(math.pi * rise)) / 2  # smooth at both ends
        return 1 + (peak - 1) * shape


INTRUSION_LEAD = timedelta(hours=60)


def intrusion_around(at: datetime) -> Intrusion:
    """The run's intrusion: begun two and a half days before ``at`` (the run's first reading, or
    the demo's last), so that it is near its peak as the run starts; the same in every run, so
    that the live readings carry on the demo's curves."""
    return Intrusion(start=at - INTRUSION_LEAD)


def salinity(site: Site, at: datetime, intrusion: Intrusion | None, noise: float) -> float:
    """The salinity (‰) of ``site`` at ``at``: its base, the season (highest in March), the tides,
    the intrusion and ``noise`` (a standard normal draw); never saltier than the sea: a level near
    the sea's bends towards it (a tidal curve, not a flat line clipped at 33 ‰)."""
    hours = at.timestamp() / 3600
    day_of_year = at.timetuple().tm_yday
    season = 1 + 0.5 * math.cos(2 * math.pi * (day_of_year - 75) / 365)
    tide = (
        1
        + 0.35 * math.sin(2 * math.pi * hours / M2_H + site.phase)
        + 0.15 * math.sin(2 * math.pi * hours / K1_H + site.phase / 2)
    )
    event = intrusion.factor(at, site.upstream) if intrusion is not None else 1.0
    value = site.base * season * tide * event + noise * 0.03 * site.base
    return round(max(SEA * math.tanh(value / SEA), 0.05), 2)


def reading_record(site: Site, at: datetime, value: float) -> Record:
    observed = iso(at)
    return {
        "id": f"{site.code}:salinity:{observed}",
        "station": site.code,
        "metric": "salinity",
        "value": value,
        "uom": "ppt",
        "observed_at": observed,
        "updated_at": observed,
    }


class SalinityStations(Generator):
    """The stations, sent once at the start (their readings need them)."""

    record_type = "station"
    weight = 0

    def start(self, at: datetime) -> list[Record]:
        return [site.record() for site in place_stations(self.world.communes)]


class SalinityReadings(Generator):
    """Readings of the stations in turn; a reading is sent once, never followed."""

    record_type = "reading"
    weight = 3

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.stations = place_stations(self.world.communes)
        self.turn = 0  # the station whose reading is next
        self.last: datetime | None = None  # the time of the last reading made
        self.intrusion: Intrusion | None = None  # placed around the first reading

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

    def reading(self, station: Site, at: datetime) -> Record:
        if self.intrusion is None:
            self.intrusion = intrusion_around(at)
        value = salinity(station, at, self.intrusion, self.rng.gauss(0, 1))
        return reading_record(station, at, value)
