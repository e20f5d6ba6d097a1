"""The citizen reports' figures for alert rules: the reports past their deadline per agency, per
commune or both (``feedback.late``), every series with a report waiting, 0 when none is late; the
reports received today per commune (``feedback.received``); and an alert rule on the first."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ioc57.core import figures
from ioc57.core.clock import LOCAL_TZ, now

from ..support.feedback import PROVINCE

AGENCIES = ("CT-T82", "YT-T82")


def samples(app, name: str, **params) -> dict[tuple[str, ...], figures.Sample]:
    with app.state.engine.connect() as conn:
        found = figures.samples(conn, name, params)
    return {tuple(s.labels.values()): s for s in found}


def ago(days: int) -> str:
    return (now() - timedelta(days=days)).astimezone(LOCAL_TZ).isoformat()


@pytest.fixture(scope="module")
def agencies(feedback):
    for code in AGENCIES:
        body = {"code": code, "name": f"Sở {code}", "parent": PROVINCE, "type": "sở"}
        r = feedback.client.post("/api/v1/units", json=body, headers=feedback.admin)
        assert r.status_code in (201, 409), r.text
    return AGENCIES


def test_late_reports_are_counted_per_agency_and_commune(feedback, agencies):
    first, second = agencies
    app = feedback.api.app
    # 40 days: past 15 working days whatever the holidays; 1 hour: not late
    feedback.new(0, received_at=ago(40), status="forwarded", agency=first)
    feedback.new(1, received_at=ago(40), status="in_progress", agency=first)
    feedback.new(1, status="forwarded", agency=second)
    feedback.new(2, received_at=ago(40))  # not forwarded: no agency, late to be taken up
    feedback.new(2, received_at=ago(40), status="closed", agency=second)  # waits on nobody
    c0, c1, c2 = feedback.communes
    by_agency = samples(app, "feedback.late")
    assert {k: s.value for k, s in by_agency.items()} == {(first,): 2, (second,): 0}
    assert by_agency[(first,)].labels == {"agency": first}
    by_commune = samples(app, "feedback.late", by="commune")
    assert {k: s.value for k, s in by_commune.items()} == {(c0,): 1, (c1,): 1, (c2,): 1}
    both = samples(app, "feedback.late", by="both")
    assert {k: s.value for k, s in both.items()} == {
        (first, c0): 1,
        (first, c1): 1,
        (second, c1): 0,
    }
    assert both[(first, c0)].unit_id == by_commune[(c0,)].unit_id  # the commune's series
    with pytest.raises(ValueError, match="by must be"):
        samples(app, "feedback.late", by="nope")
    received = samples(app, "feedback.received")
    assert received[(c1,)].value == 1  # the one received today

    # an alert rule on it: the agency with late reports fires, the other does not
    rule = {
        "name": "feedback-late-test",
        "title": "Phản ánh quá hạn",
        "kind": "threshold",
        "figure": "feedback.late",
        "params": {"by": "agency"},
        "op": ">",
        "threshold": 0,
        "severity": "warning",
    }
    r = feedback.client.post("/api/v1/alert-rules", json=rule, headers=feedback.admin)
    assert r.status_code == 201, r.text
    app.state.alerts_evaluator.evaluate_all()  # the scheduler's round
    r = feedback.client.get(
        "/api/v1/alerts", params={"rule": "feedback-late-test"}, headers=feedback.admin
    )
    assert r.status_code == 200, r.text
    firing = {a["labels"]["agency"] for a in r.json()["items"] if a["state"] == "firing"}
    assert firing == {first}


def test_both_figures_are_offered_and_re_evaluated_on_reports():
    late, received = figures.figure("feedback.late"), figures.figure("feedback.received")
    assert late is not None and late.record_types == ("feedback",) and set(late.params) == {"by"}
    assert received is not None and received.uom == "count"
