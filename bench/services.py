"""The Decision 766 index at scale, against the same index computed by one SQL query.

Goal (issue 10): with 10,000,000 dossiers across one province's communes and agencies over two
years, the province's index for a month in ≤ 100 ms and ≥ 50× faster than the same index computed
by one SQL query over the dossier table; the ranking of all its communes in ≤ 500 ms; the work
list's first page in ≤ 100 ms; one dossier's status change visible in the next index read.

What it does, in one run:

1. A fresh database (``ioc57 init``: the schema and the real units; a SQLite file, or with
   ``--backend postgresql`` a throw-away server as the tests start one), six agencies (sở) of
   province 82, and a catalogue of 100 procedures of the province (70 commune-level, 30
   province-level each handled by an agency, in force from the merger on 2025-07-01 or later, a
   few changed since) sent through the gate as ``procedure`` records.
2. ``--dossiers`` dossiers over two years (December 2024 to November 2026), generated with a
   seed: received at the communes of the day (Tiền Giang's 164 before 2025-07-01, the merged Đồng
   Tháp's 102 since) for commune-level procedures, at the province with the procedure's agency for
   province-level ones; online as the procedure allows, due after its statutory days, finished
   with a long tail (some late, some still in hand, returned or cancelled), supplements,
   suspensions and the 766 flags. They are bulk-loaded into a typed table ``bench_dossiers`` (the
   baseline's dossier table: ``executemany`` on SQLite, ``COPY`` on PostgreSQL; indexed by
   received and finished day), and the ``rollups`` the gate keeps for them are computed with
   ``INSERT … SELECT … GROUP BY``: cells per unit and agency, then summed into each unit's
   ancestors (``ingest.rollups.targets``) and each agency.
3. ``sample_check``: the first ``--sample`` dossiers of the same generator go through the real gate
   (``Gate.ingest``) into a fresh database; their ``dossier.*`` rollups must equal, row for row,
   what the bulk SQL computes for the same dossiers.
4. Timings, warm, over ``--runs`` calls each (p50, p95, max; the goals are judged on p95):
   ``target`` + ``index_of`` of the province for ``--month``; the baseline — one SELECT over
   ``bench_dossiers`` and the catalogue that yields every count of the index, then the same
   scoring — whose numerators and denominators must equal the index's; ``target`` + ``ranking``
   of the province's communes; the work list when its module exists; and one dossier (loaded in
   bulk, its first version sent through the gate) finished through ``Gate.ingest``, then the
   next index read, which must count it.

Prints one JSON object on stdout; progress on stderr. At the default size (10 M dossiers) the load
takes a long time on a 2-core machine: see ``load`` in the output.

Usage: .venv/bin/python bench/services.py [--dossiers 10000000] [--runs 20] [--month 202611]
       [--backend sqlite|postgresql] [--database-url URL] [--sample 2000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import random
import shutil
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import orjson
from common import Databases, analyze, goal, insert_rows, log, ms, timed
from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Float,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    bindparam,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine

from ioc57.core.access import LOCAL_ADMIN
from ioc57.core.clock import LOCAL_TZ, today
from ioc57.core.db import make_engine
from ioc57.core.events import EventBus
from ioc57.core.workdays import add_working_days, working_days_between
from ioc57.ingest.gate import Gate
from ioc57.ingest.rollups import read_rollups, targets
from ioc57.ingest.sources import as_source, get_row
from ioc57.ingest.tables import records, rollups, sources
from ioc57.ingest.unitcache import UnitCache
from ioc57.services.dossier import FINISHED_FLAGS, RECEIVED_FLAGS, effective_due
from ioc57.services.index import index_of, parse_window, ranking, target
from ioc57.services.procedure import change_on_time, published_on_time
from ioc57.services.scoring import Counts, index
from ioc57.services.tables import open_dossiers
from ioc57.services.worklist import worklist
from ioc57.units.agencies import create_agency
from ioc57.units.queries import unit_at
from ioc57.units.tables import units

SEED = 57
SOURCE = "bench766"
PROVINCE = "82"
FIRST_DAY = date(2024, 12, 1)
DAYS = 730  # to 2026-11-30
SWITCH = date(2025, 7, 1)  # the merger: Tiền Giang's communes before, Đồng Tháp's since
LOCAL = timedelta(hours=7)  # Asia/Ho_Chi_Minh has kept UTC+7 since 1975
LAST = int(datetime(2026, 12, 1, tzinfo=LOCAL_TZ).timestamp())  # nothing finishes after this
LATEST = date(2026, 11, 30)  # nor is a procedure changed
CHUNK = 100_000
AGENCIES = [
    ("82.STP", "Sở Tư pháp"),
    ("82.SXD", "Sở Xây dựng"),
    ("82.SNNMT", "Sở Nông nghiệp và Môi trường"),
    ("82.STC", "Sở Tài chính"),
    ("82.SYT", "Sở Y tế"),
    ("82.SCT", "Sở Công Thương"),
]
FLAGS = (*RECEIVED_FLAGS, *FINISHED_FLAGS)
COLUMNS = (
    "id",
    "procedure",
    "unit_id",
    "agency_id",
    "province_code",
    "channel",
    "received_at",
    "received_day",
    "due_at",
    "finished_at",
    "finished_day",
    "status",
    "suspended_days",
    "supplement_requests",
    "on_time",
    "working_days",
    *FLAGS,
)
IN_HAND = ("processing", "processing", "supplement", "suspended", "received")

bench = MetaData()
Id = BigInteger().with_variant(Integer, "sqlite")
dossiers_table = Table(
    "bench_dossiers",
    bench,
    Column("id", Id, primary_key=True, autoincrement=False),
    Column("procedure", String(40), nullable=False),
    Column("unit_id", Integer, nullable=False),
    Column("agency_id", Integer),
    Column("province_code", String(4), nullable=False),
    Column("channel", String(10), nullable=False),
    Column("received_at", BigInteger, nullable=False),  # seconds since 1970, UTC
    Column("received_day", Date, nullable=False),  # in Việt Nam
    Column("due_at", BigInteger, nullable=False),
    Column("finished_at", BigInteger),
    Column("finished_day", Date),
    Column("status", String(12), nullable=False),
    Column("suspended_days", SmallInteger, nullable=False),
    Column("supplement_requests", SmallInteger, nullable=False),
    Column("on_time", SmallInteger),  # finished dossiers: 1 on time (with suspensions), 0 late
    Column("working_days", Integer),  # finished dossiers: working days from receipt
    *(Column(flag, SmallInteger, nullable=False) for flag in FLAGS),
)
procedures_table = Table(
    "bench_procedures",
    bench,
    Column("code", String(40), primary_key=True),
    Column("level", String(10), nullable=False),
    Column("online", String(10), nullable=False),
    Column("fee", SmallInteger, nullable=False),
    Column("payment_online", SmallInteger, nullable=False),
    Column("population_db", SmallInteger, nullable=False),
    Column("full_content", SmallInteger, nullable=False),
    Column("published_on_time", SmallInteger, nullable=False),
    Column("effective_date", Date, nullable=False),
)
changes_table = Table(
    "bench_procedure_changes",
    bench,
    Column("code", String(40), nullable=False),
    Column("changed_date", Date, nullable=False),
    Column("on_time", SmallInteger, nullable=False),
)
chain_table = Table(
    "bench_chain",  # the units a dossier of a unit counts in (its unit and the ancestors)
    bench,
    Column("unit_id", Integer, nullable=False),
    Column("target_id", Integer, nullable=False),
)
cells_table = Table(
    "bench_cells",  # rollup cells of the dossiers' own unit and agency, before the ancestors
    bench,
    Column("metric", String(80), nullable=False),
    Column("unit_id", Integer, nullable=False),
    Column("agency_id", Integer),
    Column("day", Date, nullable=False),
    Column("dims", String(300), nullable=False),
    Column("province_code", String(4), nullable=False),
    Column("n", BigInteger, nullable=False),
    Column("total", Float, nullable=False),
)
received_table = Table(
    "bench_received",  # received dossiers per unit, agency, day and channel, with their flags
    bench,
    Column("unit_id", Integer, nullable=False),
    Column("agency_id", Integer),
    Column("day", Date, nullable=False),
    Column("channel", String(10), nullable=False),
    Column("province_code", String(4), nullable=False),
    Column("n", BigInteger, nullable=False),
    *(Column(flag, BigInteger, nullable=False) for flag in RECEIVED_FLAGS),
)
finished_table = Table(
    "bench_finished",  # finished dossiers per unit, agency, day and timeliness, with their flags
    bench,
    Column("unit_id", Integer, nullable=False),
    Column("agency_id", Integer),
    Column("day", Date, nullable=False),
    Column("on_time", SmallInteger, nullable=False),
    Column("province_code", String(4), nullable=False),
    Column("n", BigInteger, nullable=False),
    Column("working_days", BigInteger, nullable=False),
    *(Column(flag, BigInteger, nullable=False) for flag in FINISHED_FLAGS),
)


# -- the province: agencies, units, procedures ------------------------------------------------


def add_agencies(conn: Connection) -> None:
    """The province's agencies, in the template (``ioc57 agency add`` does the same)."""
    province = unit_at(conn, PROVINCE, today())
    for code, name in AGENCIES:
        create_agency(
            conn, actor="bench", parent=province, code=code, name=name, type="sở", today=today()
        )


class World:
    """The units the dossiers are received at, with weights, and the gate's view of them."""

    def __init__(self, engine: Engine) -> None:
        with engine.connect() as conn:
            rows = conn.execute(
                select(units.c.id, units.c.code, units.c.level, units.c.valid_from)
                .where(units.c.province_code == PROVINCE)
                .order_by(units.c.code, units.c.id)
            ).all()
            self.old = unit_at(conn, PROVINCE, SWITCH - timedelta(days=1)).id
            self.new = unit_at(conn, PROVINCE, SWITCH).id
        self.codes = {r.id: r.code for r in rows}
        self.agencies = {r.code: r.id for r in rows if r.level == "agency"}
        rng = random.Random(SEED)
        communes = [r for r in rows if r.level == "commune"]
        self.before = _weighted([r.id for r in communes if r.valid_from is None], rng)
        self.since = _weighted([r.id for r in communes if r.valid_from == SWITCH], rng)
        cache = UnitCache(engine)
        used = [*self.before[0], *self.since[0], self.old, self.new]
        self.chain = [(u, t) for u in used for t in targets(cache, u, None)]


def _weighted(ids: list[int], rng: random.Random) -> tuple[list[int], list[float]]:
    """Unit ids and their cumulative weights (a few big communes, many small ones)."""
    weights = [rng.paretovariate(2.0) for _ in ids]
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return ids, out


def _pick(weighted: tuple[list, list[float]], x: float):
    values, cumulative = weighted
    return values[min(bisect.bisect(cumulative, x * cumulative[-1]), len(values) - 1)]


def catalogue(world: World) -> list[dict]:
    """100 procedures of the province: what the gate receives as ``procedure`` records."""
    rng = random.Random(SEED + 1)
    agencies = sorted(world.agencies)
    out = []
    for i in range(100):
        level = "province" if i < 30 else "commune"
        effective = SWITCH if rng.random() < 0.8 else SWITCH + timedelta(days=rng.randrange(500))
        lead = rng.choice((1, 3, 7, 10, 15)) if rng.random() < 0.95 else None
        fee = rng.random() < 0.4
        changes = []
        for _ in range(rng.choices((0, 1, 2), (80, 15, 5))[0]):
            changed = effective + timedelta(days=rng.randrange(30, 480))
            late = rng.random() < 0.2
            published = changed + timedelta(days=rng.randrange(8, 20) if late else rng.randrange(5))
            changes.append(
                {"changed_date": changed.isoformat(), "published_date": published.isoformat()}
            )
        out.append(
            {
                "id": f"{2 if level == 'commune' else 1}.{4000 + i:06d}",
                "name": f"Thủ tục hành chính mô phỏng số {i + 1} (dữ liệu mô phỏng)",
                "unit": PROVINCE,
                "agency": agencies[i % len(agencies)] if level == "province" else None,
                "level": level,
                "online": rng.choices(("full", "partial", "none"), (55, 30, 15))[0],
                "fee": fee,
                "payment_online": fee and rng.random() < 0.7,
                "population_db": rng.random() < 0.6,
                "effective_date": effective.isoformat(),
                "published_date": (effective - timedelta(days=lead)).isoformat() if lead else None,
                "full_content": rng.random() < 0.9,
                "changes": [c for c in changes if date.fromisoformat(c["published_date"]) < LATEST],
                "statutory_days": rng.choice((1, 3, 5, 7, 10, 15, 20, 30)),
            }
        )
    return out


def procedure_rows(procedures: list[dict]) -> tuple[list[tuple], list[tuple]]:
    """The catalogue as the baseline's typed tables see it."""
    rows, changes = [], []
    for p in procedures:
        rows.append(
            (
                p["id"],
                p["level"],
                p["online"],
                int(p["fee"]),
                int(p["payment_online"]),
                int(p["population_db"]),
                int(p["full_content"]),
                int(published_on_time(p)),
                p["effective_date"],
            )
        )
        changes += [(p["id"], c["changed_date"], int(change_on_time(c))) for c in p["changes"]]
    return rows, changes


# -- the dossiers -------------------------------------------------------------------------------


class Days:
    """Per day of the span (and the months after it): its ISO text, whether it is a weekend, the
    working days since the first day, and the day ``k`` working days later — the calendar of
    ``core.workdays``, read once per day rather than once per dossier."""

    def __init__(self) -> None:
        self.first = FIRST_DAY.toordinal()
        last = self.first + DAYS + 400
        days = [date.fromordinal(o) for o in range(self.first, last)]
        self.iso = [d.isoformat() for d in days]
        self.weekend = [d.weekday() >= 5 for d in days]
        self.rank = [working_days_between(FIRST_DAY, d) for d in days]
        self.later = [
            [add_working_days(d, k).toordinal() - d.toordinal() for k in range(6)] for d in days
        ]
        self.epoch = date(1970, 1, 1).toordinal()
        self.offset = int(LOCAL.total_seconds())


def generate(world: World, procedures: list[dict], n: int) -> Iterator[tuple]:
    """``n`` dossiers as rows of ``COLUMNS``; the first ``k`` are the same whatever ``n``."""
    rng = random.Random(SEED)
    r = rng.random
    days = Days()
    switch = SWITCH.toordinal() - days.first
    weights = [rng.paretovariate(1.5) for _ in procedures]
    cumulative = list(_cumulate(weights))
    shares = {"full": 0.75, "partial": 0.45, "none": 0.0}
    kinds = [
        (
            p["id"],
            p["level"] == "commune",
            world.agencies.get(p["agency"]) if p["agency"] else None,
            shares[p["online"]],
            p["fee"] and p["payment_online"],
            p["population_db"],
            p["statutory_days"] * 86400,
        )
        for p in procedures
    ]
    for i in range(n):
        code, commune, agency, online_share, payable, population, statutory = kinds[
            bisect.bisect(cumulative, r() * cumulative[-1])
        ]
        day = int(r() * DAYS)
        if days.weekend[day] and r() < 0.85:  # few dossiers on a weekend
            day = int(r() * DAYS)
        if commune:
            unit = _pick(world.before if day < switch else world.since, r())
        else:
            unit = world.old if day < switch else world.new
        x = r()
        channel = "online" if x < online_share else "postal" if x > 0.97 else "direct"
        online = channel == "online"
        second = int(r() * 86400) if online else int((7.5 + 9.5 * r()) * 3600)
        received = (days.first + day - days.epoch) * 86400 + second - days.offset
        due = received + statutory
        late = r() < 0.07
        spent = statutory * ((1.0 + 1.5 * r()) if late else (0.05 + 0.95 * r()))
        if r() < 0.01:
            spent *= 4  # the long tail
        finished = received + int(spent)
        x = r()
        if finished >= LAST or x < 0.025:
            status, finished = IN_HAND[int(r() * len(IN_HAND))], None
        elif x < 0.04:
            status, finished = "cancelled", None
        elif x < 0.06:
            status, finished = "returned", None
        else:
            status = "finished"
        x = r()
        supplements = 0 if x < 0.85 else 1 if x < 0.97 else 2
        x = r()
        suspended = 0 if x < 0.9 else 1 if x < 0.94 else 3 if x < 0.98 else 5
        on_time = working = finished_day = None
        if finished is not None:
            fin = (finished + days.offset) // 86400 + days.epoch - days.first
            due_day = (due + days.offset) // 86400 + days.epoch - days.first
            extended = due + days.later[due_day][suspended] * 86400
            on_time = int(supplements <= 1 and finished <= extended)
            working = days.rank[fin] - days.rank[day]
            finished_day = days.iso[fin]
        done = finished is not None
        yield (
            i + 1,
            code,
            unit,
            agency,
            PROVINCE,
            channel,
            received,
            days.iso[day],
            due,
            finished,
            finished_day,
            status,
            suspended,
            supplements,
            on_time,
            working,
            int(r() < 0.95),  # synced_national
            int(r() < 0.75),  # digitized
            int(online and payable and r() < 0.6),  # paid_online
            int(r() < 0.35),  # data_reused
            int(r() < (0.6 if population else 0.05)),  # population_data_used
            int(done and r() < 0.65),  # result_electronic
            int(r() < 0.04),  # certified_copy_electronic
            int(done and r() < 0.25),  # synced_personal_store
            int(done and r() < 0.003),  # complaint
        )


def _cumulate(weights: list[float]) -> Iterator[float]:
    total = 0.0
    for w in weights:
        total += w
        yield total


def _iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).astimezone(LOCAL_TZ).isoformat()


def as_record(row: tuple, codes: dict[int, str]) -> dict:
    """A generated dossier as a provincial system sends it to the gate."""
    d = dict(zip(COLUMNS, row, strict=True))
    record = {
        "id": f"H82.{d['id']:09d}",
        "procedure": d["procedure"],
        "unit": codes[d["unit_id"]],
        "channel": d["channel"],
        "received_at": _iso(d["received_at"]),
        "due_at": _iso(d["due_at"]),
        "finished_at": _iso(d["finished_at"]) if d["finished_at"] else None,
        "status": d["status"],
        "suspended_days": d["suspended_days"],
        "supplement_requests": d["supplement_requests"],
        "updated_at": _iso(d["finished_at"] or d["received_at"]),
        **{flag: bool(d[flag]) for flag in FLAGS},
    }
    if d["agency_id"]:
        record["agency"] = codes[d["agency_id"]]
    return record


# -- bulk loading -------------------------------------------------------------------------------


def _yes(column: str) -> str:
    return f"CASE WHEN {column} = 1 THEN 'yes' ELSE 'no' END"


def month_start(column: str, dialect: str) -> str:
    if dialect == "sqlite":
        return f"date({column}, 'start of month')"
    return f"CAST(date_trunc('month', {column}) AS date)"


def rollup_statements(held: int, dialect: str) -> list[str]:
    """What the gate's ``contributions`` of a dossier add up to, in SQL: the cells of each
    dossier's unit (and agency), then their sums into the unit's ancestors and the agency."""
    mine = f"FROM bench_dossiers WHERE id <> {int(held)}"
    finished = f"{mine} AND status = 'finished'"
    cells = (
        "INSERT INTO bench_cells (metric, unit_id, agency_id, day, dims, province_code, n, total)"
    )
    flags_in = ", ".join(f"sum({f})" for f in RECEIVED_FLAGS)
    flags_out = ", ".join(f"sum({f})" for f in FINISHED_FLAGS)
    out = [
        f"""INSERT INTO bench_received SELECT unit_id, agency_id, received_day, channel,
            province_code, count(*), {flags_in} {mine}
            GROUP BY unit_id, agency_id, received_day, channel, province_code""",
        f"""INSERT INTO bench_finished SELECT unit_id, agency_id, finished_day, on_time,
            province_code, count(*), sum(working_days), {flags_out} {finished}
            GROUP BY unit_id, agency_id, finished_day, on_time, province_code""",
        f"""{cells} SELECT 'dossier.received', unit_id, agency_id, day, 'channel=' || channel,
            province_code, n, 0.0 FROM bench_received""",
        f"""{cells} SELECT 'dossier.procedure.received', unit_id, agency_id, received_day,
            'procedure=' || procedure || '|channel=' || channel || '|paid_online=' ||
            {_yes("paid_online")}, province_code, count(*), 0.0 {mine}
            GROUP BY unit_id, agency_id, received_day, procedure, channel, paid_online,
            province_code""",
        f"""{cells} SELECT 'dossier.procedure.month', unit_id, agency_id,
            {month_start("day", dialect)}, dims, min(province_code), sum(n), 0.0
            FROM bench_cells WHERE metric = 'dossier.procedure.received'
            GROUP BY unit_id, agency_id, {month_start("day", dialect)}, dims""",
        f"""{cells} SELECT 'dossier.finished', unit_id, agency_id, day,
            'on_time=' || {_yes("on_time")}, province_code, n, working_days FROM bench_finished""",
        f"""{cells} SELECT 'dossier.procedure.finished', unit_id, agency_id, finished_day,
            'procedure=' || procedure || '|on_time=' || {_yes("on_time")}, province_code,
            count(*), sum(working_days) {finished}
            GROUP BY unit_id, agency_id, finished_day, procedure, on_time, province_code""",
    ]
    for table, kind, flags in (
        ("bench_received", "received", RECEIVED_FLAGS),
        ("bench_finished", "finished", FINISHED_FLAGS),
    ):
        out += [
            f"""{cells} SELECT 'dossier.{kind}.{flag}', unit_id, agency_id, day, '',
                province_code, sum({flag}), 0.0 FROM {table}
                GROUP BY unit_id, agency_id, day, province_code HAVING sum({flag}) > 0"""
            for flag in flags
        ]
    into = 'INSERT INTO rollups (metric, unit_id, day, dims, province_code, "count", "sum")'
    out += [
        f"""{into} SELECT c.metric, t.target_id, c.day, c.dims, min(c.province_code), sum(c.n),
            sum(c.total) FROM bench_cells c JOIN bench_chain t ON t.unit_id = c.unit_id
            GROUP BY c.metric, t.target_id, c.day, c.dims""",
        f"""{into} SELECT metric, agency_id, day, dims, min(province_code), sum(n), sum(total)
            FROM bench_cells WHERE agency_id IS NOT NULL GROUP BY metric, agency_id, day, dims""",
    ]
    return out


def compute_rollups(engine: Engine, world: World, held: int) -> None:
    """The rollups of ``bench_dossiers`` (all but ``held``), computed in bulk."""
    for table in (chain_table, cells_table, received_table, finished_table):
        table.drop(engine, checkfirst=True)
        table.create(engine)
    secondary = list(rollups.indexes)  # none since migration 0013: the key serves every read
    with engine.begin() as conn:
        for index in secondary:
            index.drop(conn)
    with engine.connect() as conn:
        insert_rows(conn, chain_table, world.chain)
    with engine.begin() as conn:
        for statement in rollup_statements(held, engine.dialect.name):
            started = time.perf_counter()
            conn.execute(text(statement))
            what = " ".join(statement.split()[:5])
            log(f"  {what} … in {time.perf_counter() - started:.1f} s")
        for index in secondary:
            index.create(conn)
    for table in (cells_table, received_table, finished_table):
        table.drop(engine)


def load_dossiers(engine: Engine, rows: Iterator[tuple], indexes: bool) -> int:
    """``bench_dossiers`` from the generator; indexed by day afterwards (the baseline's)."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA cache_size=-1000000")
            conn.exec_driver_sql("PRAGMA synchronous=OFF")
        count = insert_rows(conn, dossiers_table, rows)
    if indexes:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE INDEX ix_bench_received ON bench_dossiers (received_day)")
            conn.exec_driver_sql("CREATE INDEX ix_bench_finished ON bench_dossiers (finished_day)")
    return count


# -- the gate -----------------------------------------------------------------------------------


def push(engine: Engine, gate: Gate, type_name: str, records: list[dict]):
    with engine.connect() as conn:
        source = as_source(conn, get_row(conn, SOURCE), today())
    result = gate.ingest(
        source,
        type_name,
        list(enumerate(records)),
        principal=LOCAL_ADMIN,
        via="push",
        actor="bench",
    )
    if result.rejected_count:
        raise SystemExit(f"the gate rejected {type_name} records: {result.rejected[:3]}")
    return result


def dossier_rollups(engine: Engine) -> dict:
    with engine.connect() as conn:
        return {k: v for k, v in read_rollups(conn).items() if k[0].startswith("dossier.")}


def sample_check(url: str, world: World, procedures: list[dict], n: int) -> dict:
    """The first ``n`` dossiers through the real gate, then the same by the bulk SQL: equal?"""
    engine = make_engine(url)
    rows = list(generate(world, procedures, n))
    started = time.perf_counter()
    push(engine, Gate(engine, EventBus()), "dossier", [as_record(r, world.codes) for r in rows])
    gate_s = time.perf_counter() - started
    by_gate = dossier_rollups(engine)
    with engine.begin() as conn:
        conn.execute(rollups.delete().where(rollups.c.metric.like("dossier.%")))
    bench.create_all(engine, tables=[dossiers_table])
    load_dossiers(engine, iter(rows), indexes=False)
    compute_rollups(engine, world, held=-1)
    by_sql = dossier_rollups(engine)
    engine.dispose()
    if by_gate != by_sql:
        missing = sorted(set(by_gate) - set(by_sql))[:5]
        extra = sorted(set(by_sql) - set(by_gate))[:5]
        differ = [
            (k, by_gate[k], by_sql[k]) for k in by_gate if k in by_sql and by_gate[k] != by_sql[k]
        ]
        raise SystemExit(
            f"sample check failed: the bulk rollups differ from the gate's: only the gate's "
            f"{missing}, only the bulk's {extra}, different {differ[:5]}"
        )
    return {"dossiers": n, "rollup_rows": len(by_gate), "gate_seconds": round(gate_s, 2)}


# -- the baseline: one query over the dossier table ---------------------------------------------

BASELINE = """
WITH recv AS MATERIALIZED (
    SELECT procedure, count(*) AS n,
        sum(CASE WHEN channel = 'online' THEN 1 ELSE 0 END) AS online, sum(paid_online) AS paid,
        sum(synced_national) AS synced_national, sum(digitized) AS digitized,
        sum(data_reused) AS data_reused, sum(population_data_used) AS population_data_used
    FROM bench_dossiers
    WHERE province_code = :province AND received_day BETWEEN :start AND :end
    GROUP BY procedure
), fin AS (
    SELECT count(*) AS finished, coalesce(sum(on_time), 0) AS on_time,
        coalesce(sum(working_days), 0) AS working_days,
        coalesce(sum(result_electronic), 0) AS result_electronic,
        coalesce(sum(certified_copy_electronic), 0) AS certified_copy_electronic,
        coalesce(sum(synced_personal_store), 0) AS synced_personal_store,
        coalesce(sum(complaint), 0) AS complaint
    FROM bench_dossiers
    WHERE province_code = :province AND status = 'finished'
        AND finished_day BETWEEN :start AND :end
), cat AS MATERIALIZED (
    SELECT * FROM bench_procedures WHERE effective_date <= :end
)
SELECT
    (SELECT coalesce(sum(n), 0) FROM recv) AS received,
    (SELECT coalesce(sum(online), 0) FROM recv) AS received_online,
    (SELECT coalesce(sum(synced_national), 0) FROM recv) AS synced_national,
    (SELECT coalesce(sum(digitized), 0) FROM recv) AS digitized,
    (SELECT coalesce(sum(data_reused), 0) FROM recv) AS data_reused,
    (SELECT coalesce(sum(population_data_used), 0) FROM recv) AS population_data_used,
    (SELECT coalesce(sum(r.n), 0) FROM recv r JOIN bench_procedures p ON p.code = r.procedure
        WHERE p.fee = 1) AS fee_dossiers,
    (SELECT coalesce(sum(r.paid), 0) FROM recv r JOIN bench_procedures p ON p.code = r.procedure
        WHERE p.fee = 1) AS fee_dossiers_paid_online,
    fin.finished, fin.on_time, fin.working_days, fin.result_electronic,
    fin.certified_copy_electronic, fin.synced_personal_store, fin.complaint,
    (SELECT count(*) FROM cat) AS procedures,
    (SELECT coalesce(sum(published_on_time), 0) FROM cat) AS published_on_time,
    (SELECT coalesce(sum(full_content), 0) FROM cat) AS full_content,
    (SELECT count(*) FROM cat WHERE online <> 'none') AS offered_online,
    (SELECT coalesce(sum(fee), 0) FROM cat) AS fee,
    (SELECT count(*) FROM cat WHERE fee = 1 AND payment_online = 1) AS fee_payment_online,
    (SELECT coalesce(sum(population_db), 0) FROM cat) AS population_db,
    (SELECT count(*) FROM bench_procedure_changes WHERE changed_date BETWEEN :start AND :end)
        AS changes,
    (SELECT coalesce(sum(on_time), 0) FROM bench_procedure_changes
        WHERE changed_date BETWEEN :start AND :end) AS changes_on_time,
    (SELECT count(*) FROM cat WHERE online <> 'none') AS online_procedures,
    (SELECT count(*) FROM cat c JOIN recv r ON r.procedure = c.code
        WHERE c.online <> 'none' AND r.online > 0) AS online_procedures_used,
    (SELECT count(*) FROM cat WHERE fee = 1) AS fee_procedures,
    (SELECT count(*) FROM cat c JOIN recv r ON r.procedure = c.code
        WHERE c.fee = 1 AND r.paid > 0) AS fee_procedures_paid
FROM fin
"""


def baseline(conn: Connection, period) -> dict:
    """The province's index for the period from one query over the dossier table."""
    query = text(BASELINE).bindparams(bindparam("start", type_=Date), bindparam("end", type_=Date))
    row = conn.execute(
        query, {"province": PROVINCE, "start": period.start, "end": period.end}
    ).one()
    counts = {k: (float(v) if k == "working_days" else int(v)) for k, v in row._mapping.items()}
    return index(Counts(**counts))


# -- timings ------------------------------------------------------------------------------------


def measures(result: dict) -> dict:
    return {i["id"]: (i["numerator"], i["denominator"]) for i in result["indicators"]}


def find_held(rows: Iterator[tuple], period, out: list) -> Iterator[tuple]:
    """Pass the rows on; keep the first dossier still in hand at a commune, received early in the
    period and asked for papers at most once (it will finish on time within the period)."""
    last = (period.end - timedelta(days=2)).isoformat()
    start = period.start.isoformat()
    for row in rows:
        if (
            not out
            and row[11] == "processing"
            and row[3] is None
            and start <= row[7] <= last
            and row[13] <= 1
        ):
            out.append(row)
        yield row


def status_change(engine: Engine, world: World, held: tuple, month: str) -> dict:
    """Finish the held dossier through the gate; the next index read must count it."""
    gate = Gate(engine, EventBus())
    record = as_record(held, world.codes)
    finished = held[6] + 3600
    record |= {"status": "finished", "finished_at": _iso(finished), "updated_at": _iso(finished)}
    period = parse_window(month)
    with engine.connect() as conn:
        before = measures(index_of(conn, target(conn, PROVINCE, today()), period, today()))["2.1"]
    started = time.perf_counter()
    push(engine, gate, "dossier", [record])
    ingested = time.perf_counter()
    with engine.connect() as conn:
        after = measures(index_of(conn, target(conn, PROVINCE, today()), period, today()))["2.1"]
    read = time.perf_counter()
    visible = after == (before[0] + 1, before[1] + 1)
    if not visible:
        raise SystemExit(f"status change not visible: 2.1 was {before}, is {after}")
    day = (datetime.fromtimestamp(finished, UTC) + LOCAL).date()
    with engine.begin() as conn:  # the baseline's table follows, for the check after it
        conn.execute(
            dossiers_table.update()
            .where(dossiers_table.c.id == held[0])
            .values(
                status="finished",
                finished_at=finished,
                finished_day=day,
                on_time=1,
                working_days=working_days_between(date.fromisoformat(held[7]), day),
            )
        )
    return {
        "dossier": record["id"],
        "indicator": "2.1",
        "before": list(before),
        "after": list(after),
        "visible": visible,
        "ingest_ms": ms(ingested - started),
        "read_ms": ms(read - ingested),
        "visible_ms": ms(read - started),
    }


RECORD_IDS = 1_000_000_000  # bulk-loaded records' ids start here, above the gate's own


def worklist_of(engine: Engine, code: str, state: str, at: datetime) -> dict:
    with engine.connect() as conn:
        return worklist(conn, unit_at(conn, code, today()), state, 50, 0, at=at)


def fill_worklist(engine: Engine, world: World, held: int) -> int:
    """The dossiers still in hand (all but ``held``, which came through the gate) into the
    gate's ``records`` and the work list's table, in bulk, as the gate's projector would."""
    with engine.connect() as conn:
        source_id = conn.execute(select(sources.c.id).where(sources.c.name == SOURCE)).scalar_one()
    query = select(dossiers_table).where(
        dossiers_table.c.status.in_(IN_HAND), dossiers_table.c.id != held
    )
    count = 0
    with engine.connect() as reader, engine.connect() as writer:
        rows = reader.execution_options(yield_per=CHUNK).execute(query)
        for chunk in rows.partitions(20_000):
            stored, listed = [], []
            for row in chunk:
                data = as_record(tuple(row), world.codes)
                key = RECORD_IDS + row.id
                received = datetime.fromisoformat(data["received_at"])
                stored.append(
                    {
                        "id": key,
                        "source_id": source_id,
                        "type": "dossier",
                        "record_id": data["id"],
                        "unit_id": row.unit_id,
                        "agency_id": row.agency_id,
                        "province_code": row.province_code,
                        "occurred_on": row.received_day,
                        "updated_at": received,
                        "hash": "",
                        "data": orjson.dumps(data).decode(),
                        "batch_id": 0,
                    }
                )
                listed.append(
                    {
                        "id": key,
                        "source_id": source_id,
                        "record_id": data["id"],
                        "unit_id": row.unit_id,
                        "agency_id": row.agency_id,
                        "province_code": row.province_code,
                        "procedure": row.procedure,
                        "channel": row.channel,
                        "status": row.status,
                        "received_at": received,
                        "due_at": datetime.fromisoformat(data["due_at"]),
                        "effective_due_at": effective_due(data),
                        "suspended_days": row.suspended_days,
                        "supplement_requests": row.supplement_requests,
                    }
                )
            writer.execute(records.insert(), stored)
            writer.execute(open_dossiers.insert(), listed)
            writer.commit()
            count += len(chunk)
    return count


# -- the run ------------------------------------------------------------------------------------


def run(args, dbs: Databases) -> dict:
    started = time.perf_counter()
    period = parse_window(args.month)
    if period.start < SWITCH or period.end > FIRST_DAY + timedelta(days=DAYS - 1):
        raise SystemExit("--month: a month from 202507 to 202611")
    main_url = dbs.fresh("main")
    engine = make_engine(main_url)
    world = World(engine)
    procedures = catalogue(world)
    push(
        engine,
        Gate(engine, EventBus()),
        "procedure",
        [
            {k: v for k, v in p.items() if k != "statutory_days" and v is not None}
            for p in procedures
        ],
    )
    log(f"{len(procedures)} procedures through the gate; checking a sample of {args.sample}")
    sample = sample_check(dbs.fresh("sample"), world, procedures, args.sample)
    log(f"sample check: equal ({sample})")

    bench.create_all(engine)
    proc_rows, change_rows = procedure_rows(procedures)
    with engine.connect() as conn:
        insert_rows(conn, procedures_table, proc_rows)
        insert_rows(conn, changes_table, change_rows)
    held: list[tuple] = []
    t0 = time.perf_counter()
    rows = find_held(generate(world, procedures, args.dossiers), period, held)
    loaded = load_dossiers(engine, _progress(rows, args.dossiers), indexes=True)
    t1 = time.perf_counter()
    log(f"{loaded} dossiers generated and loaded in {t1 - t0:.1f} s")
    if not held:
        raise SystemExit(f"no dossier in hand in {args.month}: use more dossiers")
    compute_rollups(engine, world, held[0][0])
    t2 = time.perf_counter()
    log(f"rollups in {t2 - t1:.1f} s")
    push(engine, Gate(engine, EventBus()), "dossier", [as_record(held[0], world.codes)])
    analyze(engine)
    t3 = time.perf_counter()
    with engine.connect() as conn:
        rollup_rows = conn.execute(select(text("count(*)")).select_from(rollups)).scalar_one()
    size = (
        Path(main_url.removeprefix("sqlite:///")).stat().st_size
        if args.backend == "sqlite"
        else None
    )

    def index_call():
        with engine.connect() as conn:
            return index_of(conn, target(conn, PROVINCE, today()), period, today())

    def baseline_call():
        with engine.connect() as conn:
            return baseline(conn, period)

    def ranking_call():
        with engine.connect() as conn:
            return ranking(conn, "commune", target(conn, PROVINCE, today()), period, today())

    log("timing the index, the baseline and the ranking")
    index_t, index_result = timed(index_call, args.runs)
    baseline_t, baseline_result = timed(baseline_call, args.baseline_runs, warm=1)
    if measures(index_result) != measures(baseline_result):
        raise SystemExit(
            f"the baseline's counts differ from the index's: {measures(baseline_result)} "
            f"!= {measures(index_result)}"
        )
    ranking_t, ranked = timed(ranking_call, args.runs)
    change = status_change(engine, world, held[0], args.month)
    with engine.connect() as conn:
        if measures(baseline(conn, period)) != measures(index_call()):
            raise SystemExit(
                "after the status change the baseline's counts differ from the index's"
            )
    log("filling the work list")
    t4 = time.perf_counter()
    in_hand = fill_worklist(engine, world, held[0][0])
    analyze(engine)  # as after any bulk load: the planner sees the table's real size
    engine.dispose()  # and connections opened before it do not keep the old statistics
    t5 = time.perf_counter()
    at = datetime.fromtimestamp(LAST, UTC)

    def worklist_call(code: str):
        def call():
            with engine.connect() as conn:
                return worklist(conn, unit_at(conn, code, today()), "open", 50, 0, at=at)

        return call

    worklist_t, first_page = timed(worklist_call(PROVINCE), args.runs)
    commune = world.codes[world.since[0][0]]
    commune_t, _ = timed(worklist_call(commune), args.runs)
    overdue_t, _ = timed(lambda: worklist_of(engine, PROVINCE, "overdue", at), args.runs)
    engine.dispose()
    ratio = round(baseline_t["p50_ms"] / index_t["p50_ms"], 1)
    worklist_figures = {
        "in_hand": in_hand,
        "fill_s": round(t5 - t4, 1),
        "province_first_page": worklist_t | {"total": first_page["total"]},
        "commune_first_page": commune_t | {"commune": commune},
        "province_overdue_first_page": overdue_t,
    }
    return {
        "bench": "services: the Decision 766 index (bench/services.py)",
        "backend": args.backend,
        "cpus": os.cpu_count(),
        "dossiers": loaded,
        "procedures": len(procedures),
        "agencies": len(AGENCIES),
        "communes": {"before_2025_07_01": len(world.before[0]), "since": len(world.since[0])},
        "span": [FIRST_DAY.isoformat(), (FIRST_DAY + timedelta(days=DAYS - 1)).isoformat()],
        "province": PROVINCE,
        "month": args.month,
        "month_dossiers": {
            "received": index_result["counts"]["received"],
            "finished": index_result["counts"]["finished"],
        },
        "load": {
            "generate_and_insert_s": round(t1 - t0, 1),
            "rollups_s": round(t2 - t1, 1),
            "analyze_s": round(t3 - t2, 1),
            "rollup_rows": rollup_rows,
            "db_mb": round(size / 1e6) if size else None,
        },
        "sample_check": "equal",
        "sample": sample,
        "index": index_t | {"total": index_result["total"]},
        "baseline": baseline_t
        | {
            "what": "one SELECT over bench_dossiers (indexed by received_day and finished_day) "
            "and the catalogue, then the same scoring; counts asserted equal to the index's",
        },
        "ratio_baseline_to_index": ratio,
        "ranking": ranking_t | {"communes": len(ranked)},
        "worklist": worklist_figures,
        "status_change": change,
        "goals": {
            "index_p95_le_100ms": goal(index_t["p95_ms"], 100),
            "index_ge_50x_baseline": goal(ratio, 50, "above"),
            "ranking_p95_le_500ms": goal(ranking_t["p95_ms"], 500),
            "worklist_first_page_le_100ms": goal(worklist_t["p95_ms"], 100),
            "status_change_visible_in_next_read": change["visible"],
        },
        "seconds": round(time.perf_counter() - started, 1),
    }


def _progress(rows: Iterator[tuple], n: int) -> Iterator[tuple]:
    step = max(n // 10, CHUNK)
    started = time.perf_counter()
    for i, row in enumerate(rows, start=1):
        if i % step == 0:
            log(f"{i} dossiers in {time.perf_counter() - started:.0f} s")
        yield row


def main() -> None:
    from ioc57 import modules

    modules.load()  # the record types, as ``ioc57 serve`` loads them
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--baseline-runs", type=int, default=10)
    parser.add_argument("--month", default="202611")
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--database-url", default=None, help="postgresql: a server URL that may create databases"
    )
    parser.add_argument("--keep", default=None, help="a directory to keep the databases in")
    args = parser.parse_args()

    tmp = Path(args.keep or tempfile.mkdtemp(prefix="ioc57-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    dbs = Databases(
        args.backend, tmp, args.database_url, SOURCE, ["procedure", "dossier"], add_agencies
    )
    try:
        print(json.dumps(run(args, dbs), ensure_ascii=False), flush=True)
    finally:
        dbs.close()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
