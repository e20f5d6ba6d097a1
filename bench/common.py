"""What the benchmarks share: percentiles, a free loopback port, ``ioc57`` as a subprocess, a
real ``ioc57 serve`` started and stopped as an operator would, and fresh databases copied from a
template."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy.engine import Connection

ROOT = Path(__file__).resolve().parents[1]
ADMIN_PASSWORD = "bench-password-57"


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def ms(seconds: float, digits: int = 2) -> float:
    return round(seconds * 1000, digits)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ioc57(env, *args) -> str:
    """Run ``python -m ioc57 ARGS`` with ``env``; its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "ioc57", *args], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def start_server(env: dict, log_path: Path, timeout: float = 60) -> tuple[str, subprocess.Popen]:
    """``ioc57 serve`` on a free loopback port; its base URL once /healthz answers."""
    port = free_port()
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "ioc57", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return base, server
        except httpx.TransportError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise SystemExit(log_path.read_text())
        time.sleep(0.2)


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


class Databases:
    """Fresh databases with the schema, the real units, admin and the benchmark's source (of the
    record types ``types``, for province 82); ``prepare`` adds what else the template holds."""

    def __init__(
        self,
        backend: str,
        tmp: Path,
        server_url: str | None,
        source: str,
        types: list[str],
        prepare: Callable[[Connection], None] | None = None,
    ) -> None:
        self.backend, self.tmp, self.server = backend, tmp, None
        self.source, self.types, self.prepare = source, types, prepare
        self.count = 0
        if backend == "postgresql":
            sys.path.insert(0, str(ROOT))
            from tests.support import pg

            self.pg = pg
            if server_url is None:
                self.server = pg.PostgresServer().start()
                server_url = self.server.url()
            self.admin_url = server_url
            self.names: list[str] = []
        self.template = self._template()

    def _template(self) -> str:
        from ioc57.bootstrap import init_database
        from ioc57.core.clock import today
        from ioc57.core.db import make_engine
        from ioc57.ingest.sources import create_source

        if self.backend == "sqlite":
            for old in self.tmp.glob("*.db*"):
                old.unlink()
            url = f"sqlite:///{self.tmp / 'template.db'}"
        else:
            name = f"ioc57_bench_template_{os.getpid()}"
            self.pg.drop_database(self.admin_url, name)
            url = self.pg.create_database(self.admin_url, name)
            self.names.append(name)
        engine = make_engine(url)
        init_database(engine, admin_password=ADMIN_PASSWORD)
        with engine.begin() as conn:
            create_source(
                conn, actor="bench", name=self.source, types=self.types, units=["82"], today=today()
            )
            if self.prepare is not None:
                self.prepare(conn)
        if self.backend == "sqlite":
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        self.template_url = url
        return url if self.backend == "sqlite" else name

    def fresh(self, label: str) -> str:
        self.count += 1
        if self.backend == "sqlite":
            path = self.tmp / f"{label}.db"
            shutil.copy(self.tmp / "template.db", path)
            return f"sqlite:///{path}"
        name = f"ioc57_bench_{label}_{os.getpid()}"
        self.pg.drop_database(self.admin_url, name)
        self.names.append(name)
        return self.pg.create_database(self.admin_url, name, template=self.template)

    def close(self) -> None:
        if self.backend == "postgresql":
            for name in reversed(self.names):
                self.pg.drop_database(self.admin_url, name)
            if self.server is not None:
                self.server.stop()
