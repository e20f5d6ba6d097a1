"""Demo data for the sensors module, loaded only by ``ioc57 demo`` (dữ liệu mô phỏng): the
simulator's salinity stations of Đồng Tháp, the main crops of their communes, and three weeks of
readings every 15 minutes up to now, with a salt intrusion in the last days.

Everything comes through the gate from a simulated source of its own (``quan-trac-mo-phong``), so
that the rows carry ``simulated``. The readings are made by the simulator's own function
(``simulation.salinity``) with the intrusion the live simulator starts from, so that the readings
it sends after the demo carry on the same curves. To show what the map and the charts do with
them, one station was silent for six hours a week ago (a gap on its chart) and one has been silent
for the last three hours (no data on the map).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from ioc57.core.clock import now
from ioc57.ingest.simulation import Commune
from ioc57.ingest.sources import simulated_source
from ioc57.modules import Demo
from ioc57.sensors import forecasting
from ioc57.sensors.crops import set_crops
from ioc57.sensors.records import READING, STATION
from ioc57.sensors.simulation import (
    Site,
    intrusion_around,
    place_stations,
    reading_record,
    salinity,
)
from ioc57.units.tables import units

SOURCE = "quan-trac-mo-phong"
SOURCE_TITLE = "Dữ liệu mô phỏng (quan trắc độ mặn)"
PROVINCE = "82"
SEED = 57
HISTORY = timedelta(days=21)
EVERY = timedelta(minutes=15)
# the rivers and canals the stations stand on, the saltiest first (simulated stations)
RIVERS = (
    "Cửa Tiểu",
    "Cửa Đại",
    "Sông Cửa Trung",
    "Rạch Gò Công",
    "Sông Tiền",
    "Kênh Chợ Gạo",
    "Sông Tiền (Mỹ Tho)",
    "Sông Tiền (Cái Bè)",
)
# main crops by how salty a commune's water usually is (its station's base, ‰)
CROPS = (
    (5.0, ["coconut"]),
    (1.5, ["coconut", "mango", "jackfruit"]),
    (0.0, ["durian", "pomelo", "rice", "longan"]),
)


def communes(engine: Engine) -> list[Commune]:
    """The province's current communes with a known centre, as the simulator's world holds them."""
    province = units.alias("province")
    query = (
        select(units.c.code, units.c.name, units.c.short_name, units.c.lat, units.c.lon)
        .join(province, province.c.id == units.c.parent_id)
        .where(
            province.c.code == PROVINCE,
            province.c.level == "province",
            province.c.valid_to.is_(None),
            units.c.level == "commune",
            units.c.valid_to.is_(None),
            units.c.lat.is_not(None),
            units.c.lon.is_not(None),
        )
    )
    with engine.connect() as conn:
        return [
            Commune(r.code, r.name, r.short_name or r.name, r.lat, r.lon)
            for r in conn.execute(query)
        ]


def station_records(sites: list[Site]) -> list[dict[str, Any]]:
    records = []
    for site, river in zip(sites, RIVERS, strict=False):
        record = site.record()
        record["name"] = f"Trạm đo mặn {river}"
        record["place"] = f"{river}, {site.commune.name}"
        records.append(record)
    return records


def history(sites: list[Site], end: datetime) -> list[dict[str, Any]]:
    """Readings of every station every 15 minutes for three weeks up to ``end``, with the gaps."""
    rng = random.Random(SEED)
    intrusion = intrusion_around(end)
    start = end - HISTORY
    silent = [
        (sites[-1].code, end - timedelta(days=7), end - timedelta(days=7) + timedelta(hours=6)),
        (sites[3].code, end - timedelta(hours=3), end + EVERY),
    ]
    out = []
    at = start
    while at <= end:
        for site in sites:
            if any(code == site.code and a <= at < b for code, a, b in silent):
                continue
            out.append(reading_record(site, at, salinity(site, at, intrusion, rng.gauss(0, 1))))
        at += EVERY
    return out


def crops_for(base: float) -> list[str]:
    return next(keys for floor, keys in CROPS if base >= floor)


def load_demo(demo: Demo) -> None:
    sites = place_stations(communes(demo.engine))
    if not sites:
        demo.echo("sensors: no communes with a centre in province 82: no stations")
        return
    source, principal = simulated_source(
        demo.engine, SOURCE, SOURCE_TITLE, [STATION.name, READING.name], [PROVINCE], demo.today
    )
    end = now().replace(second=0, microsecond=0)
    end -= timedelta(minutes=end.minute % 15)
    sent = {STATION.name: station_records(sites), READING.name: history(sites, end)}
    batches = demo.gate.push_each(source, sent, principal=principal, actor="ioc57-demo")
    with demo.engine.begin() as conn:
        ids = dict(
            conn.execute(
                select(units.c.code, units.c.id).where(
                    units.c.code.in_([s.commune.code for s in sites]), units.c.valid_to.is_(None)
                )
            ).all()
        )
        for site in sites:
            keys = crops_for(site.base)
            set_crops(conn, ids[site.commune.code], PROVINCE, keys, simulated=True)
    made = forecasting.refresh(demo.engine)  # the pages show them at once (and ``serve`` hourly)
    readings = batches[READING.name].answer()
    rejected = sum(len(b.answer()["rejected"]) for b in batches.values())
    demo.echo(
        f"sensors (dữ liệu mô phỏng): {len(sites)} salinity stations in Đồng Tháp, the main crops"
        f" of their communes, {readings['accepted']} readings every 15 minutes over 21 days up to"
        f" {end:%d/%m/%Y %H:%M} UTC with a salt intrusion in the last days; {rejected} rejected;"
        f" the next 48 hours forecast for {len(made)} stations"
    )
