"""Running a script of ``bench/`` as its user would, on a tiny size: its JSON figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCHES = Path(__file__).resolve().parents[2] / "bench"


def _output(script: str, args: tuple[str, ...], cwd: Path, timeout: float) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCHES / script), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def run_bench(script: str, *args: str, cwd: Path, timeout: float = 120) -> dict:
    """The figures ``bench/<script>`` prints with ``args``; its standard error if it fails."""
    return json.loads(_output(script, args, cwd, timeout))


def run_bench_lines(script: str, *args: str, cwd: Path, timeout: float = 120) -> list[dict]:
    """The JSON lines ``bench/<script>`` prints with ``args`` (one per measurement)."""
    return [json.loads(line) for line in _output(script, args, cwd, timeout).splitlines()]
