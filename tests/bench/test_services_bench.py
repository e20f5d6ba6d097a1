"""The services benchmark runs end to end on a tiny size: its bulk rollups equal the gate's on a
sample, its baseline's counts equal the index's, a status change shows, and it prints its figures."""

from __future__ import annotations

from ..support.bench import run_bench


def test_the_services_bench_prints_its_figures_with_the_sample_checked(tmp_path):
    figures = run_bench(
        "services.py", "--dossiers", "3000", "--runs", "2", "--sample", "300", cwd=tmp_path
    )
    assert figures["sample_check"] == "equal"
    assert figures["sample"]["dossiers"] == 300 and figures["sample"]["rollup_rows"] > 0
    assert figures["dossiers"] == 3000 and figures["backend"] == "sqlite"
    assert figures["month_dossiers"]["received"] > 0
    for timing in ("index", "baseline", "ranking"):
        assert figures[timing]["p50_ms"] > 0, timing
    assert figures["ranking"]["communes"] == 102
    change = figures["status_change"]
    assert change["visible"] is True
    assert change["after"] == [change["before"][0] + 1, change["before"][1] + 1]
    assert set(figures["goals"]) == {
        "index_p95_le_100ms",
        "index_ge_50x_baseline",
        "ranking_p95_le_500ms",
        "worklist_first_page_le_100ms",
        "status_change_visible_in_next_read",
    }
    assert figures["goals"]["status_change_visible_in_next_read"] is True
    # the dossiers in hand reach the work list's table, and its first page lists them
    worklist = figures["worklist"]
    assert worklist["in_hand"] > 0
    # all of them, those of the old communes too (the held one was finished by the status change)
    assert worklist["province_first_page"]["total"] == worklist["in_hand"]
