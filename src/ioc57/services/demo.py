"""Demo data for the Decision 766 panel, loaded only by ``ioc57 demo``: the simulated province's
procedure catalogue and a year of its dossiers (dữ liệu mô phỏng), so that the index, its trend
and the work list show something before the live feed has sent much.

They are made by the simulator's own generators (``services.simulation``) in the province's
communes and agencies, as the live feed makes them, and come through the gate from the demo's
simulated source ``mo-phong``, the one the live feed writes as. Each month's dossiers are drawn
from a seed of their own and named for their month, and each stands as the system knew it at the
start of today: most are done, the recent ones still open (some overdue). A second run on the
same day changes nothing; a run on a later day moves on the dossiers that were open and adds
those received since.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from ioc57.core.clock import LOCAL_TZ, now
from ioc57.core.periods import Period, parse_period
from ioc57.ingest.gate import Gate
from ioc57.ingest.simulation import Record, World
from ioc57.ingest.sources import as_source, source_principal
from ioc57.modules import Demo
from ioc57.services.index import months_before
from ioc57.services.simulation import Dossiers, ProcedureCatalogue
from ioc57.units.queries import UnitFilter, list_units

PROVINCE = "82"
MONTHS = 12  # the months before the current one that are full of dossiers
PER_MONTH = 2000  # dossiers made in a month, over the province's communes and agencies


class Province:
    """The province's current communes and agencies, as the units API lists them: a world of the
    simulator can be placed in them."""

    def __init__(self, gate: Gate, code: str, today: date) -> None:
        self.code = code
        with gate.engine.connect() as conn:
            self.units = {
                level: list_units(conn, UnitFilter(at=today, level=level, parent=code), 1000, 0)[0]
                for level in ("commune", "agency")
            }

    def world(self, seed: str) -> World:
        """A world in the province whose random generator is seeded with ``seed`` and whose
        record ids carry it; no step is scheduled, each is taken at once."""
        serials = iter(range(1, 10**7))
        world = World(
            self.code,
            random.Random(seed),
            lambda prefix: f"{prefix}-{self.code}-{seed}-{next(serials):06d}",
            lambda _type, _key, _seconds: None,
        )
        world.settle(self.units["commune"], self.units["agency"])
        return world


def months_made(today: date, months: int) -> list[Period]:
    """The months whose dossiers are made: the ``months`` before today's month, the one before
    them (some of its dossiers were received in the first one) and today's and the next month
    (some of their dossiers, received by today, are still open)."""
    next_month = (today.replace(day=28) + timedelta(days=4)).strftime("%Y%m")
    return months_before(parse_period(next_month), months + 3)


def year_of_dossiers(
    province: Province, today: date, first: date, per_month: int, months: int
) -> list[Record]:
    """The dossiers received from ``first`` (at the earliest the first day of the ``months``-th
    month before today's) to the start of today, as they stood then."""
    cutoff = datetime.combine(today, time(), LOCAL_TZ)
    made = months_made(today, months)
    first = max(first, made[1].start)
    out = []
    for month in made:
        world = province.world(f"mp{month.code}")
        dossiers = Dossiers(world)
        start = datetime.combine(month.start, time(), LOCAL_TZ)
        span = datetime.combine(month.end + timedelta(days=1), time(), LOCAL_TZ) - start
        for _ in range(per_month):
            record = dossiers.known_at(start + span * world.rng.random(), cutoff)
            if record and datetime.fromisoformat(record["received_at"]).date() >= first:
                out.append(record)
    return out


def load_simulated_services(
    gate: Gate, today: date, code: str = PROVINCE, per_month: int = PER_MONTH
) -> dict[str, dict[str, Any]]:
    """The province's procedure catalogue, as the live feed sends it, and a year of its dossiers
    through the gate from the demo's simulated source; the gate's answers by record type. The
    dossiers start once the whole catalogue is in force, so that every month shown counts its
    procedures."""
    # imported here: the simulator brings its HTTP client (httpx, a tenth of a second), which
    # every ``ioc57`` process would load with this module's manifest
    from ioc57.ingest.simulator import demo_source

    with gate.engine.begin() as conn:
        row, _token = demo_source(conn, code, today)
        source, principal = as_source(conn, row, today), source_principal(conn, row)
    province = Province(gate, code, today)
    catalogue = ProcedureCatalogue(province.world("catalogue")).start(now())
    in_force = max(date.fromisoformat(r["effective_date"]) for r in catalogue)
    made = {
        "procedure": catalogue,
        "dossier": year_of_dossiers(province, today, in_force, per_month, MONTHS),
    }
    batches = gate.push_each(source, made, principal=principal, actor="ioc57-demo")
    return {record_type: result.answer() for record_type, result in batches.items()}


def load_demo(demo: Demo) -> None:
    answers = load_simulated_services(demo.gate, demo.today)
    dossiers = answers["dossier"]
    demo.echo(
        f"simulated dossiers (dữ liệu mô phỏng): {dossiers['accepted']} through the gate,"
        f" {dossiers['updated']} moved on, {dossiers['unchanged']} already loaded,"
        f" {dossiers.get('rejected_total', len(dossiers['rejected']))} rejected;"
        f" a catalogue of {answers['procedure']['submitted']} procedures"
    )
