"""How long ``ioc57 init`` takes on an empty database (schema, 14,149 real units, admin).

Prints one JSON line: wall seconds of the whole command (process start included) over --runs runs,
and the raw baseline: the same unit rows inserted with ``executemany`` into a bare SQLite table.
Usage: .venv/bin/python bench/init.py [--runs 3] [--database-url URL-of-an-empty-db]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_init(url: str) -> float:
    env = os.environ | {"IOC57_DATABASE_URL": url, "IOC57_ADMIN_PASSWORD": "bench-password"}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "ioc57", "init"], env=env, check=True, capture_output=True
    )
    return time.perf_counter() - start


def raw_baseline(path: Path) -> float:
    from ioc57.units.source import read_units

    start = time.perf_counter()
    rows = [
        (u.code, u.name, u.level, u.type, u.province_code, u.lat, u.lon) for u in read_units().units
    ]
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE u (code, name, level, type, province_code, lat, lon)")
    conn.executemany("INSERT INTO u VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    conn.commit()
    conn.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times, raws = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            times.append(run_init(f"sqlite:///{tmp}/ioc57.db"))
            raws.append(raw_baseline(Path(tmp) / "raw.db"))
    median, raw = statistics.median(times), statistics.median(raws)
    print(
        json.dumps(
            {
                "path": "ioc57 init (sqlite, whole process)",
                "runs": args.runs,
                "seconds_median": round(median, 2),
                "seconds_max": round(max(times), 2),
                "raw_read_and_executemany_s": round(raw, 2),
                "ratio_to_raw": round(median / raw, 1),
                "goal_s": 15,
            }
        )
    )


if __name__ == "__main__":
    main()
