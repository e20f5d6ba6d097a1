"""The traceability benchmark runs end to end on a tiny size: the capture through the API keeps
every event it sends, the bulk load writes the events, their identifiers and the chain it says, the
raw trace reaches the farm lots through three transformations, the verification (raw and the
ledger's) finds the chain whole, and a second run takes the data kept by the first."""

from __future__ import annotations

from pathlib import Path

from ..support.bench import run_bench


def bench(tmp_path: Path) -> dict:
    return run_bench(
        "traceability.py",
        "--events",
        "2000",
        "--verify-events",
        "1000",
        "--capture-events",
        "200",
        "--document-events",
        "100",
        "--runs",
        "2",
        "--capture-via",
        "asgi",
        "--cache",
        str(tmp_path / "cache"),
        cwd=tmp_path,
    )


def test_the_traceability_bench_prints_its_figures_and_keeps_its_data(tmp_path):
    figures = bench(tmp_path)
    assert figures["backend"] == "sqlite" and figures["families"] == 200
    assert figures["rows"] == {
        "trace_events": 2000,
        "trace_event_epcs": 3000,  # a family's ten events name fifteen identifiers
        "trace_chain": 1000,
        "db_mb": figures["rows"]["db_mb"],
    }
    load = figures["data"]["load"]
    assert figures["data"]["built_in_this_run"] is True
    assert (load["events"], load["event_epcs"], load["chain"]) == (2000, 3000, 1000)
    assert figures["missing"] == []
    capture = figures["capture"]
    assert capture["endpoint"] == "/epcis/capture"
    for mode in ("hash", "given"):
        assert capture[mode]["events"] == 200 and capture[mode]["documents"] == 2, mode
        assert capture[mode]["events_per_s"] > 0
    assert capture["baseline"]["events"] == 200
    # a pallet, its lot, the two lots before it, the two farm lots: four steps back
    trace = figures["trace_backward_baseline"]
    assert (trace["nodes"], trace["depth"], trace["runs"]) == (6, 4, 2)
    assert figures["epc_events_baseline"]["events_of_the_last"] >= 2
    # the query and trace modules read what their baselines read
    assert figures["epc_events"]["events_of_the_last"] >= 2
    assert figures["trace_backward"]["same_nodes_as_baseline"] is True
    assert figures["verify_baseline"]["rows"] == 1000
    assert figures["verify_baseline"]["problems"] == 0
    # the ledger's verify, in the process and as ``ioc57 trace verify --source benchtrace``
    assert (figures["verify"]["rows"], figures["verify"]["problems"]) == (1000, 0)
    assert figures["verify_command"]["exit"] == 0
    assert "no problem found" in figures["verify_command"]["last_line"]
    assert set(figures["goals"]) >= {
        "capture_ge_5000_events_per_s",
        "epc_events_p95_le_50ms",
        "trace_backward_p95_le_200ms",
    }

    again = bench(tmp_path)
    assert again["data"] == {"name": figures["data"]["name"], "built_in_this_run": False}
    assert again["rows"]["trace_events"] == 2000
