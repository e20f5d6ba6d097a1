"""Evaluating a rule moves each series' alert as Grafana's users expect: pending for ``for``,
then firing; resolved after ``keep_firing_for``; no data; an error when the figure fails; one
instance per series; a transition row per state change; and its group noted for notification."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ioc57.alerts.tables import groups, instances, transitions

from ..support.alerts import T0, drop, evaluate, put

M = timedelta(minutes=1)


def states(changes) -> list[tuple[str, str]]:
    return [(c.from_state.value, c.to_state.value) for c in changes]


def alert_of(client, admin, rule: str) -> dict:
    r = client.get("/api/v1/alerts", params={"rule": rule}, headers=admin)
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert len(items) == 1, items
    return items[0]


def test_pending_for_then_firing(alerts_app, alerts_client, admin, make_rule):
    make_rule("pend", **{"for": "10m"})
    put("pend", "S1", 1.5, at=T0)
    assert states(evaluate(alerts_app, "pend", T0)) == [("normal", "pending")]
    assert evaluate(alerts_app, "pend", T0 + 9 * M) == []  # true for 9 of 10 minutes
    assert states(evaluate(alerts_app, "pend", T0 + 10 * M)) == [("pending", "firing")]
    alert = alert_of(alerts_client, admin, "pend")
    assert alert["state"] == "firing" and alert["value"] == 1.5 and alert["threshold"] == 1.0
    assert alert["labels"] == {
        "station": "S1",
        "alertname": "pend",
        "severity": "critical",
    }
    assert alert["started_at"].endswith("+07:00")
    # its group waits to be sent (``groups.note_changes``, in the same transaction)
    with alerts_app.state.engine.connect() as conn:
        rule_id = conn.execute(
            select(instances.c.rule_id).where(instances.c.id == alert["id"])
        ).scalar_one()
        due = conn.execute(
            select(groups.c.next_flush_at).where(groups.c.rule_id == rule_id)
        ).scalar_one()
    assert due is not None


def test_pending_that_turns_false_never_fires(alerts_app, make_rule):
    make_rule("blip", **{"for": "5m"})
    put("blip", "S1", 2.0, at=T0)
    assert states(evaluate(alerts_app, "blip", T0)) == [("normal", "pending")]
    put("blip", "S1", 0.5, at=T0 + M)
    assert states(evaluate(alerts_app, "blip", T0 + M)) == [("pending", "normal")]
    put("blip", "S1", 2.0, at=T0 + 2 * M)
    evaluate(alerts_app, "blip", T0 + 2 * M)
    # the clock of ``for`` starts again: 5 minutes after the first truth is not enough
    assert states(evaluate(alerts_app, "blip", T0 + 5 * M)) == []
    assert states(evaluate(alerts_app, "blip", T0 + 7 * M)) == [("pending", "firing")]


def test_keep_firing_for(alerts_app, make_rule):
    make_rule("keep", keep_firing_for="30m")
    put("keep", "S1", 3.0, at=T0)
    assert states(evaluate(alerts_app, "keep", T0)) == [("normal", "firing")]
    put("keep", "S1", 0.2, at=T0 + M)
    assert evaluate(alerts_app, "keep", T0 + 29 * M) == []  # false, but within keep_firing_for
    assert states(evaluate(alerts_app, "keep", T0 + 30 * M)) == [("firing", "resolved")]
    assert evaluate(alerts_app, "keep", T0 + 31 * M) == []  # resolved stays resolved


def test_nodata_state_and_nodata_rule(alerts_app, alerts_client, admin, make_rule):
    make_rule("stale", nodata_after="1h")
    put("stale", "S1", 0.5, at=T0)
    assert evaluate(alerts_app, "stale", T0 + 30 * M) == []  # fresh and below: no instance
    assert states(evaluate(alerts_app, "stale", T0 + 61 * M)) == [("normal", "nodata")]
    put("stale", "S1", 0.4, at=T0 + 70 * M)
    assert states(evaluate(alerts_app, "stale", T0 + 71 * M)) == [("nodata", "normal")]

    make_rule("quiet", kind="nodata", nodata_after="1h", threshold=None)
    put("quiet", "S9", 7.0, at=T0)
    assert evaluate(alerts_app, "quiet", T0 + 59 * M) == []
    assert states(evaluate(alerts_app, "quiet", T0 + 61 * M)) == [("normal", "firing")]
    assert alert_of(alerts_client, admin, "quiet")["labels"]["alertname"] == "quiet"


def test_series_own_threshold(alerts_app, make_rule):
    """threshold null: each series' own limit; a series with none is not judged."""
    make_rule("own", threshold=None)
    put("own", "A", 1.2, at=T0, threshold=1.0)
    put("own", "B", 1.2, at=T0, threshold=2.0)
    put("own", "C", 99.0, at=T0)  # no limit of its own
    changes = evaluate(alerts_app, "own", T0)
    assert [(c.labels["station"], c.to_state.value) for c in changes] == [("A", "firing")]


def test_same_series_is_one_instance(alerts_app, make_rule):
    """Dedup: evaluated again and again, and from two labels orders, one series is one row."""
    make_rule("dedup")
    put("dedup", "S1", 5.0, at=T0, labels={"b": "2", "a": "1"})
    for minute in range(3):
        evaluate(alerts_app, "dedup", T0 + minute * M)
    put("dedup", "S1", 5.0, at=T0, labels={"a": "1", "b": "2"})
    evaluate(alerts_app, "dedup", T0 + 4 * M)
    with alerts_app.state.engine.connect() as conn:
        rows = conn.execute(
            select(instances.c.id, instances.c.fingerprint).where(
                instances.c.labels.contains('"alertname":"dedup"')
            )
        ).all()
        assert len(rows) == 1
        steps = conn.execute(
            select(transitions.c.to_state).where(transitions.c.alert_id == rows[0].id)
        ).scalars()
        assert list(steps) == ["firing"]  # one transition: the same state is not a change


def test_figure_error_and_series_gone(alerts_app, make_rule):
    from ..support.alerts import FAILING

    make_rule("flaky")
    put("flaky", "S1", 5.0, at=T0)
    put("flaky", "S2", 5.0, at=T0)
    assert len(evaluate(alerts_app, "flaky", T0)) == 2
    FAILING.add("flaky")
    try:
        changes = evaluate(alerts_app, "flaky", T0 + M)
    finally:
        FAILING.discard("flaky")
    assert sorted(states(changes)) == [("firing", "error")] * 2
    assert "RuntimeError" in changes[0].reason
    assert sorted(states(evaluate(alerts_app, "flaky", T0 + 2 * M))) == [("error", "firing")] * 2
    drop("flaky", "S2")  # the figure no longer gives it: a full evaluation resolves it
    changes = evaluate(alerts_app, "flaky", T0 + 3 * M)
    assert [(c.labels["station"], c.to_state.value) for c in changes] == [("S2", "resolved")]
    # an evaluation of one batch judges only the series the batch changed
    drop("flaky", "S1")
    assert evaluate(alerts_app, "flaky", T0 + 4 * M, batch=12345) == []


def test_scope_by_units(alerts_app, make_rule):
    """A rule of one province watches the series of its subtree only."""
    from ioc57.core.clock import today
    from ioc57.units.queries import unit_at

    with alerts_app.state.engine.connect() as conn:
        inside = unit_at(conn, "82", today()).id
        outside = unit_at(conn, "01", today()).id
    make_rule("scoped", units=["82"])
    put("scoped", "IN", 5.0, at=T0, unit_id=inside)
    put("scoped", "OUT", 5.0, at=T0, unit_id=outside)
    changes = evaluate(alerts_app, "scoped", T0)
    assert [c.labels["station"] for c in changes] == ["IN"]
    assert changes[0].unit_id == inside
