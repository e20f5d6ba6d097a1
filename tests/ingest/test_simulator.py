"""The simulator sends realistic records that the gate accepts, through the public HTTP API only."""

from __future__ import annotations

import heapq
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator

import httpx
import orjson
import pytest
from sqlalchemy import select

from ioc57.ingest import simulator as driver
from ioc57.ingest.simulator import Simulator
from ioc57.ingest.tables import records
from ioc57.services.catalogue import PROCEDURES

from ..support.http import auth
from ..support.servers import ioc57_env, running_server
from ..support.simulation import offline

TYPES = ["procedure", "dossier", "feedback", "station", "reading"]


def ioc57(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    r = subprocess.run(
        [sys.executable, "-m", "ioc57", *args], env=env, capture_output=True, text=True, timeout=180
    )
    if check:
        assert r.returncode == 0, r.stdout + r.stderr
    return r


def test_records_move_on_through_their_statuses_and_are_all_accepted(client, api, engine):
    spec = {"name": "mo-phong", "types": TYPES, "units": ["82"], "simulated": True}
    token = client.post("/api/v1/sources", json=spec, headers=auth(api.token("admin"))).json()
    client.headers["Authorization"] = f"Bearer {token['token']}"
    simulator = Simulator(client, "82", TYPES, rate=100, seed=57, pace=0)
    simulator.load_units()
    stations = simulator.generators["reading"].stations
    assert len(simulator.world.communes) > 90 and len(stations) == 8
    assert stations[0].commune.name == "Xã Gia Thuận"  # the easternmost, on the sea
    simulator.send("procedure", simulator.generators["procedure"].start(simulator.clock()))
    simulator.send("station", simulator.generators["station"].start(simulator.clock()))
    for _ in range(12):
        for record_type, batch in simulator.batch(100).items():
            simulator.send(record_type, batch)
    stats = simulator.stats
    assert stats.counts["rejected"] == 0, stats.first_rejections
    assert stats.counts["accepted"] > 600 and stats.counts["updated"] > 100
    sent = sum(stats.sent.values())
    assert stats.counts["accepted"] + stats.counts["updated"] == sent == len(PROCEDURES) + 8 + 1200
    assert stats.counts["unchanged"] == stats.counts["stale"] == 0
    assert set(stats.sent) == set(TYPES)

    with engine.connect() as conn:
        stored = [
            (r.type, orjson.loads(r.data))
            for r in conn.execute(select(records.c.type, records.c.data))
        ]
    dossiers = [d for t, d in stored if t == "dossier"]
    statuses = {d["status"] for d in dossiers}
    assert {"received", "processing", "finished"} <= statuses
    assert all(d["finished_at"] >= d["received_at"] for d in dossiers if d["status"] == "finished")
    communes = {d["unit"] for d in dossiers if d["unit"] != "82"}
    assert len(communes) > 30
    feedback = [d for t, d in stored if t == "feedback"]
    assert {"phone", "web", "zalo"} <= {d["channel"] for d in feedback}
    assert {"received", "forwarded", "in_progress", "answered"} <= {d["status"] for d in feedback}
    assert all(d["answered_at"] >= d["received_at"] for d in feedback if d["answered_at"])
    readings = [d for t, d in stored if t == "reading"]
    assert all(d["uom"] == "ppt" and 0 < d["value"] < 40 for d in readings)


def test_a_tick_pops_only_the_due_steps_it_takes_however_large_the_backlog(monkeypatch):
    simulator = offline(["dossier", "feedback", "reading"])
    dossiers = simulator.generators["dossier"]
    at = simulator.clock()
    for _ in range(5000):  # a backlog of open dossiers, all due (pace 0)
        dossiers.new(at)
    backlog = set(dossiers.open)
    popped, pop = Counter(), heapq.heappop

    def counted(heap):
        popped["n"] += 1
        return pop(heap)

    monkeypatch.setattr(driver.heapq, "heappop", counted)
    out = simulator.batch(100)  # 50 dossiers, 20 reports, 30 readings
    assert [len(out[t]) for t in ("dossier", "feedback", "reading")] == [50, 20, 30]
    steps = [d for d in out["dossier"] if d["id"] in backlog]
    assert len(steps) == popped["n"] == 25  # half the dossiers' share; nothing more is popped
    assert len({d["id"] for d in out["dossier"]}) == 50  # one step per record and batch
    assert len({d["id"] for d in out["reading"]}) == 30  # made at one time, a ms apart


@pytest.fixture
def served(db_url, tmp_path) -> Iterator[tuple[str, dict]]:
    """``ioc57 serve`` on the test database: its base URL and the environment of the commands."""
    env = ioc57_env()
    env["IOC57_DATABASE_URL"] = db_url
    with running_server(env, tmp_path / "serve.log") as base:
        yield base, env


def test_ioc57_simulate_feeds_a_real_server(served):
    base, env = served
    token = ioc57(
        env, "source", "create", "mo-phong", "--types", ",".join(TYPES), "--units", "82",
        "--simulated", "--title", "Dữ liệu mô phỏng",
    ).stdout.strip().splitlines()[-1]  # fmt: skip
    admin = ioc57(env, "token", "create", "--user", "admin").stdout.strip().splitlines()[-1]

    run = ioc57(
        env, "simulate", "--province", "82", "--rate", "40", "--types", ",".join(TYPES),
        "--url", base, "--token", token, "--duration", "2.5", "--seed", "1",
    )  # fmt: skip
    assert "rejected 0" in run.stdout and "dữ liệu mô phỏng" in run.stdout

    answer = httpx.get(
        f"{base}/api/v1/ingest/batches", params={"source": "mo-phong", "limit": 500},
        headers=auth(admin),
    ).json()  # fmt: skip
    items = answer["items"]
    assert {b["type"] for b in items} == set(TYPES)
    assert all(b["via"] == "push" and b["finished_at"] for b in items)
    assert sum(b["accepted"] for b in items) > 50
    assert sum(b["rejected"] for b in items) == 0


def test_ioc57_simulate_says_how_to_get_a_token(served):
    base, env = served
    r = ioc57(env, "simulate", "--province", "82", "--url", base, check=False)
    assert r.returncode == 2 and "ioc57 source create" in r.stderr and "--token" in r.stderr
    token = ioc57(
        env, "source", "create", "dvc-82", "--types", "dossier", "--units", "82"
    ).stdout.strip().splitlines()[-1]  # fmt: skip
    r = ioc57(
        env, "simulate", "--province", "82", "--url", base, "--token", token, "--types",
        "dossier,feedback", "--duration", "2", check=False,
    )  # fmt: skip
    assert r.returncode == 2 and "feedback" in r.stderr and "Traceback" not in r.stderr
    r = ioc57(
        env, "simulate", "--province", "815", "--url", base, "--token", token, "--types",
        "dossier", "--duration", "1", check=False,
    )  # fmt: skip
    assert r.returncode == 2 and "province" in r.stderr
