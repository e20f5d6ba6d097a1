"""What the alerts offer the operations centre, read through the registry as the centre reads it:
each alert firing in the person's scope as a concern ranked by its rule's severity, and the tile
of the alerts firing by severity. The alerts are raised by the evaluator from the test figure."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ioc57.centre import registry
from ioc57.core.clock import now
from ioc57.modules import Concern

from ..support import offers
from ..support.alerts import evaluate, put
from .pagedata import unit_id


@pytest.fixture(scope="module")
def raised(alerts_app, alerts_api, make_rule):
    """A critical alert in Hà Nội (01), a warning in Đồng Tháp (82), a critical one resolved."""
    alerts_api.user("hn.officer", "officer", "01")
    with alerts_app.state.engine.connect() as conn:
        hn, dt = unit_id(conn, "01"), unit_id(conn, "82")
    at = now() - timedelta(minutes=30)
    for name, severity, unit in (
        ("co-flood", "critical", hn),
        ("co-salt", "warning", dt),
        ("co-gone", "critical", dt),
    ):
        make_rule(name, severity=severity, title=f"Rule {name}")
        put(name, "S1", 2.5, at=at, unit_id=unit)
        evaluate(alerts_app, name, at)
    put("co-gone", "S1", 0.5, at=at + timedelta(minutes=1))
    evaluate(alerts_app, "co-gone", at + timedelta(minutes=1))
    return at


def test_each_alert_firing_is_a_concern_ranked_by_its_rules_severity(
    alerts_app, alerts_api, raised
):
    found = offers.concerns(alerts_app, alerts_api.token("admin"), "alerts")
    assert [c.title for c in found] == ["Rule co-flood", "Rule co-salt"]
    flood, salt = found
    assert (flood.severity, salt.severity) == (3, 2)
    assert flood.since == raised and flood.since.utcoffset() == timedelta(0)
    assert flood.args == {"value": 2.5, "threshold": 1.0, "op": "above"}
    assert flood.why.format(**flood.args) == "2.5 is above the threshold 1.0"
    assert flood.owner and flood.unit_code == "01"
    assert flood.href.startswith("/alerts/") and flood.key == f"alerts:alert:{flood.href[8:]}"
    # its page is the alert's
    assert alerts_app.state and flood.href.split("/")[-1].isdigit()
    assert salt.unit_code == "82"
    watches = [w for w in registry.offered().watches if "alerts" in str(w.find)]
    assert watches and watches[0].events == ("alerts.changed",)


def test_an_officer_sees_the_alerts_of_its_unit_only(alerts_app, alerts_api, raised):
    found = offers.concerns(alerts_app, alerts_api.tokens["hn.officer"], "alerts")
    assert [c.title for c in found] == ["Rule co-flood"]
    tile = offers.tile(alerts_app, alerts_api.tokens["hn.officer"], "alerts.firing")
    assert tile is not None and tile["value"] == 1


def test_the_tile_counts_the_alerts_firing_by_severity(alerts_app, alerts_api, raised):
    admin = alerts_api.token("admin")
    tile = offers.tile(alerts_app, admin, "alerts.firing")
    assert tile is not None
    assert tile["value"] == 2 and tile["status"] == "bad" and tile["good"] == "down"
    assert [(r["label"], r["value"]) for r in tile["rows"]] == [
        ("critical", 1),
        ("warning", 1),
        ("information", 0),
    ]
    assert tile["updated_at"] >= raised
    # the critical one resolves: a warning is left, to watch
    put("co-flood", "S1", 0.2, at=raised + timedelta(minutes=2))
    evaluate(alerts_app, "co-flood", raised + timedelta(minutes=2))
    tile = offers.tile(alerts_app, admin, "alerts.firing")
    assert tile is not None and tile["value"] == 1 and tile["status"] == "watch"
    assert [c.title for c in offers.concerns(alerts_app, admin, "alerts")] == ["Rule co-salt"]
    offered = registry.offered().tile("alerts.firing")
    assert offered is not None and offered.events == ("alerts.changed",)


def test_a_muted_alert_stays_on_the_list_to_watch(
    alerts_app, alerts_api, alerts_client, admin, make_rule, raised
):
    make_rule("co-hush", severity="critical", title="Rule co-hush")
    put("co-hush", "S1", 3.0, at=raised, unit_id=None)
    evaluate(alerts_app, "co-hush", raised)
    token = alerts_api.token("admin")

    def hush() -> Concern:
        return next(c for c in offers.concerns(alerts_app, token, "alerts") if "hush" in c.title)

    assert hush().severity == 3
    body = {
        "matchers": [{"name": "alertname", "op": "=", "value": "co-hush"}],
        "starts_at": None,
        "ends_at": (now() + timedelta(hours=2)).isoformat(),
        "comment": "Bảo trì trạm",
    }
    r = alerts_client.post("/api/v1/silences", json=body, headers=admin)
    assert r.status_code == 201, r.text
    assert hush().severity == 1
    alerts_client.delete(f"/api/v1/silences/{r.json()['id']}", headers=admin)
    assert hush().severity == 3
