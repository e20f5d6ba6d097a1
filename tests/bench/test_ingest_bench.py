"""The gate's benchmark runs end to end on a tiny size: each path passes every record, the
re-import that changes every record updates each one and keeps its earlier version, and each
path prints its figures with its ratio to the raw baseline of the same run; the file import its
ratio to the floor of the gate's own writes."""

from __future__ import annotations

from pathlib import Path

from ..support.bench import run_bench_lines

N = 300


def test_the_ingest_bench_prints_each_path_against_its_raw_baseline(tmp_path: Path) -> None:
    lines = run_bench_lines(
        "ingest.py", "--n", str(N), "--paths", "file,update,floor,raw", cwd=tmp_path, timeout=300
    )
    by_path = {line["path"].split(" (")[0]: line for line in lines}
    assert set(by_path) == {
        "file import",
        "file re-import changing every record",
        "the gate's writes alone",
        "raw baseline",
    }
    for line in lines:
        assert line["n"] == N and line["seconds"] > 0 and line["records_per_s"] > 0
        assert line["ratio_to_raw"] > 0 and line["peak_rss_mb"] > 0
    assert by_path["raw baseline"]["ratio_to_raw"] == 1.0
    update = by_path["file re-import changing every record"]
    assert (update["updated"], update["rejected"], update["versions_kept"]) == (N, 0, N)
    floor = by_path["the gate's writes alone"]
    assert floor["rollup_cells"] > N  # a dossier counts in several units and metrics
    assert 0 < by_path["file import"]["ratio_to_floor"] < 5
