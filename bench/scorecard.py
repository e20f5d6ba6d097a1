"""Latency of the scorecard and of the 34-province comparison at scale, against raw SQL.

Goal (the issue): with 50 indicators × 34 provinces and their communes × 10 years of monthly
observations, ``GET /api/v1/scorecard?unit=<province>&year=`` answers in ≤ 100 ms and
``GET /api/v1/indicators/{code}/compare?year=`` in ≤ 300 ms (SQLite, this machine).

What it does, in one run on a fresh SQLite file (``ioc57 init``):

1. ``rollup_check`` (skip with ``--no-check``): on a copy of the fresh database, a small sample of
   observations (3 provinces and 4 of their current communes, every chosen indicator, 2025-07 to
   last month; some ratios without a value, some given only as a percentage) goes through the real
   gate in-process, which keeps ``indicator_rollups`` current with ``rollups.refresh``. Those rollups
   are then deleted and rebuilt with the bulk SQL below: the two must agree row for row. Its
   ``values_per_s`` is the gate's rate for reported values sent as one push: the median of
   ``CHECK_RUNS`` runs (``gate_s_runs``), each on its own copy of the fresh database, its units
   already in memory as a server's are (``units_load_s`` is that once-per-process load). The raw
   baseline of the same run, ``raw_values_per_s``, inserts the same values as rows of
   ``indicator_values`` with one ``executemany`` on another copy of the fresh database
   (``ratio_to_raw``: the gate's time against it; the gate writes a record, the value, its
   history and its yearly rollups). ``--check-only`` stops after it.
2. Bulk load: ``indicator_values`` rows (approved, simulated) straight into the table with
   ``executemany`` in the order of its unique key, its two other indexes dropped meanwhile and
   built again after (the gate does ~10k records/s at best, far too slow for 10 M values); then
   ``indicator_rollups`` with one ``INSERT … SELECT … GROUP BY`` per scope (own, below). The
   indicators are taken from the catalogue, month indicators first. Those that a commune reports
   (``COMMUNE_LEVEL``, or with ``--commune-level month`` every month indicator) get values for
   each current commune, so the province reads the ``below`` rollup; the others get values for
   the province itself. Values fit the indicator: counts for sums, levels that grow for stocks,
   numerator ≤ denominator for percentages, ranks 1–34 for ranks. Every value sits on a current
   unit (34 provinces, 3,321 communes) for all the years, although the gate would put a period
   before 2025-07-01 on the legacy unit of the day.
3. ``ioc57 serve`` (uvicorn) in a subprocess. The anchor: ~300 observations of province
   ``--province`` for July–December of the last year (left out of the bulk load) are pushed through
   ``POST /api/v1/observations`` with an admin token; the scorecard must then show, for those
   indicators, exactly the value computed from ``indicator_values`` with plain SQL.
4. Timings over ``--runs`` requests through HTTP on loopback (httpx, kept alive), rotating over the
   34 provinces (scorecard) or over a few indicators (comparison); then the same with the Python
   functions ``scorecard()`` and ``compare()`` on one connection, without HTTP. The raw baseline,
   measured in the same run with the sqlite3 module on the same file: the plain SELECTs of the
   rollup rows the endpoint needs (the province's related units over the years, and the year's rows
   of every province for the ranks; for a comparison, one indicator's rows of every province
   over the years, which the statuses of the provinces read).

Prints one JSON line per path (sizes, load times and checks first; then each timing with its p50,
p95 and max, the raw baseline and the ratio). ``--profile`` adds the scorecard module's functions
(cumulative ms per call, cProfile) and prints the full listing to stderr. The default size, the
full one (9.6 M values, 0.8 M rollup rows), takes about 5–7 minutes on this 2-core machine.

Usage: .venv/bin/python bench/scorecard.py [--indicators 50] [--years 10] [--communes all|N]
       [--runs 50] [--province 82] [--commune-level curated|month] [--profile] [--keep DIR]
       [--no-check]
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from common import ioc57, ms, percentile, start_server, stop_server

SEED = 57
CHECK_RUNS = 3  # runs of the gate in the rollup check, each on a fresh copy: the median counts
ADMIN_PASSWORD = "bench-password-57"
CITATION = "dữ liệu mô phỏng (bench/scorecard.py, not a real figure)"
ANCHOR_COMMUNES = 25
CHUNK = 50_000

# Month indicators that a commune (xã, phường) reports itself; the province's value is then the
# sum of its communes' (the ``below`` rollup). The other indicators are the province's own.
COMMUNE_LEVEL = {
    "st_enterprises",
    "ip_marks_supported",
    "enterprises_supported_productivity_quality",
    "online_payment_rate",
    "digitized_data_reuse_rate",
    "electronic_result_rate",
    "online_dossiers",
    "online_dossier_rate",
    "hotline_1022_reports",
    "electronic_documents_exchanged",
    "official_email_rate",
    "digital_signatures_issued",
    "online_meetings",
    "project06_pilot_models",
    "population_5g_coverage_rate",
    "electronic_health_record_rate",
    "population_mobile_coverage_rate",
    "mobile_base_stations",
    "agri_exchange_participants",
    "agri_exchange_products",
    "dx_pilot_models_enterprises",
    "cooperatives_applying_dx",
}

VALUE_COLUMNS = (
    "indicator, unit_id, province_code, period, period_end, year, value, numerator, denominator,"
    " status, citation, simulated, source_id, record_id, entered_by, reviewed_by, reviewed_at,"
    " updated_at"
)
INSERT_VALUE = f"INSERT INTO indicator_values ({VALUE_COLUMNS}) VALUES ({', '.join('?' * 18)})"
ROLLUP_COLUMNS = (
    "indicator, unit_id, year, scope, province_code, n, sum_value, sum_num, sum_den, pct_only,"
    " latest_end, latest_value, latest_num, latest_den, simulated"
)
# What rollups.refresh keeps, computed in bulk. ``own``: the approved values of a unit and year;
# the bare columns (value, numerator, denominator) come from the row with max(period_end), as
# SQLite documents for a query with a single max() aggregate.
OWN_SQL = f"""
INSERT INTO indicator_rollups ({ROLLUP_COLUMNS})
SELECT indicator, unit_id, year, 'own', province_code, count(*), total(value),
    total(CASE WHEN numerator IS NULL OR denominator IS NULL THEN 0.0 ELSE numerator END),
    total(CASE WHEN numerator IS NULL OR denominator IS NULL THEN 0.0 ELSE denominator END),
    sum(numerator IS NULL OR denominator IS NULL),
    max(period_end),
    CASE
        WHEN value IS NOT NULL THEN value
        WHEN numerator IS NOT NULL AND denominator THEN numerator / denominator
            * (SELECT f.factor FROM bench_factors f WHERE f.indicator = indicator_values.indicator)
        ELSE 0.0
    END,
    coalesce(numerator, 0.0), coalesce(denominator, 0.0), sum(simulated)
FROM indicator_values
WHERE status = 'approved'
GROUP BY indicator, unit_id, year
"""
# ``below``: for every unit above, the sums of the own rollups of the units under it (the latest
# values of a stock add up, the latest day is the last one).
BELOW_SQL = f"""
INSERT INTO indicator_rollups ({ROLLUP_COLUMNS})
SELECT o.indicator, a.ancestor_id, o.year, 'below', max(o.province_code), sum(o.n),
    total(o.sum_value), total(o.sum_num), total(o.sum_den), sum(o.pct_only), max(o.latest_end),
    total(o.latest_value), total(o.latest_num), total(o.latest_den), sum(o.simulated)
FROM indicator_rollups o JOIN bench_ancestors a ON a.unit_id = o.unit_id
WHERE o.scope = 'own'
GROUP BY o.indicator, a.ancestor_id, o.year
"""
ANCESTORS_SQL = """
CREATE TEMP TABLE bench_ancestors AS
WITH RECURSIVE up(unit_id, ancestor_id) AS (
    SELECT id, parent_id FROM units WHERE parent_id IS NOT NULL
    UNION ALL
    SELECT up.unit_id, u.parent_id FROM up JOIN units u ON u.id = up.ancestor_id
    WHERE u.parent_id IS NOT NULL
)
SELECT unit_id, ancestor_id FROM up
"""


def spread(samples_s: list[float]) -> dict:
    return {
        "p50_ms": ms(percentile(samples_s, 50)),
        "p95_ms": ms(percentile(samples_s, 95)),
        "max_ms": ms(max(samples_s)),
    }


# -- the indicators and their values -----------------------------------------------------------


def choose_indicators(n: int) -> list:
    """``n`` reported indicators of the catalogue, month indicators first, in catalogue order."""
    from ioc57.indicators.catalogue import catalogue

    reported = [i for i in catalogue().indicators if i.source == "reported"]
    month = [i for i in reported if i.period_type == "month"]
    other = [i for i in reported if i.period_type != "month"]
    return (month + other)[:n]


def by_commune(ind, mode: str) -> bool:
    """Whether each commune reports the indicator (else the province does)."""
    if ind.period_type != "month" or ind.aggregation == "none" or ind.kind == "rank":
        return False
    return mode == "month" or ind.code in COMMUNE_LEVEL


@dataclass(frozen=True)
class Model:
    """How one indicator's values look: a level or flow per unit of size, its growth, its rates."""

    code: str
    kind: str
    aggregation: str
    stock: bool
    factor: float
    base: float
    growth: float
    rate_from: float
    rate_to: float
    whole: bool  # a count: whole numbers

    @classmethod
    def of(cls, ind, commune: bool) -> Model:
        rng = random.Random(f"{SEED}:{ind.code}")
        if ind.kind == "value":  # an amount of a province's year (billion VND)
            base = rng.uniform(50, 500)
        else:
            base = rng.choice((5, 10, 20, 40, 80, 150, 300)) if ind.kind == "count" else 50
            if not commune:
                base *= 60  # a province is some sixty to a hundred communes
            if ind.period_type == "year" and not ind.stock:
                base *= 12
        rate_from = rng.uniform(0.05, 0.55)
        rate_to = min(0.99, rate_from + rng.uniform(0.15, 0.45))
        if ind.aggregation == "ratio" and (ind.factor or 1) > 100:  # e.g. per 10,000 people
            scale = 1 / ind.factor * rng.uniform(2, 8)
            rate_from, rate_to = rate_from * scale, rate_to * scale
        return cls(
            code=ind.code,
            kind=ind.kind,
            aggregation=ind.aggregation,
            stock=ind.stock,
            factor=ind.factor or 1.0,
            base=base,
            growth=rng.uniform(0.03, 0.2),
            rate_from=rate_from,
            rate_to=rate_to,
            whole=ind.kind == "count",
        )

    def observe(
        self, rng: random.Random, size: float, bias: float, t: float
    ) -> tuple[float | None, float | None, float | None]:
        """(value, numerator, denominator) at ``t`` years since the first period."""
        trend = (1 + self.growth) ** t
        if self.aggregation == "ratio":
            if self.stock:  # a level: population, services offered…
                den = max(1.0, round(self.base * 40 * size * (1 + 0.01 * t)))
            else:  # a flow: dossiers received this month…
                den = max(1.0, round(self.base * size * trend * rng.uniform(0.7, 1.3)))
            span = self.rate_to - self.rate_from
            rate = (
                self.rate_from + span * min(1.0, t / 10) + span * (bias + rng.uniform(-0.05, 0.05))
            )
            num = float(round(den * min(1.0, max(0.0, rate))))
            return round(num / den * self.factor, 4), num, den
        if self.aggregation == "none":  # a percentage not added up (TFP share, renewal rate)
            value = 100 * (self.rate_from + (self.rate_to - self.rate_from) * min(1.0, t / 10))
            return round(min(100.0, max(0.0, value * (1 + bias / 2))), 2), None, None
        if self.stock:  # a count that is a level: enterprises, base stations…
            return float(round(self.base * size * trend)), None, None
        value = self.base * size * trend * rng.uniform(0.7, 1.3)
        return (float(round(value)) if self.whole else round(value, 2)), None, None


def periods(ind, years: list[int]) -> list[tuple[str, float]]:
    """The period codes of ``years`` for the indicator, with their time in years since the first."""
    first = years[0]
    if ind.period_type == "month":
        return [(f"{y}{m:02d}", y - first + (m - 1) / 12) for y in years for m in range(1, 13)]
    return [(str(y), float(y - first)) for y in years]


@dataclass
class Place:
    id: int
    code: str
    province: str
    size: float


def current_units(conn: sqlite3.Connection, communes: str) -> tuple[list[Place], list[Place]]:
    """The 34 provinces and their current communes (all, or N per province, chosen at random)."""
    rng = random.Random(SEED)
    provinces = [
        Place(r[0], r[1], r[2], rng.lognormvariate(0, 0.35))
        for r in conn.execute(
            "SELECT id, code, province_code FROM units WHERE level = 'province'"
            " AND valid_to IS NULL ORDER BY code"
        )
    ]
    rows = conn.execute(
        "SELECT c.id, c.code, c.province_code FROM units c JOIN units p ON p.id = c.parent_id"
        " WHERE c.level = 'commune' AND c.valid_to IS NULL AND p.level = 'province'"
        " AND p.valid_to IS NULL ORDER BY c.id"
    ).fetchall()
    per_province: dict[str, list] = {}
    for r in rows:
        per_province.setdefault(r[2], []).append(r)
    chosen = []
    for code in sorted(per_province):
        group = per_province[code]
        if communes != "all":
            group = sorted(rng.sample(group, min(int(communes), len(group))))
        chosen += [Place(r[0], r[1], r[2], rng.lognormvariate(0, 0.5)) for r in group]
    return provinces, sorted(chosen, key=lambda p: p.id)


def storage():
    """How SQLAlchemy stores a date and a time on SQLite (the rows must read back the same)."""
    from sqlalchemy.dialects import sqlite as sqlite_dialect

    from ioc57.indicators.tables import indicator_values

    dialect = sqlite_dialect.dialect()
    as_date = indicator_values.c.period_end.type.dialect_impl(dialect).bind_processor(dialect)
    as_time = indicator_values.c.updated_at.type.dialect_impl(dialect).bind_processor(dialect)
    return as_date, as_time


def value_rows(indicators, commune_mode, provinces, communes, years, skip, anchor_out):
    """Rows of ``indicator_values`` in the order of its unique key (indicator, unit, period), so
    that the index grows at its end; the (indicator, unit id, period) in ``skip`` go to
    ``anchor_out`` as observations instead (they are pushed through the API later)."""
    from ioc57.core.periods import parse_period

    as_date, as_time = storage()
    stamp = as_time(datetime.now(UTC))
    models = {i.code: Model.of(i, by_commune(i, commune_mode)) for i in indicators}
    plans = {i.code: periods(i, years) for i in indicators}
    ends = {code: as_date(parse_period(code).end) for plan in plans.values() for code, _ in plan}
    ranks = {}  # rank indicators: a shuffle of the provinces each year
    for ind in indicators:
        if ind.kind == "rank":
            for y in years:
                order = list(provinces)
                random.Random(f"{SEED}:{ind.code}:{y}").shuffle(order)
                ranks.update({(ind.code, p.id, str(y)): float(k + 1) for k, p in enumerate(order)})
    for number, ind in enumerate(indicators):
        model = models[ind.code]
        for place in communes if by_commune(ind, commune_mode) else provinces:
            rng = random.Random((SEED * 1_000_003 + place.id) * 1_000 + number)
            bias = rng.uniform(-0.5, 0.5)  # this unit does better or worse than most
            for period, t in plans[ind.code]:
                if ind.kind == "rank":
                    value, num, den = ranks[(ind.code, place.id, period)], None, None
                else:
                    value, num, den = model.observe(rng, place.size, bias, t)
                if (ind.code, place.id, period) in skip:
                    anchor_out.append(
                        {
                            "indicator": ind.code,
                            "unit": place.code,
                            "period": period,
                            "value": value,
                            "numerator": num,
                            "denominator": den,
                            "source": CITATION,
                        }
                    )
                    continue
                yield (
                    ind.code,
                    place.id,
                    place.province,
                    period,
                    ends[period],
                    int(period[:4]),
                    value,
                    num,
                    den,
                    "approved",
                    CITATION,
                    1,
                    None,
                    f"{ind.code}:{place.code}:{period}",
                    "bench",
                    "bench",
                    stamp,
                    stamp,
                )


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA cache_size=-262144")
    return conn


def bulk_values(conn: sqlite3.Connection, rows) -> int:
    """Insert the rows; the secondary indexes are dropped first and built again after (faster
    than keeping them in order row by row, and the same indexes in the end)."""
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
        " AND tbl_name = 'indicator_values' AND sql IS NOT NULL"
    ).fetchall()
    count, batch = 0, []
    conn.execute("BEGIN")
    for name, _ in indexes:
        conn.execute(f"DROP INDEX {name}")
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            conn.executemany(INSERT_VALUE, batch)
            count += len(batch)
            batch = []
    conn.executemany(INSERT_VALUE, batch)
    for _, sql in indexes:
        conn.execute(sql)
    conn.execute("COMMIT")
    return count + len(batch)


def build_rollups(conn: sqlite3.Connection) -> dict[str, int]:
    """Every rollup row from the approved values, as ``rollups.refresh`` keeps them."""
    from ioc57.indicators.catalogue import catalogue

    conn.execute("DROP TABLE IF EXISTS temp.bench_factors")
    conn.execute("CREATE TEMP TABLE bench_factors (indicator TEXT PRIMARY KEY, factor REAL)")
    conn.executemany(
        "INSERT INTO bench_factors VALUES (?, ?)",
        [(i.code, i.factor or 1.0) for i in catalogue().indicators],
    )
    conn.execute("DROP TABLE IF EXISTS temp.bench_ancestors")
    conn.execute(ANCESTORS_SQL)
    conn.execute("CREATE INDEX temp.bench_ancestors_unit ON bench_ancestors (unit_id)")
    conn.execute("BEGIN")
    conn.execute("DELETE FROM indicator_rollups")
    own = conn.execute(OWN_SQL).rowcount
    below = conn.execute(BELOW_SQL).rowcount
    conn.execute("COMMIT")
    return {"own": own, "below": below}


def read_rollups(conn: sqlite3.Connection) -> dict[tuple, tuple]:
    return {
        r[:4]: r[4:]
        for r in conn.execute(f"SELECT {ROLLUP_COLUMNS} FROM indicator_rollups WHERE n != 0")
    }


def same(a: tuple | None, b: tuple | None) -> bool:
    if a is None or b is None:
        return False
    for x, y in zip(a, b, strict=True):
        if isinstance(x, float) or isinstance(y, float):
            if not math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-6):
                return False
        elif x != y:
            return False
    return True


# -- 1. the rollups built in bulk equal the gate's -----------------------------------------------


def rollup_check(path: Path, indicators) -> dict:
    """Observations through the real gate (rollups.refresh), then the bulk SQL on the same values."""
    from ioc57 import modules
    from ioc57.core.clock import today
    from ioc57.core.periods import parse_period

    modules.load()
    raw_path = path.with_name("raw-" + path.name)
    shutil.copy(path, raw_path)  # the raw baseline's fresh database
    conn = sqlite3.connect(path)
    provinces, communes = current_units(conn, "4")
    conn.close()
    provinces = [p for p in provinces if p.code in ("82", "01", "79")]
    communes = [c for c in communes if c.province in ("82", "01", "79")]
    day = today()
    months = [
        (y, m)
        for y in range(2025, day.year + 1)
        for m in range(1, 13)
        if (2025, 7) <= (y, m) < (day.year, day.month)
    ]
    rng = random.Random(SEED)
    as_date, as_time = storage()
    stamp = as_time(datetime.now(UTC))
    rows, raw = [], []  # the records, and the same values as rows of indicator_values
    for place in provinces + communes:
        for ind in indicators:
            if place in communes and (ind.aggregation == "none" or ind.kind == "rank"):
                continue
            model = Model.of(ind, place in communes)
            if ind.period_type == "month":
                codes = [(f"{y}{m:02d}", y - 2025 + (m - 1) / 12) for y, m in months]
            else:
                codes = [(str(y), float(y - 2025)) for y in range(2025, day.year)]
            for period, t in codes:
                if ind.kind == "rank":
                    value, num, den = float(rng.randint(1, 34)), None, None
                else:
                    value, num, den = model.observe(rng, 1.0, rng.uniform(-0.5, 0.5), t)
                if num is not None:
                    roll = rng.random()
                    if roll < 0.3:
                        value = None  # numerator and denominator only
                    elif roll < 0.45:
                        num = den = None  # given only as a percentage
                record = {"indicator": ind.code, "unit": place.code, "period": period}
                record |= {"source": CITATION, "value": value}
                record |= {"numerator": num, "denominator": den}
                rows.append({k: v for k, v in record.items() if v is not None})
                end = as_date(parse_period(period).end)
                raw.append(
                    (ind.code, place.id, place.province, period, end, int(period[:4]), value)
                    + (num, den, "approved", CITATION, 1, None, f"{ind.code}:{place.code}:{period}")
                    + ("bench", "bench", stamp, stamp)
                )
    fresh = path.with_name("fresh-" + path.name)
    shutil.copy(path, fresh)  # each run of the gate starts from the same fresh database
    runs, units_s = [], 0.0
    for run in range(CHECK_RUNS):
        at = path if run == 0 else path.with_name(f"run{run}-" + path.name)
        if run:
            shutil.copy(fresh, at)
        os.sync()  # the copies written to disk before, not while the gate writes
        gc.collect()
        seconds, units_s, answer = through_gate(at, rows, [p.code for p in provinces], day)
        runs.append(seconds)
        if run:
            at.unlink()
    fresh.unlink()
    gate_s = statistics.median(runs)
    raw_conn = connect(raw_path)
    started = time.perf_counter()
    raw_conn.execute("BEGIN")
    raw_conn.executemany(INSERT_VALUE, raw)
    raw_conn.execute("COMMIT")
    raw_s = time.perf_counter() - started
    raw_conn.close()
    raw_path.unlink()
    if answer["rejected"]:
        raise SystemExit(f"the check's observations were rejected: {answer['rejected'][:3]}")
    conn = connect(path)
    by_gate = read_rollups(conn)
    build_rollups(conn)
    by_sql = read_rollups(conn)
    conn.close()
    differ = [k for k in by_gate.keys() | by_sql.keys() if not same(by_gate.get(k), by_sql.get(k))]
    if differ:
        for key in differ[:5]:
            print(
                f"# differs {key}: gate {by_gate.get(key)} sql {by_sql.get(key)}", file=sys.stderr
            )
        raise SystemExit(f"the bulk rollups differ from the gate's in {len(differ)} rows")
    return {
        "observations": answer["accepted"],
        "rollup_rows": len(by_gate),
        "below_rows": sum(1 for k in by_gate if k[3] == "below"),
        "equal": True,
        "units_load_s": round(units_s, 2),  # not in gate_s
        # each run on its own copy of the fresh database; the median, on a machine whose
        # neighbours make one run take up to half as long again as the next
        "gate_s_runs": [round(r, 3) for r in runs],
        "gate_s": round(gate_s, 3),
        "values_per_s": round(answer["accepted"] / gate_s),  # reported values through the gate
        # the same values as rows of indicator_values, with one executemany (its indexes kept)
        "raw_values_per_s": round(len(raw) / raw_s),
        "ratio_to_raw": round(raw_s / gate_s, 3),
    }


def through_gate(path: Path, rows: list[dict], units: list[str], day) -> tuple[float, float, dict]:
    """``rows`` pushed through the real gate in-process on the database at ``path``, as one
    request: its time, the time of the once-per-process load of the units, and its answer."""
    from ioc57.core.db import make_engine
    from ioc57.core.events import EventBus
    from ioc57.ingest.gate import Gate
    from ioc57.ingest.sources import as_source, create_source, get_row, source_principal

    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as c:
        create_source(
            c,
            actor="bench",
            name="bench-check",
            types=["observation"],
            units=units,
            today=day,
            trusted=True,
            simulated=True,
        )
        row = get_row(c, "bench-check")
        source, principal = as_source(c, row, day), source_principal(c, row)
    gate = Gate(engine, EventBus())
    started = time.perf_counter()
    gate.cache.reload()  # once per process: a server's gate has its units in memory already
    units_s = time.perf_counter() - started
    started = time.perf_counter()
    result = gate.ingest(
        source, "observation", list(enumerate(rows)), principal=principal, via="push", actor="bench"
    )
    gate_s = time.perf_counter() - started
    engine.dispose()
    return gate_s, units_s, result.answer()


# -- 3. the anchor: observations through the API show in the scorecard ------------------------


def expected_value(conn: sqlite3.Connection, ind, province: Place, year: int) -> float | None:
    """The province's yearly value of a flow indicator, from the raw values with plain SQL:
    its own values if it has any, else the sum over its communes (ratio of the sums)."""
    for where in ("unit_id = ?", "unit_id IN (SELECT id FROM units WHERE parent_id = ?)"):
        n, total, num, den = conn.execute(
            "SELECT count(*), total(value), total(numerator), total(denominator)"
            f" FROM indicator_values WHERE indicator = ? AND year = ? AND status = 'approved'"
            f" AND {where}",
            (ind.code, year, province.id),
        ).fetchone()
        if n:
            return num / den * (ind.factor or 1) if ind.aggregation == "ratio" else total
    return None


def anchor(client, token: str, db: Path, plan: dict, province: Place, year: int) -> dict:
    def card() -> dict:
        r = client.get("/api/v1/scorecard", params={"unit": province.code, "year": year})
        r.raise_for_status()
        return {i["indicator"]: i for i in r.json()["items"]}

    before = card()
    r = client.post(
        "/api/v1/observations",
        json=plan["observations"],
        headers={"Authorization": f"Bearer {token}"},
        timeout=120,
    )
    r.raise_for_status()
    answer = r.json()
    if answer["accepted"] != len(plan["observations"]) or answer["rejected"]:
        raise SystemExit(f"the anchor was not accepted whole: {answer}")
    after = card()
    conn = sqlite3.connect(db)
    checked = {}
    for ind in plan["indicators"]:
        want = expected_value(conn, ind, province, year)
        got = after[ind.code]["value"]
        if want is None or got is None or not math.isclose(got, want, rel_tol=1e-9):
            raise SystemExit(f"{ind.code}: the scorecard shows {got}, the raw values give {want}")
        if before[ind.code]["value"] == got:
            raise SystemExit(f"{ind.code}: the scorecard did not change with the anchor")
        compared = client.get(f"/api/v1/indicators/{ind.code}/compare", params={"year": year})
        mine = next(i for i in compared.json()["items"] if i["code"] == province.code)
        if not math.isclose(mine["value"], got, rel_tol=1e-9):
            raise SystemExit(f"{ind.code}: the comparison shows {mine['value']}, not {got}")
        checked[ind.code] = {
            "before": before[ind.code]["value"],
            "after": got,
            # every bulk value is simulated: the tile should say so (dữ liệu mô phỏng)
            "simulated_shown": after[ind.code]["simulated"],
        }
    conn.close()
    return {"observations": answer["accepted"], "province": province.code, "checked": checked}


def anchor_plan(indicators, commune_mode, province: Place, communes, year: int) -> dict:
    """A few hundred points left out of the bulk load: July–December of ``year`` (current units
    exist from 2025-07-01), for one sum and one ratio reported by communes and one flow reported
    by the province."""
    flows = [i for i in indicators if i.period_type == "month" and not i.stock]
    picked = [
        next((i for i in flows if by_commune(i, commune_mode) and i.aggregation == a), None)
        for a in ("sum", "ratio")
    ]
    picked.append(next((i for i in flows if not by_commune(i, commune_mode)), None))
    picked = [i for i in picked if i is not None]
    mine = [c for c in communes if c.province == province.code][:ANCHOR_COMMUNES]
    skip = set()
    for ind in picked:
        places = mine if by_commune(ind, commune_mode) else [province]
        for place in places:
            skip.update((ind.code, place.id, f"{year}{m:02d}") for m in range(7, 13))
    return {"indicators": picked, "skip": skip, "observations": []}


# -- 4. the timings -----------------------------------------------------------------------------


def time_http(client, runs: int, requests: list[tuple[str, dict]]) -> list[float]:
    for url, params in requests:  # warm up
        client.get(url, params=params).raise_for_status()
    out = []
    for k in range(runs):
        url, params = requests[k % len(requests)]
        start = time.perf_counter()
        r = client.get(url, params=params)
        out.append(time.perf_counter() - start)
        if r.status_code != 200:
            raise SystemExit(f"{url} {params}: {r.status_code} {r.text[:300]}")
    return out


def time_calls(runs: int, calls: list) -> list[float]:
    for call in calls:
        call()
    out = []
    for k in range(runs):
        start = time.perf_counter()
        calls[k % len(calls)]()
        out.append(time.perf_counter() - start)
    return out


def in_list(ids) -> str:
    return ",".join(str(int(i)) for i in ids)


def profile_scorecard(conn, unit, year: int, calls: int = 3) -> dict:
    """cProfile of ``scorecard()``: the full listing to stderr, the scorecard module's functions
    (cumulative ms per call of scorecard) in the answer."""
    import cProfile
    import pstats

    from ioc57.indicators.scorecard import scorecard

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        scorecard(conn, unit, year)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(35)
    mine = {}
    for (file, _, name), (_, ncalls, _, cumulative, _) in stats.stats.items():
        if file.endswith(("indicators/scorecard.py", "indicators/aggregate.py", "progress.py")):
            mine[name] = {"calls": ncalls // calls, "cum_ms": ms(cumulative / calls)}
    return dict(sorted(mine.items(), key=lambda kv: -kv[1]["cum_ms"])[:10])


# -- main ---------------------------------------------------------------------------------------


def main() -> None:
    started = time.perf_counter()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--last-year", type=int, default=None, help="default: last year")
    parser.add_argument("--communes", default="all", help="all, or N per province")
    parser.add_argument("--commune-level", choices=("curated", "month"), default="curated")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--province", default="82", help="the anchor's province")
    parser.add_argument("--compare", type=int, default=5, help="indicators the comparison rotates")
    parser.add_argument("--no-check", action="store_true", help="skip the rollup check")
    parser.add_argument(
        "--check-only",
        action="store_true",
        help="only the rollup check: reported values through the gate (values_per_s)",
    )
    parser.add_argument("--profile", action="store_true", help="cProfile scorecard() to stderr")
    parser.add_argument("--keep", default=None, help="a directory to keep the database in")
    args = parser.parse_args()
    if args.communes != "all" and not args.communes.isdigit():
        parser.error("--communes takes 'all' or a number")
    from ioc57.core.clock import today

    last = args.last_year or today().year - 1
    if not 2025 <= last < today().year:
        parser.error(
            "--last-year must be 2025 or later and before this year (the anchor's periods)"
        )
    years = list(range(last - args.years + 1, last + 1))

    tmp = Path(args.keep or tempfile.mkdtemp(prefix="ioc57-scorecard-"))
    tmp.mkdir(parents=True, exist_ok=True)
    for old in tmp.glob("*.db*"):
        old.unlink()
    db = tmp / "ioc57.db"
    url = f"sqlite:///{db}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC57_")}
    env |= {"IOC57_DATABASE_URL": url, "IOC57_SECRET_KEY": "bench-secret-key-57"}
    env |= {"IOC57_ADMIN_PASSWORD": ADMIN_PASSWORD, "IOC57_PULL_SCHEDULER": "0"}
    try:
        ioc57(env, "init")
        token = ioc57(env, "token", "create", "--user", "admin").strip().splitlines()[-1]
        indicators = choose_indicators(args.indicators)

        # 1. the bulk rollups equal those the gate keeps
        check = None
        if not args.no_check:
            shutil.copy(db, tmp / "check.db")
            check = rollup_check(tmp / "check.db", indicators)
            (tmp / "check.db").unlink()
        if args.check_only:
            print(json.dumps({"rollup_check": check}, indent=2))
            return

        # 2. the bulk load
        conn = connect(db)
        provinces, communes = current_units(conn, args.communes)
        province = next(p for p in provinces if p.code == args.province)
        plan = anchor_plan(indicators, args.commune_level, province, communes, last)
        t0 = time.perf_counter()
        rows = value_rows(
            indicators,
            args.commune_level,
            provinces,
            communes,
            years,
            plan["skip"],
            plan["observations"],
        )
        n_values = bulk_values(conn, rows)
        t1 = time.perf_counter()
        rollups = build_rollups(conn)
        t2 = time.perf_counter()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()

        # 3. the server and the anchor
        base, server = start_server(env, tmp / "serve.log")
        try:
            with httpx.Client(base_url=base, timeout=60) as client:
                anchored = anchor(client, token, db, plan, province, last)
                cards = [("/api/v1/scorecard", {"unit": p.code, "year": last}) for p in provinces]
                http_card = time_http(client, args.runs, cards)
                compared_inds = pick_compare(indicators, args.commune_level, args.compare)
                compares = [
                    (f"/api/v1/indicators/{i.code}/compare", {"year": last}) for i in compared_inds
                ]
                http_compare = time_http(client, args.runs, compares)
        finally:
            stop_server(server)

        conn = sqlite3.connect(db)
        sizes = {
            "indicator_values": conn.execute("SELECT count(*) FROM indicator_values").fetchone()[0],
            "indicator_rollups": conn.execute("SELECT count(*) FROM indicator_rollups").fetchone()[
                0
            ],
        }
        conn.close()

        # the same in-process, without HTTP; and the raw SELECTs
        py = in_process(url, provinces, compared_inds, last, args.runs, args.profile)
        raw = raw_baseline(db, py["related"], py["all_related"], compared_inds, last, args.runs)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    data = {
        "path": "data (sqlite, bulk executemany + INSERT…SELECT rollups)",
        "indicators": len(indicators),
        "indicators_by_commune": sum(by_commune(i, args.commune_level) for i in indicators),
        "years": f"{years[0]}-{years[-1]}",
        "provinces": len(provinces),
        "communes": len(communes),
        "communes_per_province": args.communes,
        "rows": sizes,
        "rollup_rows_built": rollups,
        "load_values_s": round(t1 - t0, 1),
        "values_per_s": round(n_values / (t1 - t0)),
        "build_rollups_s": round(t2 - t1, 1),
        "rollup_check": check,
        "anchor": anchored,
    }
    card_raw, compare_raw = raw["scorecard"], raw["compare"]
    lines = [
        data,
        {
            "path": "GET /api/v1/scorecard?unit=&year= (sqlite, uvicorn, loopback)",
            "n": args.runs,
            "units": "the 34 provinces in turn",
            "year": last,
            **spread(http_card),
            "raw": "SELECT of the rollup rows it needs (the province's years, every province's "
            "year for the ranks), sqlite3, same run",
            "raw_rows": card_raw["rows"],
            "raw_p50_ms": ms(statistics.median(card_raw["s"])),
            "ratio_to_raw": round(percentile(http_card, 50) / statistics.median(card_raw["s"]), 1),
            "goal_ms": 100,
        },
        {
            "path": "scorecard() in-process (no HTTP)",
            "n": args.runs,
            **spread(py["card"]),
            "without_rank_p50_ms": ms(percentile(py["card_no_rank"], 50)),
            "sql_statements_per_call": py["statements_card"],
            "ratio_to_raw": round(percentile(py["card"], 50) / statistics.median(card_raw["s"]), 1),
            "http_overhead_p50_ms": ms(percentile(http_card, 50) - percentile(py["card"], 50)),
        },
        {
            "path": "GET /api/v1/indicators/{code}/compare?year= (sqlite, uvicorn, loopback)",
            "n": args.runs,
            "indicators": [i.code for i in compared_inds],
            **spread(http_compare),
            "raw": "SELECT of the indicator's rollup rows of every province over the years "
            "(the statuses read them), sqlite3, same run",
            "raw_rows": compare_raw["rows"],
            "raw_p50_ms": ms(statistics.median(compare_raw["s"])),
            "ratio_to_raw": round(
                percentile(http_compare, 50) / statistics.median(compare_raw["s"]), 1
            ),
            "goal_ms": 300,
        },
        {
            "path": "compare() in-process (no HTTP)",
            "n": args.runs,
            **spread(py["compare"]),
            "sql_statements_per_call": py["statements_compare"],
            "ratio_to_raw": round(
                percentile(py["compare"], 50) / statistics.median(compare_raw["s"]), 1
            ),
        },
    ]
    if args.profile:
        lines.append({"path": "profile of scorecard() (cProfile, per call)", **py["profile"]})
    lines.append({"path": "whole run", "seconds": round(time.perf_counter() - started, 1)})
    for line in lines:
        print(json.dumps(line, ensure_ascii=False), flush=True)


def pick_compare(indicators, commune_mode: str, count: int) -> list:
    """Indicators of different shapes: by commune (sum, ratio, stock), by province, yearly."""
    kinds = [
        lambda i: by_commune(i, commune_mode) and i.aggregation == "sum" and not i.stock,
        lambda i: by_commune(i, commune_mode) and i.aggregation == "ratio" and not i.stock,
        lambda i: by_commune(i, commune_mode) and i.stock,
        lambda i: not by_commune(i, commune_mode) and i.period_type == "month",
        lambda i: i.period_type == "year",
    ]
    picked = []
    for test in kinds:
        found = next((i for i in indicators if test(i) and i not in picked), None)
        if found is not None:
            picked.append(found)
    picked += [i for i in indicators if i not in picked]
    return picked[: max(1, count)]


def in_process(url, provinces, compared_inds, year, runs, profile) -> dict:
    import inspect

    from sqlalchemy import event

    from ioc57 import modules
    from ioc57.core.clock import today
    from ioc57.core.db import make_engine
    from ioc57.indicators.scorecard import compare, province_relatives, related_units, scorecard
    from ioc57.units.queries import unit_at

    modules.load()  # the computed indicators, as in the server
    # what the endpoint calls: the comparison with each province's status where it has it
    extra = {"with_status": True} if "with_status" in inspect.signature(compare).parameters else {}
    engine = make_engine(url)
    statements = [0]

    def count(*_args) -> None:
        statements[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    out = {}
    with engine.connect() as conn:
        units = [unit_at(conn, p.code, today()) for p in provinces]
        out["card"] = time_calls(runs, [lambda u=u: scorecard(conn, u, year) for u in units])
        out["card_no_rank"] = time_calls(
            runs, [lambda u=u: scorecard(conn, u, year, with_rank=False) for u in units]
        )
        out["compare"] = time_calls(
            runs, [lambda i=i: compare(conn, i, year, **extra) for i in compared_inds]
        )
        statements[0] = 0
        scorecard(conn, units[0], year)
        out["statements_card"] = statements[0]
        statements[0] = 0
        compare(conn, compared_inds[0], year, **extra)
        out["statements_compare"] = statements[0]
        out["related"] = {u.code: [r.id for r in related_units(conn, u)] for u in units}
        out["all_related"] = [r.id for _, rel in province_relatives(conn, year) for r in rel]
        if profile:
            out["profile"] = profile_scorecard(conn, units[0], year)
    engine.dispose()
    return out


def raw_baseline(db, related, all_related, compared_inds, year, runs) -> dict:
    """The plain SELECTs of the rollup rows each endpoint needs, with the sqlite3 module."""
    from ioc57.indicators.scorecard import FIRST_YEAR

    conn = sqlite3.connect(db)
    everyone = in_list(all_related)

    def card(ids) -> int:
        mine = conn.execute(
            f"SELECT * FROM indicator_rollups WHERE unit_id IN ({in_list(ids)})"
            " AND year BETWEEN ? AND ?",
            (FIRST_YEAR, year),
        ).fetchall()
        ranks = conn.execute(
            f"SELECT * FROM indicator_rollups WHERE unit_id IN ({everyone}) AND year = ?", (year,)
        ).fetchall()
        return len(mine) + len(ranks)

    def one(ind) -> int:
        return len(
            conn.execute(
                "SELECT * FROM indicator_rollups WHERE indicator = ?"
                f" AND unit_id IN ({everyone}) AND year BETWEEN ? AND ?",
                (ind.code, FIRST_YEAR, year),
            ).fetchall()
        )

    cards = [lambda ids=ids: card(ids) for ids in related.values()]
    ones = [lambda i=i: one(i) for i in compared_inds]
    out = {
        "scorecard": {"s": time_calls(runs, cards), "rows": cards[0]()},
        "compare": {"s": time_calls(runs, ones), "rows": ones[0]()},
    }
    conn.close()
    return out


if __name__ == "__main__":
    main()
