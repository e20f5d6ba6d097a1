"""A national deployment: one province's scorecard and Decision 766 index on PostgreSQL
partitioned by province, against the same database unpartitioned.

Goal (issue 16): on a database whose fact tables are partitioned by province (``ioc57 init
--partition-by-province``), the scorecard and the 766 index of one province read one partition
(shown by ``EXPLAIN``) and answer within 1.2× of the unpartitioned time.

What it does, in one run:

1. A throw-away PostgreSQL server on loopback (as the tests start one), or ``--database-url``.
2. Two databases: ``init_database`` and ``init_database(by_province=True)``.
3. In each, the same rollup cells for every province in force, made with a seed (simulated: the
   shape of the cells the gate keeps, not dossiers or values sent through it): for the province,
   its communes and its agencies, ``--days`` days of the dossier metrics the 766 index reads, and
   the yearly rollups of every reported indicator from 2021 to ``--year``; loaded with ``COPY``
   and analysed.
4. Warm, ``--runs`` calls each, on the two databases in turn call by call (so that the machine's
   drift falls on both): ``services.index.index_of`` of the province
   ``--province`` for November of ``--year``, and ``indicators.scorecard.scorecard`` of the province
   for ``--year`` without its rank among the 34 provinces (that compares every province by
   design, and is cached by each process until a value changes).
5. ``EXPLAIN`` of every statement those calls send that reads a fact table, on the partitioned
   database: the partitions each one scans.

Prints one JSON line per call and database, then the EXPLAIN lines and the verdict.

    .venv/bin/python bench/partitions.py            # ~2 min on a 2-core machine
"""

from __future__ import annotations

import argparse
import io
import json
import random
import re
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import event, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ADMIN_PASSWORD, log, ms, percentile  # noqa: E402

FACTS = ("rollups", "indicator_rollups", "records", "indicator_values")


def _units(conn) -> dict[str, list[tuple[int, str]]]:
    """Per province in force, its units (id, level): itself, its communes, its agencies."""
    from ioc57.units.tables import units

    out: dict[str, list[tuple[int, str]]] = {}
    query = select(units.c.id, units.c.level, units.c.province_code).where(
        units.c.valid_to.is_(None), units.c.level.in_(("province", "commune", "agency"))
    )
    for unit_id, level, province in conn.execute(query):
        out.setdefault(province, []).append((unit_id, level))
    return out


def _copy(conn, table: str, columns: tuple[str, ...], rows) -> int:
    buffer = io.StringIO()
    count = 0
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
        count += 1
    buffer.seek(0)
    raw = conn.connection.driver_connection
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        while chunk := buffer.read(1 << 20):
            copy.write(chunk)
    return count


def _dossier_cells(units, end: date, days: int, rng: random.Random):
    from ioc57.services.counts import DOSSIER_METRICS

    for province, members in sorted(units.items()):
        for unit_id, level in members:
            scale = 40 if level == "province" else 3
            for back in range(days):
                day = end - timedelta(days=back)
                for metric in DOSSIER_METRICS:
                    n = rng.randint(0, scale)
                    if n:
                        yield (metric, unit_id, day, "", province, n, float(n))


def _indicator_cells(units, year: int, rng: random.Random):
    from ioc57.indicators.catalogue import catalogue

    codes = [i.code for i in catalogue().indicators if i.source == "reported"]
    for province, members in sorted(units.items()):
        for unit_id, level in members:
            if level == "agency":
                continue
            for y in range(2021, year + 1):
                for code in codes:
                    for scope in ("own", "below") if level == "province" else ("own",):
                        value = round(rng.uniform(10, 90), 2)
                        yield (code, unit_id, y, scope, province, 1, value, 0, 0, 0, value, 0, 0)


def load(url: str, year: int, days: int, seed: int) -> dict:
    from ioc57.core.db import make_engine

    engine = make_engine(url)
    with engine.begin() as conn:
        units = _units(conn)
        rng = random.Random(seed)
        cells = _copy(
            conn,
            "rollups",
            ("metric", "unit_id", "day", "dims", "province_code", "count", "sum"),
            _dossier_cells(units, date(year, 11, 30), days, rng),
        )
        values = _copy(
            conn,
            "indicator_rollups",
            (
                "indicator",
                "unit_id",
                "year",
                "scope",
                "province_code",
                "n",
                "sum_value",
                "sum_num",
                "sum_den",
                "pct_only",
                "latest_value",
                "latest_num",
                "latest_den",
            ),  # fmt: skip
            _indicator_cells(units, year, rng),
        )
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    engine.dispose()
    return {"rollup_cells": cells, "indicator_rollup_cells": values}


def summary(seconds: list[float]) -> dict:
    return {
        "runs": len(seconds),
        "p50_ms": ms(percentile(seconds, 50)),
        "p95_ms": ms(percentile(seconds, 95)),
        "max_ms": ms(max(seconds)),
    }


def calls(conn, province: str, year: int):
    """The two reads, as ``(name, call)``."""
    from ioc57.indicators.scorecard import scorecard
    from ioc57.services.index import index_of, parse_window, target
    from ioc57.units.queries import unit_at

    today = date(year, 12, 1)
    goal = target(conn, province, today)
    unit = unit_at(conn, province, today)
    period = parse_window(f"{year}11")
    return [
        ("index766", lambda: index_of(conn, goal, period, today)),
        ("scorecard", lambda: scorecard(conn, unit, year, with_rank=False)),
    ]


def explain(engine, province: str, year: int) -> list[dict]:
    """The partitions each statement of the two reads scans, read off ``EXPLAIN``."""
    sent: list[tuple[str, str, object]] = []
    current = {"name": ""}

    def listen(_conn, _cursor, statement, parameters, _context, _many):
        if any(re.search(rf"\b{t}\b", statement) for t in FACTS):
            sent.append((current["name"], statement, parameters))

    event.listen(engine, "before_cursor_execute", listen)
    with engine.connect() as conn:
        for name, call in calls(conn, province, year):
            current["name"] = name
            call()
    event.remove(engine, "before_cursor_execute", listen)
    out = []
    with engine.connect() as conn:
        for name, statement, parameters in sent:
            plan = "\n".join(
                r[0] for r in conn.exec_driver_sql(f"EXPLAIN (COSTS OFF) {statement}", parameters)
            )
            scanned = sorted(set(re.findall(r" on (\w+?_p(?:\d+|other))\b", plan)))
            tables = sorted({t for t in FACTS if re.search(rf"\bFROM {t}\b", statement)})
            out.append({"read": name, "tables": tables, "partitions": scanned})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--province", default="82")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--days", type=int, default=60, help="days of dossier cells per unit")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=57)
    parser.add_argument(
        "--database-url", default=None, help="a PostgreSQL server URL that may create databases"
    )
    args = parser.parse_args()

    from ioc57 import modules
    from ioc57.bootstrap import init_database
    from ioc57.core.db import make_engine
    from tests.support import pg

    modules.load()
    server = None if args.database_url else pg.PostgresServer().start()
    admin = args.database_url or server.url()
    labels = {"unpartitioned": False, "partitioned": True}
    engines = {}
    try:
        for label, by_province in labels.items():
            name = f"ioc57_bench_{label}"
            pg.drop_database(admin, name)
            url = pg.create_database(admin, name)
            engine = make_engine(url)
            init_database(engine, admin_password=ADMIN_PASSWORD, by_province=by_province)
            engine.dispose()
            loaded = load(url, args.year, args.days, args.seed)
            log(f"{label}: {loaded}")
            engines[label] = make_engine(url)
        with engines["unpartitioned"].connect() as a, engines["partitioned"].connect() as b:
            reads = {"unpartitioned": calls(a, args.province, args.year)}
            reads["partitioned"] = calls(b, args.province, args.year)
            verdict = {}
            for i, (read, _) in enumerate(reads["partitioned"]):
                # the two databases in turn, call by call: the machine's drift falls on both
                seconds: dict[str, list[float]] = {label: [] for label in labels}
                for run in range(args.runs + 3):
                    for label in labels:
                        started = time.perf_counter()
                        reads[label][i][1]()
                        if run >= 3:  # warm
                            seconds[label].append(time.perf_counter() - started)
                p50 = {}
                for label in labels:
                    figures = summary(seconds[label])
                    p50[label] = figures["p50_ms"]
                    line = {"read": read, "database": label, "province": args.province}
                    print(json.dumps(line | figures | loaded), flush=True)
                ratio = p50["partitioned"] / p50["unpartitioned"]
                verdict[read] = {"p50_ratio_partitioned_to_unpartitioned": round(ratio, 3)}
                verdict[read]["within_1_2x"] = ratio <= 1.2
        plans = explain(engines["partitioned"], args.province, args.year)
        for plan, count in Counter(json.dumps(p, sort_keys=True) for p in plans).items():
            print(json.dumps({"explain": json.loads(plan), "statements": count}), flush=True)
        for read in verdict:
            scans = [p["partitions"] for p in plans if p["read"] == read]
            verdict[read]["one_partition_each_statement"] = all(len(s) == 1 for s in scans)
        print(json.dumps({"verdict": verdict}), flush=True)
    finally:
        for label, engine in engines.items():
            engine.dispose()
            pg.drop_database(admin, f"ioc57_bench_{label}")
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
