"""What the benchmarks share: percentiles and timings, a free loopback port, ``ioc57`` as a
subprocess, a real ``ioc57 serve`` started and stopped as an operator would, fresh databases copied
from a template (or from a database built once and kept for the next run), and bulk loads."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy import Table
from sqlalchemy.engine import Connection, Engine

ROOT = Path(__file__).resolve().parents[1]
ADMIN_PASSWORD = "bench-password-57"


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def ms(seconds: float, digits: int = 2) -> float:
    return round(seconds * 1000, digits)


def log(message: str) -> None:
    print(f"# {message}", file=sys.stderr, flush=True)


def timed(call: Callable[[], object], runs: int, warm: int = 2) -> tuple[dict, object]:
    """``call`` run ``warm`` times, then ``runs`` times timed: p50, p95, max; its last result."""
    for _ in range(warm):
        call()
    seconds, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        seconds.append(time.perf_counter() - started)
    figures = {
        "runs": runs,
        "p50_ms": ms(percentile(seconds, 50)),
        "p95_ms": ms(percentile(seconds, 95)),
        "max_ms": ms(max(seconds)),
    }
    return figures, result


def goal(value, limit, better: str = "below") -> dict:
    if value is None:
        return {"value": None, "goal": limit, "pass": None}
    ok = value <= limit if better == "below" else value >= limit
    return {"value": value, "goal": limit, "pass": ok}


def add_kept_data_options(parser, kind: str) -> None:
    """The options of a bench whose data is built once and kept: the backend, a PostgreSQL server,
    the folder of the kept SQLite data, and building it again."""
    import tempfile

    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default=None)
    parser.add_argument(
        "--database-url", default=None, help="postgresql: a server URL that may create databases"
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / f"ioc57-bench-{kind}",
        help="where the SQLite data is kept between runs",
    )
    parser.add_argument("--rebuild", action="store_true", help="build the kept data again")


def backend_of(args) -> str:
    """The backend a run names, else the one its ``--database-url`` implies."""
    return args.backend or ("postgresql" if args.database_url else "sqlite")


def kept_data_name(kind: str, *made_of: object) -> str:
    """The name of a bench's kept data: what it is made of (its generator's version, its size)
    and the schema's migrations, so that a change of either builds it again."""
    import hashlib

    from ioc57 import core

    digest = hashlib.sha256("|".join(map(str, made_of)).encode())
    for path in sorted((Path(core.__file__).parent / "migrations" / "versions").glob("*.py")):
        digest.update(path.read_bytes())
    return f"ioc57_bench_{kind}_{digest.hexdigest()[:12]}"


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
    record types ``types``, for province 82); ``prepare`` adds what else the template holds. The
    template is made when a database is first asked of it."""

    def __init__(
        self,
        backend: str,
        tmp: Path,
        server_url: str | None,
        source: str,
        types: list[str],
        prepare: Callable[[Connection], None] | None = None,
        by_province: bool = False,  # PostgreSQL: the fact tables partitioned by province
    ) -> None:
        self.backend, self.tmp, self.server = backend, tmp, None
        self.by_province = by_province
        self.source, self.types, self.prepare = source, types, prepare
        self.count = 0
        self.built: bool | None = None  # whether ``kept`` built its database in this run
        self._template_url: str | None = None
        if backend == "postgresql":
            sys.path.insert(0, str(ROOT))
            from tests.support import pg

            self.pg = pg
            if server_url is None:
                self.server = pg.PostgresServer().start()
                server_url = self.server.url()
            self.admin_url = server_url
            self.names: list[str] = []

    @property
    def template_url(self) -> str:
        if self._template_url is None:
            self._template_url = self._template()
        return self._template_url

    @property
    def template(self) -> str:
        """The template: its URL (SQLite) or its name (PostgreSQL)."""
        url = self.template_url
        return url if self.backend == "sqlite" else url.rsplit("/", 1)[1]

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
        init_database(engine, admin_password=ADMIN_PASSWORD, by_province=self.by_province)
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
        return url

    def fresh(self, label: str, template: str | None = None) -> str:
        """A new database, a copy of the template or of ``template`` (a SQLite file's path, a
        database's name on the server)."""
        self.count += 1
        if self.backend == "sqlite":
            path = self.tmp / f"{label}.db"
            shutil.copy(template or self.template_url.removeprefix("sqlite:///"), path)
            return f"sqlite:///{path}"
        name = f"ioc57_bench_{label}_{os.getpid()}"
        self.pg.drop_database(self.admin_url, name)
        self.names.append(name)
        return self.pg.create_database(self.admin_url, name, template=template or self.template)

    def kept(
        self, name: str, cache: Path, build: Callable[[str], None], rebuild: bool = False
    ) -> str:
        """A fresh copy of the database ``name``, which ``build`` fills once (given the URL of a
        fresh database, which it leaves with no connection open) and which is kept for the next
        run: a SQLite file in ``cache``, a database of the PostgreSQL server (across runs when the
        server is one given by URL). A build that fails leaves nothing kept."""
        if self.backend == "sqlite":
            cache.mkdir(parents=True, exist_ok=True)
            path = cache / f"{name}.db"
            self.built = rebuild or not path.exists()
            if self.built:
                url = self.fresh("building")
                build(url)
                from ioc57.core.db import make_engine

                engine = make_engine(url)
                with engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                engine.dispose()
                os.replace(url.removeprefix("sqlite:///"), path)
            return self.fresh(name, str(path))
        self.built = rebuild or not self._exists(name)
        if self.built:
            self.pg.drop_database(self.admin_url, name)
            building = f"{name}_building"
            self.pg.drop_database(self.admin_url, building)
            self.names.append(building)  # dropped at the end if the build fails
            build(self.pg.create_database(self.admin_url, building, template=self.template))
            self._sql(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
        return self.fresh("run", name)

    def _exists(self, name: str) -> bool:
        return bool(self._sql("SELECT 1 FROM pg_database WHERE datname = %s", name))

    def _sql(self, statement: str, *params) -> list:
        import psycopg

        with psycopg.connect(self.pg.admin_dsn(self.admin_url), autocommit=True) as conn:
            cur = conn.execute(statement, params or None)
            return cur.fetchall() if cur.description else []

    def close(self) -> None:
        if self.backend == "postgresql":
            for name in reversed(self.names):
                self.pg.drop_database(self.admin_url, name)
            if self.server is not None:
                self.server.stop()


def insert_rows(
    conn: Connection, table: Table, rows, columns=None, typed: bool = False, chunk_size=100_000
) -> int:
    """Rows (tuples) into a table: ``executemany`` on SQLite, ``COPY`` on PostgreSQL, in chunks;
    the number of rows. ``typed``: the values are Python's (dates, times, booleans), written on
    SQLite as SQLAlchemy writes them (COPY takes them as they are)."""
    names = columns or [c.name for c in table.columns]
    raw = conn.connection.driver_connection
    sqlite = conn.dialect.name == "sqlite"
    convert = [table.c[n].type.bind_processor(conn.dialect) for n in names] if typed else []
    convert = convert if any(convert) else []
    count = 0
    chunk: list[tuple] = []

    def flush() -> None:
        if sqlite:
            marks = ", ".join("?" * len(names))
            values = chunk
            if convert:
                values = [
                    tuple(
                        v if f is None or v is None else f(v)
                        for f, v in zip(convert, row, strict=True)
                    )
                    for row in chunk
                ]
            raw.executemany(
                f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})", values
            )
        else:
            with (
                raw.cursor() as cur,
                cur.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy,
            ):
                for row in chunk:
                    copy.write_row(row)
        raw.commit()

    for row in rows:
        chunk.append(row)
        if len(chunk) == chunk_size:
            flush()
            count += len(chunk)
            chunk = []
    if chunk:
        flush()
        count += len(chunk)
    return count


def analyze(engine: Engine) -> None:
    """Fresh statistics for the planner, as after any bulk load."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA analysis_limit=1000")
        conn.exec_driver_sql("ANALYZE")
        conn.commit()


class StreamReader(threading.Thread):
    """Reads ``GET /api/v1/stream`` on a thread of its own and hands each event to ``take`` (its
    type, its data as text, and ``time.perf_counter()`` when its line was read); ``live`` is set
    once the subscription exists (the stream's first line), and when the reading ends."""

    def __init__(self, url: str, token: str, read_timeout: float | None = 60.0) -> None:
        super().__init__(daemon=True)
        self.url, self.token, self.read_timeout = url, token, read_timeout
        self.live = threading.Event()

    def take(self, kind: str, data: str, arrived: float) -> None:
        raise NotImplementedError

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        try:
            with (
                httpx.Client(timeout=httpx.Timeout(10, read=self.read_timeout)) as client,
                client.stream("GET", self.url, headers=headers) as response,
            ):
                kind = ""
                for line in response.iter_lines():
                    if line.startswith("retry:"):
                        self.live.set()
                    elif line.startswith("event:"):
                        kind = line[6:].strip()
                    elif line.startswith("data:"):
                        self.take(kind, line[5:], time.perf_counter())
        except httpx.HTTPError:
            pass  # the server stopped
        finally:
            self.live.set()
