"""The simulated salinity (dữ liệu mô phỏng): the tides' rhythm, and a dry-season intrusion that
ramps the coast up several-fold and reaches the stations inland later and less; the same in every
run, never saltier than the sea."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ioc57.ingest.simulation import Commune
from ioc57.sensors.simulation import SEA, Intrusion, intrusion_around, place_stations, salinity

START = datetime(2026, 3, 1, tzinfo=UTC)
COMMUNES = [Commune(f"{n:05d}", f"Xã {n}", f"{n}", 10.3, 106.0 + n / 100) for n in range(30)]


def test_the_intrusion_ramps_up_holds_and_falls_back():
    event = Intrusion(start=START, peak=4.0)
    days = [event.factor(START + timedelta(days=d)) for d in (-1, 0.75, 1.5, 3, 5, 5.5, 7)]
    assert days[0] == days[-1] == 1.0  # outside the event
    assert 1 < days[1] < days[2] == days[3] == 4.0  # up, then held at its peak
    assert days[3] > days[4] > days[5] >= 1.0  # and down
    # a station far inland is reached later, and less
    assert event.factor(START + timedelta(days=2), upstream=1.0) == 1.0
    assert event.factor(START + timedelta(days=5), upstream=1.0) == 2.5


def test_the_tide_and_the_intrusion_show_in_the_readings_and_every_run_is_the_same():
    sites = place_stations(COMMUNES)
    assert [s.code for s in sites] == [s.code for s in place_stations(list(reversed(COMMUNES)))]
    coast = sites[0]
    assert coast.upstream == 0.0 and sites[-1].upstream > 0.8
    quiet = [salinity(coast, START + timedelta(hours=h), None, 0) for h in range(25)]
    assert max(quiet) > 1.5 * min(quiet)  # high and low tide
    event = intrusion_around(START + timedelta(days=3))
    during = [salinity(coast, START + timedelta(days=3, hours=h), event, 0) for h in range(25)]
    assert 0.95 * SEA < max(during) < SEA  # the coast at its peak nears the sea, never passes it
    inland = sites[-1]
    usual = [salinity(inland, START + timedelta(hours=h), None, 0) for h in range(25)]
    later = [salinity(inland, START + timedelta(days=6, hours=h), event, 0) for h in range(25)]
    assert sum(later) > 2 * sum(usual)  # reached days later, and less than the coast
