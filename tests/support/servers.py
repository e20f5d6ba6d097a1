"""A real ``ioc57 serve`` process for the tests that need one (browser, simulator, stream)."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ioc57_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "ioc57", *args]


def ioc57_env(**settings: str) -> dict[str, str]:
    """This process's environment without its ``IOC57_*`` settings (a child reads only what a
    test gives it), with ``settings`` over it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC57_")}
    return env | settings


def run_ioc57(cwd: Path, *args: str, url: str | None = None) -> subprocess.CompletedProcess:
    """``ioc57 *args`` in ``cwd`` as a newcomer runs it (on ``url`` when given), its output kept."""
    env = ioc57_env(IOC57_DATABASE_URL=url) if url else ioc57_env()
    return subprocess.run(
        ioc57_command(*args), env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


@contextmanager
def running_server(
    env: dict[str, str],
    log_path: Path,
    timeout: float = 60,
    preexec_fn: Callable[[], None] | None = None,
    port: int | None = None,
) -> Iterator[str]:
    """Start ``ioc57 serve`` with ``env`` on ``port`` (default: a free one); yield its base URL
    once /healthz answers. ``preexec_fn`` runs in the child before it starts (to limit its
    memory, say)."""
    port = port or free_port()
    base = f"http://127.0.0.1:{port}"
    log = log_path.open("wb")
    process = subprocess.Popen(
        ioc57_command("serve", "--host", "127.0.0.1", "--port", str(port)),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        preexec_fn=preexec_fn,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                pytest.fail(f"ioc57 serve exited:\n{log_path.read_text()}")
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"ioc57 serve did not answer /healthz:\n{log_path.read_text()}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _demo_env(database: Path, settings: dict[str, str]) -> dict[str, str]:
    return ioc57_env(IOC57_DATABASE_URL=f"sqlite:///{database}", **settings)


def _demo_build(folder: Path, settings: dict[str, str]) -> Path:
    """The folder of an ``ioc57 demo --no-serve`` build with ``settings``, made once per test
    session (it takes 18 s) in the session's temporary folder beside ``folder``."""
    key = hashlib.sha256(repr(sorted(settings.items())).encode()).hexdigest()[:12]
    build = folder.parent / f"demo-build-{key}"
    if not (build / "done").exists():
        shutil.rmtree(build, ignore_errors=True)
        build.mkdir()
        database = build / "ioc57.db"
        subprocess.run(
            ioc57_command("demo", "--no-serve", "--db", str(database)),
            env=_demo_env(database, settings),
            check=True,
            capture_output=True,
            timeout=600,
        )
        (build / "done").touch()
    return build


@contextmanager
def demo_server(directory: Path, **settings: str) -> Iterator[str]:
    """A copy of the demo's database (``ioc57 demo --no-serve``, built once per session for each
    ``settings``) in ``directory``, then ``ioc57 serve`` on it (``settings`` are extra
    ``IOC57_*`` variables, the admin's password say); yields its base URL. Each caller gets its
    own copy, so what one test module writes no other sees."""
    build = _demo_build(directory, settings)
    for file in build.glob("ioc57.db*"):
        shutil.copy2(file, directory / file.name)
    env = _demo_env(directory / "ioc57.db", settings)
    with running_server(env, directory / "serve.log") as base:
        yield base


@contextmanager
def fresh_server(directory: Path, admin_password: str) -> Iterator[str]:
    """``ioc57 init`` of a new SQLite database in ``directory`` whose admin has
    ``admin_password``, then ``ioc57 serve`` on it; yields its base URL (the database is
    ``sqlite:///{directory}/ioc57.db``)."""
    env = ioc57_env(
        IOC57_DATABASE_URL=f"sqlite:///{directory}/ioc57.db", IOC57_ADMIN_PASSWORD=admin_password
    )
    subprocess.run(ioc57_command("init"), env=env, check=True, capture_output=True, timeout=300)
    with running_server(env, directory / "serve.log") as base:
        yield base
