"""Running a script of ``bench/`` as its user would, on a tiny size: its JSON figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCHES = Path(__file__).resolve().parents[2] / "bench"


def run_bench(script: str, *args: str, cwd: Path, timeout: float = 120) -> dict:
    """The figures ``bench/<script>`` prints with ``args``; its standard error if it fails."""
    done = subprocess.run(
        [sys.executable, str(BENCHES / script), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
