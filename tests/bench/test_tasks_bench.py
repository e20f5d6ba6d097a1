"""The tasks benchmark runs end to end on a tiny size: its data pass the gate and its checks (the
roll-ups equal the statuses of the tasks read with plain SQL), it prints its figures, and a second
run takes the data kept by the first."""

from __future__ import annotations

from pathlib import Path

from ..support.bench import run_bench

TIMINGS = (
    "province_summary",
    "province_baseline",
    "national",
    "national_baseline",
    "country_summary",
    "country_baseline",
    "national_page_reads",
    "national_page_baseline",
)


def bench(tmp_path: Path) -> dict:
    return run_bench(
        "tasks.py",
        "--scale",
        "0.01",
        "--months",
        "14",
        "--runs",
        "2",
        "--docx-runs",
        "1",
        "--no-http",
        "--cache",
        str(tmp_path / "cache"),
        cwd=tmp_path,
    )


def test_the_tasks_bench_prints_its_figures_and_keeps_its_data(tmp_path):
    figures = bench(tmp_path)
    assert figures["backend"] == "sqlite" and figures["provinces"] == 34
    assert figures["data"]["built_in_this_run"] is True
    rows = figures["rows"]
    assert rows["tasks_tasks"] == 34 * 3
    assert rows["tasks_reports"] > rows["tasks_tasks"]  # a report a month, from their start
    assert rows["tasks_events"] > rows["tasks_reports"]  # each report, and the decisions
    check = figures["check"]
    assert check["result"] == "equal"
    assert sum(check["statuses"].values()) == rows["tasks_tasks"]
    for timing in TIMINGS:
        assert figures[timing]["runs"] == 2 and figures[timing]["p50_ms"] > 0, timing
    assert figures["national"]["lines"] == 34
    docx = figures["docx"]
    assert docx["bytes"] > 0 and docx["summary_and_render"]["p50_ms"] > 0
    assert figures["http"] == {"skipped": "--no-http"}
    assert set(figures["goals"]) == {
        "province_summary_p95_le_100ms",
        "national_p95_le_300ms",
        "national_page_reads_p95_le_300ms",
        "docx_p95_le_2000ms",
    }

    again = bench(tmp_path)
    assert again["data"] == {"name": figures["data"]["name"], "built_in_this_run": False}
    assert again["rows"] == rows and again["check"] == check
