"""The partitioning benchmark runs end to end on a tiny size: it times a province's scorecard and
766 index on both databases, and reads off EXPLAIN that each statement scans its province's
partition only."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..support.backends import BACKENDS
from ..support.bench import run_bench_lines

pytestmark = [
    pytest.mark.long,
    pytest.mark.skipif(
        not {"postgresql", "partitioned"} & set(BACKENDS), reason="PostgreSQL not tested"
    ),
]


def test_the_partitions_bench_shows_one_partition_read_and_both_times(
    tmp_path: Path, pg_admin_url: str
) -> None:
    lines = run_bench_lines(
        "partitions.py",
        *("--days", "2", "--runs", "2", "--database-url", pg_admin_url),
        cwd=tmp_path,
        timeout=300,
    )
    timed = {(x["read"], x["database"]) for x in lines if "database" in x}
    assert timed == {
        (read, db) for read in ("index766", "scorecard") for db in ("unpartitioned", "partitioned")
    }
    plans = [x["explain"] for x in lines if "explain" in x]
    assert {p["read"] for p in plans} == {"index766", "scorecard"}
    assert {"rollups", "indicator_rollups"} <= {t for p in plans for t in p["tables"]}
    for plan in plans:
        assert plan["partitions"] == [f"{plan['tables'][0]}_p82"], plan
    verdict = lines[-1]["verdict"]
    for read in ("index766", "scorecard"):
        assert verdict[read]["one_partition_each_statement"] is True
        assert verdict[read]["p50_ratio_partitioned_to_unpartitioned"] > 0
