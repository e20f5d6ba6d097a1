"""Citizen reports at scale: the IOC panel's figures and the public list's first page over a
province's two years of reports, and the intake of new ones, each against a raw baseline.

Goals (issue 11): with 1,000,000 reports over two years, the IOC panel's figures for a province
in ≤ 100 ms and the public list's first page in ≤ 100 ms, each against a raw SQL baseline in the
same run; intake of a report through the public form and through Open311 at ≥ 200 reports/s.

What it does, in one run:

1. ``--n`` reports of province 82 over the two years up to today, written as NDJSON and loaded
   through the gate's file import (``ioc57.ingest.fileimport.import_file``, what ``ioc57 import``
   does) into a database built once and kept (``--cache``; ``--rebuild``): received in order at
   the communes in force on the day (Tiền Giang's before 2025-07-01, the merged Đồng Tháp's
   after), the simulator's texts, each as it stands today — most closed after a published answer
   and a rating, about one in twelve answered late, the last weeks' still open (some past their
   deadline), a few refused or merged.
2. The panel's figures for the province as ``/api/v1/feedback/stats`` gives them
   (``panel_data.figures`` over ``stats``: totals, by agency, by month, by each of its 102
   communes, the reports open and late now) over the panel's default span (the last 12 months)
   and over the two years, p50/p95 of ``--runs``; the raw baseline: one GROUP BY over
   ``feedback_reports`` (commune, agency, month) for the same counts, and one count of the open.
3. The public list's first page as ``/api/v1/feedback/public`` reads it
   (``published.published_page``: the published answers, newest first, 20 a page, in the public
   shape, with their total), against the bare SELECT of the same 20 rows.
4. Intake through a real ``ioc57 serve`` on the loaded database (the intake rate limit raised by
   ``IOC57_FEEDBACK_INTAKE_PER_HOUR``): ``--intake`` reports over ``--clients`` concurrent
   clients through each of the operator's ``POST /api/v1/feedback/reports``, the public form
   ``POST /phan-anh`` and Open311's ``POST /open311/v2/requests.json``; reports/s. A path whose
   module is not there yet is listed in ``missing``.

Prints one JSON object; progress on stderr.

Usage: .venv/bin/python bench/feedback.py [--n 1000000] [--runs 30] [--intake 2000]
       [--clients 8] [--backend sqlite|postgresql] [--database-url URL] [--cache DIR] [--rebuild]
(without --database-url, the postgresql backend starts a throw-away server as the tests do)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
from common import (
    Databases,
    add_kept_data_options,
    analyze,
    backend_of,
    goal,
    ioc57,
    kept_data_name,
    log,
    ms,
    percentile,
    start_server,
    stop_server,
    timed,
)

SOURCE = "bench-1022"
PROVINCE = "82"
VERSION = 1  # of the generator: a change builds the kept data again
PAGE = 20
SWITCH = date(
    2025, 7, 1
)  # the 2025 reorganisation: Tiền Giang's communes before, Đồng Tháp's after


# -- the data -----------------------------------------------------------------------------------


def prepare(conn) -> None:
    """The template's demo agencies (the routes' answerers) and their routes."""
    from ioc57.core.clock import today
    from ioc57.units.demo import load_demo_agencies

    load_demo_agencies(conn, today())


def communes(url: str) -> tuple[list[str], list[str]]:
    """Codes of province 82's communes before and since 2025-07-01."""
    from sqlalchemy import select

    from ioc57.core.db import make_engine
    from ioc57.units.tables import units

    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(units.c.code, units.c.valid_to).where(
                units.c.province_code == PROVINCE, units.c.level == "commune"
            )
        ).all()
    engine.dispose()
    before = sorted(code for code, valid_to in rows if valid_to is not None)
    since = sorted(code for code, valid_to in rows if valid_to is None)
    return before, since


def generate(path: Path, n: int, before: list[str], since: list[str], end: datetime) -> None:
    """``n`` reports received in order over the two years up to ``end``, each as it stands."""
    from ioc57.core.clock import LOCAL_TZ
    from ioc57.core.workdays import add_working_days
    from ioc57.feedback.categories import categories
    from ioc57.feedback.simulation import ANSWERS, CATEGORIES, HAMLETS, ROUTES

    rng = random.Random(57)
    limits = {code: c.deadlines["answer"] for code, c in categories().items()}
    start = end - timedelta(days=730)
    switch = datetime.combine(SWITCH, datetime.min.time(), LOCAL_TZ)
    span = (end - start).total_seconds()
    kinds = list(CATEGORIES)
    with path.open("wb") as out:
        for i in range(n):
            received = start + timedelta(seconds=span * (i + rng.random()) / n)
            unit = rng.choice(before if received < switch else since)
            kind = rng.choice(kinds)
            hamlet = rng.choice(HAMLETS)
            record: dict[str, Any] = {
                "id": f"PA82-{i:08d}",
                "channel": rng.choices(("phone", "web", "zalo", "app"), (50, 20, 20, 10))[0],
                "received_at": received.isoformat(timespec="seconds"),
                "category": kind,
                "text": rng.choice(CATEGORIES[kind]).format(place=f"{hamlet}, xã {unit}"),
                "unit": unit,
                "status": "received",
                "about_procedure": kind == "thu-tuc-hanh-chinh",
                "repeated": rng.random() < 0.05,
                "contact": {"phone": f"09{rng.randrange(10**8):08d}"},
            }
            roll = rng.random()
            at = received + timedelta(hours=rng.uniform(1, 30))
            if roll < 0.03:
                record.update(status="refused", note="Không thuộc thẩm quyền.")
            elif roll < 0.045 and i:
                record.update(status="merged", duplicate_of=f"PA82-{i - 1:08d}")
            else:
                record["agency"] = f"{ROUTES[kind]}-{PROVINCE}"
                late = rng.random() < 0.08
                days = limits[kind] + rng.randint(1, 10) if late else rng.randint(1, limits[kind])
                answered = add_working_days(received, days) + timedelta(hours=rng.uniform(0, 3))
                if answered >= end:
                    record["status"] = rng.choice(("forwarded", "in_progress", "info_requested"))
                else:
                    at = answered
                    record.update(
                        status="answered",
                        answered_at=answered.isoformat(timespec="seconds"),
                        answer=ANSWERS.get(kind, ANSWERS["do-thi"]).format(commune=f"xã {unit}"),
                    )
                    published = add_working_days(answered, rng.randint(0, 2))
                    if published < end and rng.random() < 0.75:
                        at = published
                        record.update(
                            status="published", published_at=published.isoformat(timespec="seconds")
                        )
                    rated = at + timedelta(days=rng.uniform(1, 10))
                    if rated < end and rng.random() < 0.9:
                        at = rated
                        satisfied = rng.random() < 0.88
                        record.update(
                            status="closed",
                            satisfaction="satisfied" if satisfied else "unsatisfied",
                        )
            record["updated_at"] = min(at, end).isoformat(timespec="seconds")
            out.write(orjson.dumps(record) + b"\n")


def build(url: str, n: int, tmp: Path, end: datetime) -> None:
    """The reports through the gate's file import, then fresh statistics for the planner."""
    from ioc57.core.access import LOCAL_ADMIN
    from ioc57.core.db import make_engine
    from ioc57.ingest.fileimport import import_file

    before, since = communes(url)
    data = tmp / f"reports-{n}.ndjson"
    started = time.perf_counter()
    generate(data, n, before, since, end)
    log(f"generated {n} reports in {time.perf_counter() - started:.1f} s")
    engine = make_engine(url)
    started = time.perf_counter()
    result = import_file(
        engine, data, source=SOURCE, type_name="feedback", principal=LOCAL_ADMIN, actor="bench"
    )
    seconds = time.perf_counter() - started
    log(f"imported {result.counts} in {seconds:.1f} s ({n / seconds:.0f} reports/s)")
    if result.counts["rejected"]:
        raise SystemExit(f"rejected: {result.counts}")
    analyze(engine)
    engine.dispose()
    data.unlink()


# -- the figures ----------------------------------------------------------------------------------


def span_of(today: date, months: int | None) -> tuple[date, date]:
    """The panel's default span (the ``months`` months up to today, from the first day of the
    oldest), or the two years up to today."""
    if months is None:
        return today - timedelta(days=730), today
    first = today.year * 12 + today.month - months
    return date(first // 12, first % 12 + 1, 1), today


def panel(conn, province, start: date, end: date, today: date) -> dict:
    """The panel's figures for the province as its API gives them (``panel_data.figures``: the
    totals, by agency, by commune and by month from the rollups, the open and late now)."""
    from ioc57.feedback.panel_data import figures

    got = figures(conn, province, start, end, ("agency", "unit", "month"), today)
    totals = got["totals"]
    return {
        "received": totals["received"],
        "answered": totals["answered"],
        "on_time_rate": round(totals["on_time_rate"] or 0, 4),
        "satisfaction_rate": round(totals["satisfaction_rate"] or 0, 4),
        "agencies": len(got["by_agency"]),
        "months": len(got["by_month"]),
        "communes_with_reports": sum(1 for u in got["by_unit"] if u["received"]),
        **got["now"],
    }


def _utc(day: date, backend: str) -> datetime | str:
    """The start of a Vietnamese day as the reports' times are stored (SQLite: UTC text)."""
    from datetime import UTC, time

    from ioc57.core.clock import LOCAL_TZ

    at = datetime.combine(day, time(), LOCAL_TZ).astimezone(UTC)
    return at.replace(tzinfo=None).isoformat(" ") if backend == "sqlite" else at


OPEN = "('received','forwarded','in_progress','info_requested','reopened','answered')"


def raw_panel(conn, start: date, end: date, today: date) -> dict:
    """The same counts by one GROUP BY over the reports (commune, agency, month of receipt) and
    one count of the open: no rollups, no Python."""
    from sqlalchemy import text

    backend = conn.dialect.name
    month = (
        "strftime('%Y%m', received_at)"
        if backend == "sqlite"
        else "to_char(received_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYYMM')"
    )
    rows = conn.execute(
        text(
            f"SELECT unit_id, agency_id, {month} AS month, count(*), count(answered_at),"
            " sum(CASE WHEN on_time THEN 1 ELSE 0 END), count(published_at),"
            " sum(CASE WHEN satisfaction = 'satisfied' THEN 1 ELSE 0 END),"
            " sum(CASE WHEN satisfaction = 'unsatisfied' THEN 1 ELSE 0 END)"
            " FROM feedback_reports WHERE province_code = :p"
            " AND received_at >= :since AND received_at < :until GROUP BY 1, 2, 3"
        ),
        {
            "p": PROVINCE,
            "since": _utc(start, backend),
            "until": _utc(end + timedelta(days=1), backend),
        },
    ).all()
    open_late = conn.execute(
        text(
            "SELECT count(*), sum(CASE WHEN due_on < :t THEN 1 ELSE 0 END) FROM feedback_reports"
            f" WHERE province_code = :p AND status IN {OPEN}"
        ),
        {"t": today.isoformat() if backend == "sqlite" else today, "p": PROVINCE},
    ).one()
    return {
        "received": sum(r[3] for r in rows),
        "answered": sum(r[4] for r in rows),
        "groups": len(rows),
        "open": open_late[0],
        "late": open_late[1] or 0,
    }


def public_page(conn) -> dict:
    """The public list's first page as the public page reads it (``published.published_page``:
    the published answers, newest first, in the public shape, with their total)."""
    from ioc57.feedback.published import published_page

    page = published_page(conn)
    return {"items": len(page.items), "total": page.total, "first": page.items[0]["id"]}


def raw_public_page(conn) -> dict:
    """The bare SELECT of the same first page (no count, no join, no shaping)."""
    from sqlalchemy import text

    rows = conn.execute(
        text(
            "SELECT record_id, category, status, received_at, published_at, text_public,"
            " answer_public, unit_id, agency_id, lat, lon FROM feedback_reports"
            " WHERE status IN ('published', 'closed') AND published_at IS NOT NULL"
            " ORDER BY published_at DESC, id DESC LIMIT :n"
        ),
        {"n": PAGE},
    ).all()
    return {"items": len(rows), "first": rows[0][0]}


def measured(call, runs: int) -> tuple[dict, Any]:
    """``timed`` (wall clock: p50, p95, max), and this process's CPU time per call (p50): on
    SQLite the database's work too, what a loaded machine does not stretch."""
    cpu: list[float] = []

    def counted():
        started = time.process_time()
        result = call()
        cpu.append(time.process_time() - started)
        return result

    figures, result = timed(counted, runs)
    return figures | {"cpu_p50_ms": ms(percentile(cpu[-runs:], 50))}, result


def queries_measured(url: str, runs: int) -> dict:
    """The panel (12 months, two years) and the public page, each with its raw baseline."""
    from ioc57.core.clock import today
    from ioc57.core.db import make_engine
    from ioc57.units.queries import unit_at

    engine = make_engine(url)
    day = today()
    out: dict[str, Any] = {}
    with engine.connect() as conn:
        province = unit_at(conn, PROVINCE, day)
        for name, months in (("panel_12_months", 12), ("panel_two_years", None)):
            start, end = span_of(day, months)
            figures, got = measured(lambda s=start, e=end: panel(conn, province, s, e, day), runs)
            raw, raw_got = measured(lambda s=start, e=end: raw_panel(conn, s, e, day), runs)
            out[name] = {
                "from": start.isoformat(),
                "to": end.isoformat(),
                **figures,
                "figures": got,
                "raw_group_by": {**raw, "figures": raw_got},
            }
        page, got = measured(lambda: public_page(conn), runs)
        raw, raw_got = measured(lambda: raw_public_page(conn), runs)
        out["public_first_page"] = {**page, "page": got, "raw_select": {**raw, "page": raw_got}}
    engine.dispose()
    return out


# -- intake through a real server -----------------------------------------------------------------

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
TEXT = "Mặt đường bị sụt lún, nhiều ổ gà nguy hiểm tại ấp 2, đề nghị sửa chữa sớm."


def intake_paths(base: str, token: str, key: str | None, places: list[tuple]) -> dict:
    """Per path: whether the server has it, and how one client files a report through it (given
    its ``httpx.Client`` and a serial number): True when filed."""

    def operator(client: httpx.Client, i: int) -> bool:
        code, _lat, _lon = places[i % len(places)]
        r = client.post(
            "/api/v1/feedback/reports",
            json={"category": "giao-thong", "text": TEXT, "unit": code,
                  "contact": {"phone": f"09{i:08d}"}},
            headers={"Authorization": f"Bearer {token}"},
        )  # fmt: skip
        return r.status_code == 201

    def form(client: httpx.Client, i: int) -> bool:
        csrf = getattr(client, "_csrf", None)
        if csrf is None:
            found = CSRF.search(client.get("/phan-anh").text)
            csrf = found.group(1) if found else ""
            client._csrf = csrf  # type: ignore[attr-defined]
        _code, lat, lon = places[i % len(places)]
        r = client.post(
            "/phan-anh",
            data={"csrf_token": csrf, "category": "giao-thong", "text": TEXT, "lat": str(lat),
                  "lon": str(lon), "phone": f"09{i:08d}", "trang_web": ""},
        )  # fmt: skip
        return r.status_code == 303

    def open311(client: httpx.Client, i: int) -> bool:
        _code, lat, lon = places[i % len(places)]
        r = client.post(
            "/open311/v2/requests.json",
            data={"api_key": key or "", "jurisdiction_id": PROVINCE, "service_code": "giao-thong",
                  "lat": str(lat), "long": str(lon), "description": TEXT},
        )  # fmt: skip
        return r.status_code in (200, 201)

    there = {
        "operator": True,
        "public_form": httpx.get(f"{base}/phan-anh", timeout=10).status_code == 200,
        "open311": key is not None
        and httpx.get(f"{base}/open311/v2/discovery.json", timeout=10).status_code == 200,
    }
    calls = {"operator": operator, "public_form": form, "open311": open311}
    return {name: calls[name] for name, ok in there.items() if ok}


def cpu_seconds(pid: int) -> float:
    """The CPU time a process has used (user and system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def filed_through(base: str, call, count: int, clients: int, server: int) -> dict:
    """``count`` reports through ``call`` over ``clients`` concurrent clients, once each client
    has filed one to warm up (not counted): reports/s, and reports per CPU second of the server
    (on SQLite its database's work too: a figure that a loaded machine does not lower)."""
    ready = threading.Barrier(clients + 1)

    def one_client(k: int) -> tuple[int, list[float]]:
        ok, seconds = 0, []
        with httpx.Client(base_url=base, timeout=60) as client:
            try:
                call(client, count + k)
            finally:
                ready.wait()
            for i in range(k, count, clients):
                started = time.perf_counter()
                ok += bool(call(client, i))
                seconds.append(time.perf_counter() - started)
        return ok, seconds

    with ThreadPoolExecutor(clients) as pool:
        running = [pool.submit(one_client, k) for k in range(clients)]
        ready.wait()
        started, cpu = time.perf_counter(), cpu_seconds(server)
        done = [r.result() for r in running]
        wall = time.perf_counter() - started
        cpu = cpu_seconds(server) - cpu
    seconds = [s for _ok, each in done for s in each]
    filed = sum(ok for ok, _each in done)
    return {
        "sent": count,
        "filed": filed,
        "warm_up": clients,
        "clients": clients,
        "seconds": round(wall, 2),
        "reports_per_s": round(filed / wall, 1),
        "reports_per_server_cpu_s": round(filed / cpu, 1) if cpu else None,
        "p50_ms": ms(percentile(seconds, 50)),
        "p95_ms": ms(percentile(seconds, 95)),
    }


def intake_measured(url: str, tmp: Path, count: int, clients: int) -> dict:
    """A real ``ioc57 serve`` on the loaded database; each path that exists, timed."""
    import subprocess

    from sqlalchemy import func, select

    from ioc57.accounts.service import create_token
    from ioc57.core.db import make_engine
    from ioc57.feedback.tables import reports
    from ioc57.units.tables import units

    engine = make_engine(url)
    with engine.begin() as conn:
        token = create_token(conn, actor="bench", username="admin", name="bench")
        places = [
            (r.code, r.lat, r.lon)
            for r in conn.execute(
                select(units.c.code, units.c.lat, units.c.lon).where(
                    units.c.province_code == PROVINCE,
                    units.c.level == "commune",
                    units.c.valid_to.is_(None),
                    units.c.lat.is_not(None),
                )
            )
        ]
    env = os.environ | {
        "IOC57_DATABASE_URL": url,
        "IOC57_SECRET_KEY": "bench-secret-key-57",
        "IOC57_FEEDBACK_INTAKE_PER_HOUR": "100000",
    }
    try:
        key: str | None = (
            ioc57(env, "open311", "key", "create", "bench-app").strip().splitlines()[-1]
        )
    except subprocess.CalledProcessError:
        key = None  # no Open311 yet
    base, server = start_server(env, tmp / "serve.log")
    out: dict[str, Any] = {}
    try:
        for name, call in intake_paths(base, token, key, places).items():
            with engine.connect() as conn:
                before = conn.execute(select(func.count()).select_from(reports)).scalar_one()
            out[name] = filed_through(base, call, count, clients, server.pid)
            with engine.connect() as conn:
                after = conn.execute(select(func.count()).select_from(reports)).scalar_one()
            out[name]["stored"] = after - before - clients  # less the warm-up
            log(f"intake {name}: {out[name]}")
    finally:
        stop_server(server)
        engine.dispose()
    served = (tmp / "serve.log").read_text(errors="replace")
    out["server_errors"] = served.count("Traceback")
    if out["server_errors"]:
        log(served[served.index("Traceback") :][:3000])
    return out


# -- the run --------------------------------------------------------------------------------------


def main() -> None:
    from ioc57 import modules
    from ioc57.core.clock import LOCAL_TZ, today

    modules.load()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="reports over two years")
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each query")
    parser.add_argument("--intake", type=int, default=2000, help="reports filed on each path")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients of intake")
    add_kept_data_options(parser, "feedback")
    args = parser.parse_args()
    backend = backend_of(args)
    tmp = Path(tempfile.mkdtemp(prefix="ioc57-bench-feedback-"))
    dbs = Databases(backend, tmp, args.database_url, SOURCE, ["feedback"], prepare)
    end = datetime.combine(today(), datetime.min.time(), LOCAL_TZ)
    built: dict[str, float] = {}

    def build_it(url: str) -> None:
        started = time.perf_counter()
        build(url, args.n, tmp, end)
        built["seconds"] = round(time.perf_counter() - started, 1)

    try:
        name = kept_data_name("feedback", VERSION, args.n, end.date())
        url = dbs.kept(name, args.cache, build_it, args.rebuild)
        log(f"the database of {args.n} reports: {'built' if dbs.built else 'kept'}")
        figures = queries_measured(url, args.runs)
        intake = intake_measured(url, tmp, args.intake, args.clients)
    finally:
        dbs.close()
        shutil.rmtree(tmp, ignore_errors=True)
    missing = [p for p in ("operator", "public_form", "open311") if p not in intake]
    paths = {k: v for k, v in intake.items() if isinstance(v, dict)}
    goals = {
        "panel_12_months_p95_le_100ms": goal(figures["panel_12_months"]["p95_ms"], 100),
        "panel_two_years_p95_le_100ms": goal(figures["panel_two_years"]["p95_ms"], 100),
        "public_first_page_p95_le_100ms": goal(figures["public_first_page"]["p95_ms"], 100),
    }
    for path, filed in paths.items():
        goals[f"intake_{path}_ge_200_per_s"] = goal(filed["reports_per_s"], 200, "above")
    result = {
        "backend": backend,
        "n": args.n,
        "built": {"in_this_run": bool(dbs.built), **built},
        **figures,
        "intake": intake,
        "missing": missing,
        "goals": goals,
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
