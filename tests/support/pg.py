"""A real PostgreSQL server for the tests, started on loopback from Debian's binaries.

Set ``IOC57_TEST_POSTGRES_URL`` (a superuser URL such as ``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``)
to use a running server instead. PostgreSQL refuses to run as root, so as root the server runs as the
``postgres`` user that Debian's package creates.
"""

from __future__ import annotations

import glob
import itertools
import os
import queue
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import psycopg


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if not path:
        raise RuntimeError(
            f"PostgreSQL's {name} is not installed: run 'make test' (it installs it)"
        )
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="ioc57-pg-"))
        self.port = _free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        cmd = list(args)
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self) -> PostgresServer:
        data = self.dir / "data"
        if self.as_root:
            os.chmod(self.dir, 0o755)
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(
            _bin("initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            _bin("pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(self.dir / "log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        return self

    def stop(self) -> None:
        try:
            self._run(_bin("pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"


def admin_dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def create_database(admin_url: str, name: str, template: str | None = None) -> str:
    with psycopg.connect(admin_dsn(admin_url), autocommit=True) as conn:
        for _ in range(50):
            try:
                suffix = f" TEMPLATE {template}" if template else ""
                conn.execute(f'CREATE DATABASE "{name}"{suffix}')
                break
            except psycopg.errors.ObjectInUse:  # the template still has a connection closing
                time.sleep(0.1)
    base = admin_url.rsplit("/", 1)[0]
    return f"{base}/{name}"


def settle(admin_url: str, name: str) -> None:
    """Freeze and analyze a template once: its copies start with hint bits set and statistics, and
    autovacuum has no reason to open the template while it is being copied."""
    base = admin_dsn(admin_url).rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/{name}", autocommit=True) as conn:
        conn.execute("VACUUM (FREEZE, ANALYZE)")


def drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_dsn(admin_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Copies:
    """Copies of a template database for one test each, made one ahead and dropped after by a
    thread: a copy costs the server a third of a second, which the second core spends while the
    test keeps the first busy."""

    def __init__(self, admin_url: str, template: str, prefix: str) -> None:
        self.admin_url, self.template, self.prefix = admin_url, template, prefix
        self._numbers = itertools.count()
        self._jobs: queue.SimpleQueue[str | None] = queue.SimpleQueue()  # "" makes, a URL drops
        self._made: queue.SimpleQueue[str | BaseException] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._work, name="pg-copies", daemon=True)
        self._thread.start()
        self._jobs.put("")

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            try:
                if job:
                    drop_database(self.admin_url, job.rsplit("/", 1)[1])
                else:
                    name = f"{self.prefix}{next(self._numbers)}"
                    self._made.put(create_database(self.admin_url, name, self.template))
            except BaseException as exc:  # the next test to take a copy fails with it
                self._made.put(exc)

    def take(self) -> str:
        """The URL of a fresh copy; the next one is begun."""
        self._jobs.put("")
        made = self._made.get(timeout=300)
        if isinstance(made, BaseException):
            raise made
        return made

    def give_back(self, url: str) -> None:
        self._jobs.put(url)

    def close(self) -> None:
        """Drop what was given back and what was made ahead."""
        self._jobs.put(None)
        self._thread.join()
        while not self._made.empty():
            made = self._made.get()
            if isinstance(made, BaseException):
                raise made
            drop_database(self.admin_url, made.rsplit("/", 1)[1])
