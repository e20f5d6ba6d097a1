"""The citizen-reports benchmark runs end to end on a tiny size: the reports load through the gate's
file import, the panel's figures equal the raw GROUP BY's counts, the public list's first page is
the bare SELECT's, and reports filed through a real server are stored; it prints its figures."""

from __future__ import annotations

from pathlib import Path

from ..support.bench import run_bench


def test_the_feedback_bench_prints_its_figures(tmp_path: Path):
    figures = run_bench(
        "feedback.py", "--n", "1500", "--runs", "2", "--intake", "12", "--clients", "3",
        "--cache", str(tmp_path / "kept"), cwd=tmp_path, timeout=300,
    )  # fmt: skip
    assert figures["backend"] == "sqlite" and figures["n"] == 1500
    assert figures["built"]["in_this_run"] is True
    for span in ("panel_12_months", "panel_two_years"):
        panel = figures[span]
        assert 0 < panel["p50_ms"] <= panel["max_ms"] and panel["cpu_p50_ms"] >= 0
        raw = panel["raw_group_by"]
        assert raw["p50_ms"] > 0
        # the rollups and the raw rows count the same reports received, open and late now
        for key in ("open", "late"):
            assert panel["figures"][key] == raw["figures"][key], key
        assert panel["figures"]["communes_with_reports"] > 0
    # two years hold the reports received in the old communes before 2025-07-01 too; the
    # current province's rollups hold those since
    assert (
        figures["panel_12_months"]["figures"]["received"]
        == (figures["panel_12_months"]["raw_group_by"]["figures"]["received"])
    )
    page = figures["public_first_page"]
    assert (
        page["page"]["items"] == 20 and page["page"]["first"] == page["raw_select"]["page"]["first"]
    )
    operator = figures["intake"]["operator"]
    assert operator["filed"] == operator["stored"] == 12 and operator["reports_per_s"] > 0
    assert figures["intake"]["server_errors"] == 0
    assert figures["missing"] == []
    for path in ("public_form", "open311"):
        assert figures["intake"][path]["filed"] == figures["intake"][path]["stored"] == 12, path
    assert {"panel_12_months_p95_le_100ms", "public_first_page_p95_le_100ms"} <= set(
        figures["goals"]
    )
