"""The alerts benchmark runs end to end on a tiny size (``--quick``): every crossing of a station's
threshold is seen firing on the live stream, the intrusion reaches each channel as one signed
message holding every struck station, the evaluation is timed against its raw baseline, and the
forecast beats the same hour yesterday on the held-out days."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from ..support.bench import run_bench

# the parts the bench drives, built alongside it: until each has landed the bench says it is missing
PARTS = ("ioc57.alerts.evaluator", "ioc57.alerts.notify", "ioc57.sensors.forecast")


@pytest.mark.skipif(
    any(importlib.util.find_spec(p) is None for p in PARTS), reason="the alerts are not all there"
)
def test_the_alerts_bench_prints_its_figures(tmp_path: Path):
    figures = run_bench("alerts.py", "--quick", cwd=tmp_path)
    assert figures["missing"] == []
    assert (figures["stations"], figures["rules"], figures["rounds"]) == (20, 12, 2)
    assert figures["pushes"] == 10 and figures["crossings"] == 8  # one station in five a round

    fired = figures["latency"]["answer_to_firing"]
    assert fired["n"] == figures["crossings"] and fired["missing"] == 0
    assert 0 <= fired["p50_ms"] <= fired["p95_ms"] <= fired["max_ms"]
    raw = figures["latency"]["raw_answer_to_batch_event"]
    assert raw["n"] == figures["pushes"]
    assert figures["latency"]["raw_push_round_trip"]["p50_ms"] > 0

    notified = figures["notifications"]
    assert notified["messages_per_channel"] == {"a": 1, "b": 1}
    assert notified["firing_alerts_per_message"] == {"a": [10], "b": [10]}
    assert notified["signed"] is True

    cost = figures["evaluation"]
    assert cost["readings"] == 40 and cost["batches"] == 10
    assert cost["state_changes"] > 0  # the readings moved alerts, as in the live run
    assert cost["per_reading_p50_us"] > 0 and cost["raw_per_reading_p50_us"] > 0
    assert cost["scheduled_round_all_rules_ms"] > 0

    forecast = figures["forecast"]
    assert forecast["stations"] == 2 and forecast["held_out_days"] == 3
    assert forecast["mae_24h"] < forecast["naive_mae"]
    assert set(figures["goals"]) == {
        "answer_to_firing_p95_le_1000ms",
        "one_message_per_channel",
        "forecast_beats_naive",
    }
    assert figures["goals"]["one_message_per_channel"]["pass"] is True
