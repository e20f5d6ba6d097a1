"""What the benchmarks share: percentiles, a free loopback port, ``ioc57`` as a subprocess, and a
real ``ioc57 serve`` started and stopped as an operator would."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


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
