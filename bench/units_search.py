"""Latency of a unit search (``GET /api/v1/units?q=...``) through the whole app, against raw SQL.

The app runs under uvicorn in a subprocess; requests go over loopback with httpx (one client, kept
alive), so the figure includes HTTP, routing, validation and JSON. The baseline is the bare
``LIKE`` query on the same SQLite file with the sqlite3 module.
Usage: .venv/bin/python bench/units_search.py [--n 300]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

import httpx
from common import free_port, percentile

QUERIES = [
    "tien giang",
    "my tho",
    "phuong 1",
    "dong thap",
    "ha noi",
    "xa tan thanh",
    "can tho",
    "hue",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/ioc57.db"
        env = os.environ | {"IOC57_DATABASE_URL": url, "IOC57_ADMIN_PASSWORD": "bench-password"}
        subprocess.run(
            [sys.executable, "-m", "ioc57", "init"], env=env, check=True, capture_output=True
        )
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "ioc57", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            with httpx.Client(base_url=base, timeout=10) as client:
                for _ in range(100):
                    try:
                        if client.get("/healthz").status_code == 200:
                            break
                    except httpx.TransportError:
                        time.sleep(0.1)
                for q in QUERIES:  # warm up
                    client.get("/api/v1/units", params={"q": q})
                app_ms = []
                for i in range(args.n):
                    start = time.perf_counter()
                    r = client.get("/api/v1/units", params={"q": QUERIES[i % len(QUERIES)]})
                    app_ms.append((time.perf_counter() - start) * 1000)
                    assert r.status_code == 200
        finally:
            server.terminate()
            server.wait()
        conn = sqlite3.connect(f"{tmp}/ioc57.db")
        raw_ms = []
        for i in range(args.n):
            start = time.perf_counter()
            term = QUERIES[i % len(QUERIES)]
            conn.execute(
                "SELECT * FROM units WHERE search_name LIKE ? AND (valid_from IS NULL OR valid_from <= ?)"
                " AND (valid_to IS NULL OR valid_to > ?) LIMIT 100",
                (f"%{term}%", "2026-01-01", "2026-01-01"),
            ).fetchall()
            raw_ms.append((time.perf_counter() - start) * 1000)
    p50, p95 = percentile(app_ms, 50), percentile(app_ms, 95)
    print(
        json.dumps(
            {
                "path": "GET /api/v1/units?q= (sqlite, uvicorn, loopback)",
                "n": args.n,
                "p50_ms": round(p50, 2),
                "p95_ms": round(p95, 2),
                "max_ms": round(max(app_ms), 2),
                "raw_sql_p50_ms": round(percentile(raw_ms, 50), 2),
                "ratio_to_raw": round(p50 / max(percentile(raw_ms, 50), 1e-6), 1),
                "goal_ms": 50,
            }
        )
    )


if __name__ == "__main__":
    main()
