"""The scorecard's computed indicators of citizen reports — received, answered on time, satisfied —
for the province and for a commune, from reports pushed by a 1022 platform and answered through
the workflow; and the reported ``hotline_1022_reports`` untouched beside them."""

from __future__ import annotations

from datetime import datetime

import pytest

from ioc57.core.clock import LOCAL_TZ, today

from ..support.feedback import PROVINCE
from ..support.indicators import card

AGENCY = "TNMT-T82"
RECEIVED, ON_TIME, SATISFIED = (
    "hotline_1022_reports_live",
    "feedback_on_time_rate",
    "feedback_satisfaction_rate",
)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ)


def answered(received: str, answered_on: str, **fields) -> dict:
    return {
        "received_at": at(received).isoformat(),
        "answered_at": at(answered_on).isoformat(),
        "status": "answered",
        "agency": AGENCY,
        "answer": "Đã xử lý.",
    } | fields


@pytest.fixture(scope="module")
def agency(feedback):
    body = {"code": AGENCY, "name": "Sở thử nghiệm", "parent": PROVINCE, "type": "sở"}
    r = feedback.client.post("/api/v1/units", json=body, headers=feedback.admin)
    assert r.status_code in (201, 409), r.text
    return AGENCY


def test_the_scorecard_counts_reports_and_rates_answers_of_the_province_and_a_commune(
    feedback, feedback_client, agency
):
    # 2025, commune 0: answered in 2 working days and satisfied; answered after 25 working days
    # (the deadline is 15) and not satisfied; one waiting. Commune 1: answered on time, not rated
    feedback.new(
        0,
        **answered(
            "2025-10-01T08:00", "2025-10-03T16:00", status="closed", satisfaction="satisfied"
        ),
    )
    feedback.new(0, at=at("2025-10-01T09:00"))
    feedback.new(
        0,
        **answered(
            "2025-08-25T08:00", "2025-10-01T10:00", status="reopened", satisfaction="unsatisfied"
        ),
    )
    feedback.new(1, **answered("2025-10-06T08:00", "2025-10-08T08:00"))
    province = {code: card(feedback_client, PROVINCE, 2025, code) for code in (RECEIVED, ON_TIME)}
    assert province[RECEIVED]["value"] == 4
    assert province[ON_TIME]["numerator"] == 2 and province[ON_TIME]["denominator"] == 3
    assert province[ON_TIME]["value"] == pytest.approx(200 / 3)
    assert province[ON_TIME]["unit_of_measure"] == "%" and province[ON_TIME]["simulated"] is False
    rated = card(feedback_client, PROVINCE, 2025, SATISFIED)
    assert (rated["numerator"], rated["denominator"]) == (1, 2) and rated["value"] == 50

    commune, other = feedback.communes[0], feedback.communes[1]
    assert card(feedback_client, commune, 2025, RECEIVED)["value"] == 3
    assert card(feedback_client, commune, 2025, ON_TIME)["value"] == 50
    assert card(feedback_client, other, 2025, ON_TIME)["value"] == 100
    assert card(feedback_client, other, 2025, SATISFIED)["value"] is None  # nobody rated
    assert card(feedback_client, PROVINCE, 2024, RECEIVED)["value"] is None

    # this year: a report answered through the workflow counts at once
    year = today().year
    before = card(feedback_client, feedback.communes[2], year, ON_TIME)
    assert before["value"] is None
    row = feedback.new(2)
    for body in ({"step": "forward", "agency": AGENCY}, {"step": "answer", "answer": "Xong."}):
        r = feedback_client.post(
            f"/api/v1/feedback/reports/{row.record_id}/steps", json=body, headers=feedback.admin
        )
        assert r.status_code == 200, r.text
    after = card(feedback_client, feedback.communes[2], year, ON_TIME)
    assert (after["numerator"], after["denominator"], after["value"]) == (1, 1, 100)
    assert card(feedback_client, feedback.communes[2], year, RECEIVED)["value"] == 1


def test_the_reported_hotline_indicator_stays_reported(feedback_client):
    items = feedback_client.get("/api/v1/indicators").json()
    found = {i["code"]: i for i in (items["items"] if isinstance(items, dict) else items)}
    assert found["hotline_1022_reports"]["source"] == "reported"
    assert found[RECEIVED]["source"] == "computed"
    assert found[ON_TIME]["source"] == found[SATISFIED]["source"] == "computed"
