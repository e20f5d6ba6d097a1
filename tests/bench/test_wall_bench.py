"""The wall's benchmark runs end to end in its quick mode (seconds, not minutes): real Chromium
against ``ioc57 serve`` over the demo's database; it prints its figures, each a number, with the
raw baselines measured in the same run (no speed is asserted here)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest

from ..support.bench import run_bench

pytestmark = pytest.mark.long  # minutes: scheduled first (tests/support/scheduling.py)

# the wall and its live script, built alongside the bench: until both have landed it is skipped
WALL = files("ioc57.centre") / "templates"
LIVE = files("ioc57.centre") / "static" / "live.js"


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def check_spread(figures: dict, n: int) -> None:
    assert figures["n"] == n
    assert is_number(figures["p50_ms"]) and figures["p50_ms"] <= figures["p95_ms"]
    assert figures["p95_ms"] <= figures["max_ms"]


@pytest.mark.skipif(not (WALL.is_dir() and LIVE.is_file()), reason="the wall is not there yet")
def test_the_wall_bench_prints_its_figures(tmp_path: Path):
    figures = run_bench(
        "wall.py", "--quick", "--cache", str(tmp_path / "kept"), cwd=tmp_path, timeout=600
    )
    assert figures["quick"] is True and figures["path"] == "/wall"

    paint = figures["first_paint"]
    for mode in ("cold", "warm"):
        check_spread(paint[mode], 2)
        assert paint[mode]["tiles"] > 0  # the first page shows tiles, all filled
        check_spread(paint[mode]["first_contentful_paint"], 2)
    check_spread(paint["raw_bare_page_first_paint"], 2)
    assert is_number(paint["heap_after_load"]["heap_used_mb"])

    latency = figures["ingest_to_wall"]
    assert latency["tile"] == "ingest.today" and latency["pushes"] == 4
    assert latency["missed"] == 0  # each push changed the tile's figure
    check_spread(latency["answer_to_visible"], 4)
    check_spread(latency["raw_answer_to_event"], 4)
    assert latency["raw_answer_to_event"]["missed"] == 0
    assert latency["value_before"] != latency["value_after"]

    run = figures["endurance"]
    assert run["minutes"] == 0.5 and run["factor"] == 10 and run["path"] == "/wall?page=1"
    assert run["demo_rate"]["records_per_s"] > 0
    assert run["pushes"] > run["catalogue_pushes"] and run["push_failures"] == 0
    # every push's event reached the page, and the wall's figure ends equal to the server's
    assert run["missing_events"] == 0 and run["missed_updates"] == 0
    assert run["figure_matches"] is True and run["wall_moved"] == run["api_moved"] > 0
    heap = run["heap"]
    assert is_number(heap["start_mb"]) and is_number(heap["end_mb"]) and heap["start_mb"] > 0
    assert heap["fresh_load_mb"] > 0 and isinstance(heap["above_fresh_load_pct"], int | float)
    assert len(run["samples"]) >= 3  # every 10 s in the quick mode, and at the end
    assert all(is_number(s["heap_used_mb"]) for s in run["samples"])

    assert set(figures["goals"]) == {
        "first_paint_p95_le_1500ms",
        "answer_to_visible_p95_le_1000ms",
        "no_missed_update",
        "endurance_no_missed_update",
        "endurance_heap_above_fresh_load_le_20pct",
    }
    for name, figure in figures["goals"].items():
        assert isinstance(figure["value"], int | float) and figure["pass"] in (True, False), name
