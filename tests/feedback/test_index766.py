"""The Decision 766 index's satisfaction group follows the reports about procedures: a report in a
category about procedures (sent by a platform that does not flag it) counts in 5.1 once answered
through the workflow, and in 5.2 until the citizen says they are not satisfied."""

from __future__ import annotations

from ioc57.core.clock import today

from ..support.feedback import PROVINCE

AGENCY = "TP-T82"


def criteria(feedback, unit: str) -> dict[str, tuple[float, float]]:
    r = feedback.client.get(
        "/api/v1/services/index",
        params={"unit": unit, "period": f"{today():%Y%m}"},
        headers=feedback.admin,
    )
    assert r.status_code == 200, r.text
    return {i["id"]: (i["numerator"], i["denominator"]) for i in r.json()["indicators"]}


def step(feedback, record_id: str, **body) -> dict:
    r = feedback.client.post(
        f"/api/v1/feedback/reports/{record_id}/steps", json=body, headers=feedback.admin
    )
    assert r.status_code == 200, r.text
    return r.json()


def test_a_report_about_a_procedure_moves_the_satisfaction_group(feedback):
    body = {"code": AGENCY, "name": "Sở Tư pháp thử nghiệm", "parent": PROVINCE, "type": "sở"}
    r = feedback.client.post("/api/v1/units", json=body, headers=feedback.admin)
    assert r.status_code in (201, 409), r.text
    commune = feedback.communes[0]
    assert criteria(feedback, commune)["5.2"] == (0, 0)
    row = feedback.new(0, category="thu-tuc-hanh-chinh", text="Hồ sơ khai sinh trễ hẹn 10 ngày.")
    assert row.about_procedure
    feedback.new(0)  # about the environment: not the index's
    assert criteria(feedback, commune)["5.2"] == (1, 1)
    assert criteria(feedback, commune)["5.1"] == (0, 0)  # not answered, not yet due

    step(feedback, row.record_id, step="forward", agency=AGENCY)
    step(feedback, row.record_id, step="answer", answer="Đã trả kết quả cho công dân.")
    answered = criteria(feedback, commune)
    assert answered["5.1"] == (1, 1) and answered["5.2"] == (1, 1)

    step(feedback, row.record_id, step="rate", satisfaction="unsatisfied")
    for unit in (commune, PROVINCE):
        rated = criteria(feedback, unit)
        assert rated["5.2"] == (0, 1)  # not satisfied: answered, but not without dissatisfaction
        assert rated["5.1"] == (1, 1)
