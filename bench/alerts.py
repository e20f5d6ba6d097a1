"""Alerts at scale: salinity stations reporting every minute under a few hundred rules, each figure
against a raw baseline of the same run.

Goals (issue 12): with 500 stations reporting every minute and 200 rules, the p95 time from a
reading's ingest answer to its alert firing, seen on the live stream, ≤ 1 s; the evaluation cost
per reading against a bare SQL read-and-compare of the same rows; one notification per channel
for one intrusion across 50 stations (grouping); the forecast's error at 24 h against the naive
baseline (the same hour yesterday) on held-out simulated days.

What it does, in one run:

1. A fresh database (``ioc57 init``: the schema, the real units; SQLite in a temporary folder,
   PostgreSQL on a throw-away server of its own with ``--backend postgresql``, or the database
   of ``--database-url``), a real ``ioc57 serve`` with the alerts' timings of the run (group wait,
   notify interval), a data source of ``reading`` records for province 82 (Đồng Tháp), and
   ``--stations`` stations spread over its communes (``POST /api/v1/stations``), each with a
   salinity threshold of its own (1 to 2.5 ‰).
2. ``--rules`` rules (``POST /api/v1/alert-rules``): the rule measured (``bench-salinity-own``: a
   reading above its station's own threshold fires at once), the intrusion rule of step 4, and
   one rule on each figure of the other modules (a source gone quiet, overdue tasks and dossiers,
   the 766 index, an indicator short of its target), and the rest of the kinds a district's
   operator writes, each scoped to one commune (about two a commune): the commune's own limit,
   the station's own held for five minutes (``for``) or kept firing two (``keep_firing_for``),
   "no data" for fifteen minutes.
3. ``--rounds`` rounds of one "minute" (``--minute-s`` seconds): every station sends its reading,
   ``--per-push`` readings a push, the pushes paced over the minute. In each round one station in
   ``CROSS_EVERY`` crosses its threshold (a value unique to the station and round) and last
   round's go back below, so the measured rule's alerts fire and resolve all along. A client
   reads ``GET /api/v1/stream``: for each crossing, the time from its push's answer to the
   ``alerts.changed`` event of its firing (p50, p95, max; an event that came before the answer
   counts 0 ms). Raw baseline of the same run: the same pushes' ``ingest.batch`` events (the gate
   and the stream without the rules), and the bare push round trip.
4. One intrusion across ``--intrusion`` stations: their salinity ramps past 8 ‰ within a few
   seconds (the rule ``bench-intrusion``, grouped by ``alertname``); two webhook channels
   (``POST /api/v1/alert-channels``) point at a local HTTP receiver. Counted: the messages each
   channel got after the group wait and as long again (goal: one each), and the alerts in them.
5. The server stopped, the evaluation cost in this process on the same database: ``--rounds``
   more rounds sent through the gate (no HTTP), each batch then evaluated as the evaluator does on
   its event (every rule on a figure of readings, for that batch, each in its transaction),
   against the raw baseline: one SELECT of the batch's rows of ``sensor_latest`` with their
   stations' thresholds, compared in Python with every such rule (its op, its threshold or the
   station's, its scope). Per reading, p50 over the batches; and one full scheduled round.
6. The forecast, in this process: ``--forecast-stations`` simulated stations (the sensors
   module's simulator), ``--forecast-days`` days of readings every 15 minutes with gaps (3 % of
   the hours and one 8-hour outage missing), the forecast's backtest on the last held-out days
   (the forecast module's ``backtest``): its mean absolute error at up to 24 h ahead against the
   same hour yesterday's, on the same hours.

``--quick`` runs every step on a tiny size in well under a minute (``tests/bench``). A part whose
module is not there yet is said so (``missing``). Prints one JSON object; progress on stderr.

Usage: .venv/bin/python bench/alerts.py [--stations 500] [--rules 200] [--rounds 5]
       [--minute-s 60] [--per-push 10] [--intrusion 50] [--group-wait-s 30]
       [--forecast-stations 8] [--forecast-days 28] [--held-out-days 7]
       [--backend sqlite|postgresql] [--database-url URL] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
from common import ROOT, StreamReader, goal, ioc57, log, ms, percentile, start_server, stop_server

SOURCE = "bench-sensors"
PROVINCE = "82"
MEASURED = "bench-salinity-own"
INTRUSION = "bench-intrusion"
INTRUSION_LIMIT = 8.0  # ‰: no station's ordinary reading comes near it
CROSS_EVERY = 5  # one station in five crosses its threshold each round
QUICK = {
    "stations": 20,
    "rules": 12,
    "rounds": 2,
    "minute_s": 3.0,
    "per_push": 4,
    "intrusion": 10,
    "group_wait_s": 2.0,
    "forecast_stations": 2,
    "forecast_days": 12,
    "held_out_days": 3,
}


# -- the stream ---------------------------------------------------------------------------------


class Subscriber(StreamReader):
    """Reads the stream: when each batch's ``ingest.batch`` arrived, and when each firing of the
    measured rule arrived (by station and value)."""

    def __init__(self, url: str, token: str) -> None:
        super().__init__(url, token, read_timeout=None)
        self.batches: dict[int, float] = {}
        self.firing: dict[tuple[str, float], float] = {}
        self.changes = 0
        self.gaps = 0

    def take(self, kind: str, text: str, arrived: float) -> None:
        data = orjson.loads(text)
        if kind == "ingest.batch":
            self.batches.setdefault(data["batch"], arrived)
        elif kind == "alerts.changed":
            self.changes += 1
            if data.get("rule") == MEASURED and data.get("state") == "firing":
                key = (data["labels"].get("station", ""), round(float(data["value"]), 3))
                self.firing.setdefault(key, arrived)
        elif kind == "stream.gap":
            self.gaps += data.get("dropped", 0)


# -- the world of the run -----------------------------------------------------------------------


@dataclass
class Station:
    code: str
    commune: str
    limit: float  # its own salinity threshold, ‰


@dataclass
class Push:
    batch: int
    sent: float
    answered: float
    crossing: list[tuple[str, float]] = field(default_factory=list)  # (station, value)


def communes_of(client: httpx.Client) -> list[dict[str, Any]]:
    r = client.get("/api/v1/units", params={"parent": PROVINCE, "limit": 1000})
    r.raise_for_status()
    return [u for u in r.json()["items"] if u["level"] == "commune"]


def make_stations(client: httpx.Client, auth: dict, communes: list[dict], count: int):
    stations = [
        Station(f"BENCH-{i:04d}", communes[i % len(communes)]["code"], 1.0 + (i % 4) * 0.5)
        for i in range(count)
    ]
    rng = random.Random(57)
    for start in range(0, count, 500):
        body = [
            {
                "code": s.code,
                "name": f"Trạm đo mặn {s.code}",
                "place": "Sông Tiền",
                "unit": s.commune,
                "lat": round(10.3 + rng.uniform(-0.2, 0.2), 4),
                "lon": round(106.3 + rng.uniform(-0.3, 0.3), 4),
                "metrics": ["salinity"],
                "thresholds": {"salinity": s.limit},
            }
            for s in stations[start : start + 500]
        ]
        r = client.post("/api/v1/stations", json=body, headers=auth)
        r.raise_for_status()
        assert not r.json()["rejected"], r.text
    return stations


def rule_bodies(count: int, communes: list[str]) -> list[dict[str, Any]]:
    """The measured rule, the intrusion rule, one rule on each other module's figure, and rules
    on the readings of the kinds an operator writes, ``count`` in all."""
    own = {"figure": "sensors.reading", "params": {"metric": "salinity"}}
    rules = [
        own
        | {
            "name": MEASURED,
            "title": "Salinity over the station's threshold",
            "threshold": None,
            "severity": "critical",
        },
        own
        | {
            "name": INTRUSION,
            "title": "Salt intrusion",
            "threshold": INTRUSION_LIMIT,
            "severity": "critical",
            "group_by": ["alertname"],
        },
        {
            "name": "bench-source-quiet",
            "title": "A source gone quiet",
            "kind": "nodata",
            "figure": "ingest.source_records",
            "nodata_after": "1h",
        },
        {
            "name": "bench-tasks-overdue",
            "title": "Overdue tasks",
            "figure": "tasks.overdue",
            "threshold": 0,
        },
        {
            "name": "bench-dossiers-overdue",
            "title": "Overdue dossiers",
            "figure": "services.overdue_dossiers",
            "threshold": 20,
        },
        {
            "name": "bench-766-low",
            "title": "Decision 766 index low",
            "figure": "services.index766",
            "op": "<",
            "threshold": 50,
        },
        {
            "name": "bench-indicator-short",
            "title": "Short of the target",
            "op": "<",
            "figure": "indicators.value",
            "params": {"indicator": "online_payment_rate"},
        },
    ]
    k = 0
    while len(rules) < count:
        # each scoped to one commune, as a district's operator writes them: a station is
        # watched by the rules of its commune and the province-wide ones
        scope = {"units": [communes[k % len(communes)]]}
        kind = k % 4
        if kind == 0:  # the commune's own limit, higher than its stations'
            body = own | scope | {"threshold": 4.0 + (k % 7) * 0.5}
        elif kind == 1:  # the station's own, once it has held for five minutes
            body = own | scope | {"threshold": None, "for": "5m"}
        elif kind == 2:  # the commune's stations gone quiet
            body = own | scope | {"kind": "nodata", "nodata_after": "15m"}
        else:  # the station's own, kept firing a while, with a team's label
            body = (
                own
                | scope
                | {
                    "threshold": None,
                    "op": ">=",
                    "keep_firing_for": "2m",
                    "labels": {"team": f"t{k % 10}"},
                }
            )
        name, title = f"bench-rule-{k:03d}", f"Bench rule {k}"
        rules.append(body | {"name": name, "title": title, "severity": "warning"})
        k += 1
    return rules[:count]


def reading(station: Station, value: float, at: datetime) -> dict[str, Any]:
    return {
        "station": station.code,
        "metric": "salinity",
        "value": value,
        "uom": "ppt",
        "observed_at": at.isoformat(timespec="milliseconds"),
    }


def value_in_round(i: int, station: Station, r: int) -> tuple[float, bool]:
    """Station ``i``'s value in round ``r``: above its threshold (a value unique to the round)
    one round in ``CROSS_EVERY``, well below it otherwise."""
    if (i + r) % CROSS_EVERY == 0:
        return round(station.limit * 1.5 + (r % 900) / 1000, 3), True
    return round(station.limit * (0.3 + 0.1 * ((i + r) % 3)), 3), False


def push_rounds(
    client: httpx.Client,
    headers: dict,
    stations: list[Station],
    rounds: int,
    minute_s: float,
    per_push: int,
    first_round: int = 0,
) -> list[Push]:
    """Every station's reading once a "minute", ``per_push`` a push, paced over the minute."""
    groups = [
        list(range(s, min(s + per_push, len(stations)))) for s in range(0, len(stations), per_push)
    ]
    interval = minute_s / len(groups)
    pushes: list[Push] = []
    start = time.perf_counter()
    for r in range(first_round, first_round + rounds):
        for g, group in enumerate(groups):
            target = start + (r - first_round) * minute_s + g * interval
            pause = target - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            at = datetime.now(UTC)
            body, crossing = [], []
            for i in group:
                value, crosses = value_in_round(i, stations[i], r)
                body.append(reading(stations[i], value, at))
                if crosses:
                    crossing.append((stations[i].code, value))
            sent = time.perf_counter()
            resp = client.post(
                "/api/v1/ingest/reading", content=orjson.dumps(body), headers=headers
            )
            answered = time.perf_counter()
            resp.raise_for_status()
            pushes.append(Push(resp.json()["batch"], sent, answered, crossing))
    return pushes


def latencies(pushes: list[Push], sub: Subscriber) -> dict[str, Any]:
    """From each crossing push's answer to its firing event; from each push's answer to its
    ``ingest.batch`` event (the raw path); the bare round trips."""
    fired, raw, early, missing = [], [], 0, 0
    for p in pushes:
        if p.batch in sub.batches:
            raw.append(max(0.0, sub.batches[p.batch] - p.answered))
        for key in p.crossing:
            arrived = sub.firing.get(key)
            if arrived is None:
                missing += 1
                continue
            early += arrived < p.answered
            fired.append(max(0.0, arrived - p.answered))
    trips = [p.answered - p.sent for p in pushes]

    def spread(values: list[float]) -> dict[str, Any]:
        if not values:
            return {"n": 0}
        return {
            "n": len(values),
            "p50_ms": ms(percentile(values, 50), 1),
            "p95_ms": ms(percentile(values, 95), 1),
            "max_ms": ms(max(values), 1),
        }

    return {
        "answer_to_firing": spread(fired) | {"early": early, "missing": missing},
        "raw_answer_to_batch_event": spread(raw),
        "raw_push_round_trip": spread(trips),
    }


# -- notifications ------------------------------------------------------------------------------


def intrusion(
    client: httpx.Client, admin: dict, source: dict, stations: list[Station], args, receiver
) -> dict[str, Any]:
    """Two channels on the intrusion rule; the salinity of ``args.intrusion`` stations ramps past
    the limit within seconds; the messages each channel got."""
    matchers = [{"name": "alertname", "op": "=", "value": INTRUSION}]
    for name in ("a", "b"):
        body = {
            "name": f"bench-{name}",
            "kind": "webhook",
            "target": f"{receiver.url}/{name}",
            "matchers": matchers,
        }
        r = client.post("/api/v1/alert-channels", json=body, headers=admin)
        if r.status_code == 404:
            return {"missing": "POST /api/v1/alert-channels"}
        r.raise_for_status()
    struck = stations[: args.intrusion]
    started = time.perf_counter()
    for value in (INTRUSION_LIMIT * 0.7, INTRUSION_LIMIT * 1.2, INTRUSION_LIMIT * 1.5):
        for s in range(0, len(struck), args.per_push):
            body = [
                reading(st, round(value, 2), datetime.now(UTC))
                for st in struck[s : s + args.per_push]
            ]
            client.post("/api/v1/ingest/reading", json=body, headers=source).raise_for_status()
        time.sleep(0.3)
    ramp_s = time.perf_counter() - started
    # the group waits, then is flushed within a notify interval; then as long again, quiet
    receiver.wait_for(2, timeout=args.group_wait_s + 15)
    time.sleep(args.group_wait_s + 3)
    got: dict[str, list[int]] = {"a": [], "b": []}
    for request in receiver.requests:
        body = orjson.loads(request.body)
        firing = [a for a in body.get("alerts", []) if a.get("status") == "firing"]
        got[request.path.rsplit("/", 1)[-1]].append(len(firing))
    return {
        "stations": len(struck),
        "ramp_s": round(ramp_s, 2),
        "messages_per_channel": {k: len(v) for k, v in got.items()},
        "firing_alerts_per_message": got,
        "signed": all("X-IOC57-Signature" in r.headers for r in receiver.requests),
    }


# -- the evaluation cost, in this process -------------------------------------------------------


def evaluation_cost(url: str, stations: list[Station], args, first_round: int) -> dict[str, Any]:
    from sqlalchemy import select

    from ioc57 import modules
    from ioc57.core.access import LOCAL_ADMIN
    from ioc57.core.clock import today
    from ioc57.core.db import make_engine
    from ioc57.core.events import EventBus
    from ioc57.ingest.gate import Gate
    from ioc57.ingest.sources import as_source, get_row

    modules.load()
    try:
        from ioc57.alerts.evaluate import rule_scope
        from ioc57.alerts.evaluator import Evaluator
        from ioc57.alerts.rules import compare
        from ioc57.alerts.rulestore import active_rules
        from ioc57.sensors.tables import latest
        from ioc57.sensors.tables import stations as station_table
    except ImportError as exc:
        return {"missing": str(exc)}

    engine = make_engine(url)
    gate = Gate(engine, EventBus())
    evaluator = Evaluator(engine, EventBus(), every_s=3600, group_wait_s=args.group_wait_s)
    with engine.connect() as conn:
        source = as_source(conn, get_row(conn, SOURCE), today())
        rules = [r for r in active_rules(conn) if r.figure == "sensors.reading"]
        scopes = {r.id: rule_scope(conn, r.unit_ids) for r in rules}
    raw_rows = (
        select(station_table.c.unit_id, station_table.c.thresholds, latest.c.value)
        .join(station_table, station_table.c.id == latest.c.station_id)
        .where(latest.c.metric == "salinity")
    )

    def raw(batch: int) -> int:
        """The baseline: the batch's rows read, compared with each rule; how many are true."""
        true = 0
        with engine.connect() as conn:
            rows = conn.execute(raw_rows.where(latest.c.batch_id == batch)).all()
        for rule in rules:
            scope = scopes[rule.id]
            for unit_id, thresholds, value in rows:
                if scope is not None and unit_id not in scope:
                    continue
                if rule.kind == "nodata":
                    continue  # fresh readings: nothing to see
                limit = rule.threshold
                if limit is None:
                    limit = orjson.loads(thresholds).get("salinity")
                true += limit is not None and compare(value, rule.op, limit)
        return true

    per_push = args.per_push
    evaluated, baseline, readings, changes = [], [], 0, 0
    for r in range(first_round, first_round + args.rounds):
        for start in range(0, len(stations), per_push):
            at = datetime.now(UTC)
            records = [
                reading(s, value_in_round(i, s, r)[0], at)
                for i, s in enumerate(stations[start : start + per_push], start)
            ]
            result = gate.ingest(
                source,
                "reading",
                list(enumerate(records)),
                principal=LOCAL_ADMIN,
                via="push",
                actor="bench",
            )
            n = len(records)
            t0 = time.perf_counter()
            changes += len(evaluator.evaluate_batches({"reading": {result.batch}}))
            t1 = time.perf_counter()
            raw(result.batch)
            t2 = time.perf_counter()
            evaluated.append((t1 - t0) / n)
            baseline.append((t2 - t1) / n)
            readings += n
    t0 = time.perf_counter()
    evaluator.evaluate_all()
    full_round = time.perf_counter() - t0
    engine.dispose()
    p50, raw_p50 = percentile(evaluated, 50), percentile(baseline, 50)
    return {
        "rules_on_readings": len(rules),
        "batches": len(evaluated),
        "readings": readings,
        "state_changes": changes,
        "per_reading_p50_us": round(p50 * 1e6, 1),
        "per_reading_p95_us": round(percentile(evaluated, 95) * 1e6, 1),
        "raw_per_reading_p50_us": round(raw_p50 * 1e6, 1),
        "ratio_to_raw": round(p50 / raw_p50, 1) if raw_p50 else None,
        "scheduled_round_all_rules_ms": ms(full_round, 1),
    }


# -- the forecast -------------------------------------------------------------------------------


def forecast_error(communes: list[dict], args) -> dict[str, Any]:
    import numpy as np

    try:
        from ioc57.sensors import forecast
    except ImportError as exc:
        return {"missing": str(exc)}
    from ioc57.ingest.simulation import World
    from ioc57.sensors.simulation import SalinityReadings

    world = World(PROVINCE, random.Random(args.seed), lambda prefix: prefix, lambda *_: None)
    world.settle(communes, [])
    simulator = SalinityReadings(world)
    rng = random.Random(args.seed)
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    start = end - timedelta(days=args.forecast_days)
    hours = args.forecast_days * 24
    outage = rng.randrange(24, hours - 24)
    results = []
    for station in simulator.stations[: args.forecast_stations]:
        seconds, values = [], []
        for q in range(hours * 4):
            hour = q // 4
            if outage <= hour < outage + 8 or rng.random() < 0.03:
                continue
            at = start + timedelta(minutes=15 * q)
            seconds.append(at.timestamp())
            values.append(simulator.reading(station, at)["value"])
        series = forecast.hourly_means(np.array(seconds), np.array(values))
        tested = forecast.backtest(series, args.held_out_days)
        results.append((station.code, tested))
    done = [(code, t) for code, t in results if t.mae is not None]
    mae = sum(t.mae for _, t in done) / len(done) if done else None
    naive = sum(t.naive_mae for _, t in done) / len(done) if done else None
    return {
        "stations": len(results),
        "days": args.forecast_days,
        "held_out_days": max((t.days for _, t in results), default=0),
        "hours_compared": sum(t.hours for _, t in results),
        "mae_24h": round(mae, 4) if mae is not None else None,
        "naive_mae": round(naive, 4) if naive is not None else None,
        "skill": round(1 - mae / naive, 3) if mae is not None and naive else None,
        "per_station": {
            code: {"mae": round(t.mae, 4), "naive_mae": round(t.naive_mae, 4)}
            for code, t in done
            if t.naive_mae is not None
        },
    }


# -- the run ------------------------------------------------------------------------------------


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stations", type=int, default=500)
    parser.add_argument("--rules", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5, help="minutes of readings")
    parser.add_argument("--minute-s", type=float, default=60.0, help="the length of a minute")
    parser.add_argument("--per-push", type=int, default=10, help="readings per push")
    parser.add_argument("--intrusion", type=int, default=50, help="stations struck")
    parser.add_argument("--group-wait-s", type=float, default=30.0)
    parser.add_argument("--forecast-stations", type=int, default=8)
    parser.add_argument("--forecast-days", type=int, default=28)
    parser.add_argument("--held-out-days", type=int, default=7)
    parser.add_argument("--seed", type=int, default=57)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--database-url", default=None, help="a database to use (initialised by the run)"
    )
    parser.add_argument("--quick", action="store_true", help="a tiny run, for the tests")
    args = parser.parse_args()
    if args.quick:
        for name, value in QUICK.items():
            setattr(args, name, value)
    args.intrusion = min(args.intrusion, args.stations)
    return args


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Steps 1 to 6 of the docstring; the figures."""
    from tests.support.receivers import http_receiver

    missing: list[str] = []
    with tempfile.TemporaryDirectory() as tmp, http_receiver() as receiver:
        url = args.database_url or f"sqlite:///{tmp}/ioc57.db"
        env = {k: v for k, v in os.environ.items() if not k.startswith("IOC57_")}
        env |= {
            "IOC57_DATABASE_URL": url,
            "IOC57_SECRET_KEY": "bench-secret",
            "IOC57_ADMIN_PASSWORD": "bench-password-57",
            "IOC57_ALERTS_GROUP_WAIT_S": str(args.group_wait_s),
            "IOC57_ALERTS_NOTIFY_S": "0.5",
        }
        log("ioc57 init")
        ioc57(env, "init")
        token = ioc57(env, "token", "create", "--user", "admin").strip().splitlines()[-1]
        admin = {"Authorization": f"Bearer {token}"}
        base, server = start_server(env, Path(tmp) / "serve.log")
        try:
            with httpx.Client(base_url=base, timeout=60) as client:
                spec = {"name": SOURCE, "types": ["reading"], "units": [PROVINCE]}
                r = client.post("/api/v1/sources", json=spec, headers=admin)
                r.raise_for_status()
                source = {
                    "Authorization": f"Bearer {r.json()['token']}",
                    "Content-Type": "application/json",
                }
                communes = communes_of(client)
                log(f"{args.stations} stations")
                stations = make_stations(client, admin, communes, args.stations)
                log(f"{args.rules} rules")
                made_rules = 0
                for body in rule_bodies(args.rules, [c["code"] for c in communes]):
                    r = client.post("/api/v1/alert-rules", json=body, headers=admin)
                    if r.status_code == 404:
                        missing.append("POST /api/v1/alert-rules")
                        break
                    assert r.status_code == 201, r.text
                    made_rules += 1
                sub = Subscriber(f"{base}/api/v1/stream?types=ingest.batch,alerts.changed", token)
                sub.start()
                sub.live.wait(10)
                log(f"{args.rounds} rounds of {args.minute_s} s")
                pushes = push_rounds(
                    client, source, stations, args.rounds, args.minute_s, args.per_push
                )
                time.sleep(min(5.0, args.minute_s))  # the last events on their way
                timing = latencies(pushes, sub)
                log("the intrusion")
                notified = intrusion(client, admin, source, stations, args, receiver)
                r = client.get("/api/v1/alerts", params={"state": "firing"}, headers=admin)
                firing_now = len(r.json().get("items", [])) if r.status_code == 200 else None
        finally:
            stop_server(server)
        log("the evaluation cost")
        cost = evaluation_cost(url, stations, args, first_round=args.rounds + 1)
        log("the forecast")
        forecasted = forecast_error(communes, args)
    for part in (notified, cost, forecasted):
        if "missing" in part:
            missing.append(part["missing"])
    fired = timing["answer_to_firing"]
    per_channel = notified.get("messages_per_channel", {})
    figures = {
        "backend": "postgresql" if url.startswith("postgresql") else "sqlite",
        "stations": args.stations,
        "rules": made_rules,
        "rounds": args.rounds,
        "minute_s": args.minute_s,
        "per_push": args.per_push,
        "readings_per_s": round(args.stations / args.minute_s, 1),
        "pushes": len(pushes),
        "crossings": sum(len(p.crossing) for p in pushes),
        "alerts_changed_events": sub.changes,
        "stream_gaps": sub.gaps,
        "firing_at_the_end": firing_now,
        "latency": timing,
        "notifications": notified,
        "evaluation": cost,
        "forecast": forecasted,
        "missing": missing,
        "goals": {
            "answer_to_firing_p95_le_1000ms": goal(fired.get("p95_ms"), 1000),
            "one_message_per_channel": {
                "value": per_channel,
                "goal": 1,
                "pass": bool(per_channel) and set(per_channel.values()) == {1},
            },
            "forecast_beats_naive": {
                "value": forecasted.get("mae_24h"),
                "goal": forecasted.get("naive_mae"),
                "pass": (forecasted.get("skill") or 0) > 0,
            },
        },
    }
    return figures


def main() -> None:
    args = arguments()
    sys.path.insert(0, str(ROOT))
    from tests.support import pg

    postgres = None
    if args.backend == "postgresql" and not args.database_url:
        postgres = pg.PostgresServer().start()  # a throw-away server, as the tests use
        args.database_url = pg.create_database(postgres.url(), f"ioc57_alerts_{os.getpid()}")
    try:
        figures = run(args)
    finally:
        if postgres is not None:
            postgres.stop()
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
