"""Freshness: how soon a pushed batch shows on a live stream, under a steady ingest load.

``ioc57 serve`` runs in a subprocess (on a fresh SQLite file, or on ``--database-url``, which is
initialised first); a data source pushes ``--batch`` new dossiers at a time, paced to ``--rate``
records per second, for ``--seconds``; a subscriber reads ``GET /api/v1/stream`` over loopback.
For each push it takes the time from the ingest response to the arrival of the push's event
(matched on the batch id). The event is announced when the chunk commits, before the response
is written, so it may arrive first: such a push counts as 0 ms (``early`` says how many did).

The raw baseline, measured in the same run just before (after a 1 s warm-up): the same pushes at
the same pace with no subscriber; ``ratio_to_raw`` is the p50 time from sending a push to its event arriving, over
the p50 time of a bare push round trip. Goal: p95 ≤ 1,000 ms.
With ``--database-url`` of a PostgreSQL database and ``--across``, two servers run: the pushes go
to the first, the subscribers read the second, so each event crosses processes by NOTIFY.
Usage: .venv/bin/python bench/freshness.py [--seconds 20] [--rate 1000] [--batch 100]
       [--subscribers 1] [--database-url postgresql+psycopg://... [--across]]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import orjson
from common import StreamReader, free_port, ioc57, percentile
from common import ms as _ms


class Subscriber(StreamReader):
    """Reads the stream; records when each batch's event arrived, and counts the events and the
    records they announce."""

    def __init__(self, url: str, token: str) -> None:
        super().__init__(url, token)
        self.arrived: dict[int, float] = {}
        self.gaps = 0
        self.events = 0
        self.records = 0

    def take(self, kind: str, text: str, arrived: float) -> None:
        if kind == "ingest.batch":
            data = orjson.loads(text)
            self.arrived.setdefault(data["batch"], arrived)
            self.events += 1
            self.records += sum(data["counts"].values())
        elif kind == "stream.gap":
            self.gaps += orjson.loads(text)["dropped"]


def push_paced(client, token, codes, seconds, rate, batch, tag):
    """Push at a steady pace; return (batch id, sent, answered) per push and the records sent."""
    interval = batch / rate
    pushes, sent_records = [], 0
    start = time.perf_counter()
    i = 0
    while (target := start + i * interval) < start + seconds:
        pause = target - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        records = [
            {
                "id": f"{tag}-{i}-{j}",
                "procedure": "1.001234",
                "unit": codes[(i * batch + j) % len(codes)],
                "channel": "online",
                "received_at": "2025-09-01T08:00:00+07:00",
                "due_at": "2025-09-10T17:00:00+07:00",
                "status": "received",
                "updated_at": "2025-09-01T08:00:00+07:00",
            }
            for j in range(batch)
        ]
        body = orjson.dumps(records)
        sent = time.perf_counter()
        r = client.post(
            "/api/v1/ingest/dossier",
            content=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        answered = time.perf_counter()
        r.raise_for_status()
        pushes.append((r.json()["batch"], sent, answered))
        sent_records += batch
        i += 1
    return pushes, sent_records, time.perf_counter() - start


def ms(seconds: float) -> float:
    return _ms(seconds, 1)


def start_servers(env: dict, count: int, tmp: Path) -> list[tuple[str, subprocess.Popen]]:
    servers = []
    for n in range(count):
        port = free_port()
        with (tmp / f"serve-{n}.log").open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "ioc57", "serve", "--port", str(port)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        servers.append((f"http://127.0.0.1:{port}", process))
    for base, _ in servers:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
    return servers


def stop_servers(servers) -> None:
    for _, process in servers:
        process.terminate()
    for _, process in servers:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--raw-seconds", type=float, default=5)
    parser.add_argument("--rate", type=float, default=1000, help="records per second")
    parser.add_argument("--batch", type=int, default=100, help="records per push")
    parser.add_argument("--subscribers", type=int, default=1)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--across", action="store_true", help="subscribe on a second server")
    args = parser.parse_args()
    if args.across and not (args.database_url or "").startswith("postgresql"):
        parser.error("--across needs --database-url of a PostgreSQL database")

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/ioc57.db"
        env = {k: v for k, v in os.environ.items() if not k.startswith("IOC57_")}
        env |= {"IOC57_DATABASE_URL": url, "IOC57_SECRET_KEY": "bench-secret"}
        env["IOC57_ADMIN_PASSWORD"] = "bench-password"
        ioc57(env, "init")
        admin = ioc57(env, "token", "create", "--user", "admin").strip().splitlines()[-1]
        servers = start_servers(env, 2 if args.across else 1, Path(tmp))
        base, listen_base = servers[0][0], servers[-1][0]
        try:
            with httpx.Client(base_url=base, timeout=30) as client:
                auth = {"Authorization": f"Bearer {admin}"}
                tag = f"fresh{os.getpid()}{int(time.time())}"
                r = client.post(
                    "/api/v1/sources",
                    json={"name": tag, "types": ["dossier"], "units": ["82"]},
                    headers=auth,
                )
                r.raise_for_status()
                source = r.json()["token"]
                r = client.get("/api/v1/units", params={"parent": "82", "limit": 1000})
                codes = [u["code"] for u in r.json()["items"]]

                push_paced(client, source, codes, 1, args.rate, args.batch, f"{tag}w")  # warm-up
                # the raw baseline: the same pushes, nobody listening
                raw, _, _ = push_paced(
                    client, source, codes, args.raw_seconds, args.rate, args.batch, f"{tag}r"
                )
                raw_rtt = [answered - sent for _, sent, answered in raw]

                subscribers = [
                    Subscriber(f"{listen_base}/api/v1/stream?types=ingest.batch", admin)
                    for _ in range(args.subscribers)
                ]
                for sub in subscribers:
                    sub.start()
                    sub.live.wait(10)
                pushes, records, elapsed = push_paced(
                    client, source, codes, args.seconds, args.rate, args.batch, f"{tag}s"
                )
                deadline = time.perf_counter() + 5
                while time.perf_counter() < deadline and any(
                    len(s.arrived) < len(pushes) for s in subscribers
                ):
                    time.sleep(0.05)
        finally:
            stop_servers(servers)

    after_response, after_send, missing = [], [], 0
    for sub in subscribers:
        for batch_id, sent, answered in pushes:
            arrived = sub.arrived.get(batch_id)
            if arrived is None:
                missing += 1
                continue
            after_response.append(arrived - answered)
            after_send.append(arrived - sent)
    fresh = [max(0.0, d) for d in after_response]
    push_rtt = [answered - sent for _, sent, answered in pushes]
    backend = "postgresql" if url.startswith("postgresql") else "sqlite"
    if args.across:
        backend += ", subscriber on a second process"
    print(
        json.dumps(
            {
                "path": f"POST /api/v1/ingest/dossier -> GET /api/v1/stream ({backend})",
                "seconds": round(elapsed, 1),
                "batch": args.batch,
                "subscribers": args.subscribers,
                "n_pushes": len(pushes),
                "n_events": len(fresh),
                "missing": missing,
                "gaps": sum(s.gaps for s in subscribers),
                "p50_ms": ms(percentile(fresh, 50)),
                "p95_ms": ms(percentile(fresh, 95)),
                "max_ms": ms(max(fresh)),
                "early": sum(d < 0 for d in after_response),
                "send_to_event_p50_ms": ms(percentile(after_send, 50)),
                "send_to_event_p95_ms": ms(percentile(after_send, 95)),
                "push_p50_ms": ms(statistics.median(push_rtt)),
                "rate_records_per_s": round(records / elapsed),
                "raw": "p50 round trip of the same push with no subscriber, same run",
                "raw_p50_ms": ms(statistics.median(raw_rtt)),
                "ratio_to_raw": round(percentile(after_send, 50) / statistics.median(raw_rtt), 2),
                "goal_p95_ms": 1000,
            }
        )
    )


if __name__ == "__main__":
    main()
