"""A report's life through the API: every status, each step a row of its timeline with who and
when, steps refused from the wrong status (409) or without their field (422), and the scope of an
agency's officer."""

from __future__ import annotations

from ..support.http import auth

AGENCY = "TNMT-T82"


def step(feedback, report_id, token=None, expect=200, **body):
    headers = auth(token) if token else feedback.admin
    r = feedback.client.post(
        f"/api/v1/feedback/reports/{report_id}/steps", json=body, headers=headers
    )
    assert r.status_code == expect, r.text
    return r.json()


def make_agency(feedback, code=AGENCY):
    body = {"code": code, "name": "Sở thử nghiệm", "parent": "82", "type": "sở"}
    r = feedback.client.post("/api/v1/units", json=body, headers=feedback.admin)
    assert r.status_code in (201, 409), r.text


def test_a_report_walks_from_receipt_to_a_rating_that_reopens_it_and_closes_it(feedback):
    make_agency(feedback)
    row = feedback.new()
    assert row.status == "received" and row.due_step == "triage"
    rid = row.record_id
    step(feedback, rid, step="answer", answer="x", expect=409)  # not forwarded yet
    step(feedback, rid, step="forward", expect=422)  # no agency
    after = step(feedback, rid, step="forward", agency=AGENCY)
    assert after["status"] == "forwarded" and after["agency"]["code"] == AGENCY
    assert after["due"]["step"] == "answer"
    step(feedback, rid, step="start")
    step(feedback, rid, step="request_info", note="Xin vị trí cụ thể")
    answered = step(feedback, rid, step="answer", answer="Đã thu gom rác ngày 02/12.")
    assert answered["status"] == "answered" and answered["on_time"] is True
    assert answered["due"]["step"] == "publish"
    step(feedback, rid, step="publish")
    reopened = step(feedback, rid, step="rate", satisfaction="unsatisfied")
    assert reopened["status"] == "reopened" and reopened["satisfaction"] == "unsatisfied"
    step(feedback, rid, step="answer", answer="Đã thu gom lần hai.")
    closed = step(feedback, rid, step="rate", satisfaction="satisfied")
    assert closed["status"] == "closed" and closed["due"] is None
    statuses = [s["status"] for s in closed["timeline"]]
    assert statuses == [
        "received",
        "forwarded",
        "in_progress",
        "info_requested",
        "answered",
        "published",
        "reopened",
        "answered",
        "closed",
    ]
    assert closed["timeline"][1]["actor"] == "admin"
    assert closed["timeline"][3]["note"] == "Xin vị trí cụ thể"


def test_a_refused_report_says_why_and_a_merged_one_names_the_other(feedback):
    first, second, third = feedback.new(), feedback.new(), feedback.new()
    step(feedback, first.record_id, step="refuse", expect=422)
    refused = step(feedback, first.record_id, step="refuse", note="Không thuộc thẩm quyền")
    assert refused["status"] == "refused" and refused["due"] is None
    step(feedback, second.record_id, step="merge", duplicate_of="nope", expect=422)
    step(feedback, second.record_id, step="merge", duplicate_of=second.record_id, expect=422)
    merged = step(feedback, second.record_id, step="merge", duplicate_of=third.record_id)
    assert merged["status"] == "merged" and merged["duplicate_of"] == third.record_id


def test_an_officer_sees_and_answers_only_the_reports_of_their_agency(feedback, api):
    make_agency(feedback)
    make_agency(feedback, "GTVT-T82")
    officer = api.user("canbo-tnmt", "officer", unit=AGENCY)
    mine, other = feedback.new(), feedback.new()
    step(feedback, mine.record_id, step="forward", agency=AGENCY)
    step(feedback, other.record_id, step="forward", agency="GTVT-T82")
    seen = feedback.client.get("/api/v1/feedback/reports", headers=auth(officer)).json()
    ids = {i["id"] for i in seen["items"]}
    assert mine.record_id in ids and other.record_id not in ids
    assert "contact" in seen["items"][0]  # an officer calls the citizen back
    step(feedback, other.record_id, officer, expect=403, step="answer", answer="x")
    step(feedback, mine.record_id, officer, expect=403, step="publish")  # triage is the IOC's
    done = step(feedback, mine.record_id, officer, step="answer", answer="Đã xử lý.")
    assert done["status"] == "answered"
    assert done["timeline"][-1]["actor"] == "canbo-tnmt"


def test_a_viewer_reads_reports_without_the_contact(feedback, api):
    viewer = api.user("xem-pa", "viewer")
    feedback.new()
    seen = feedback.client.get("/api/v1/feedback/reports", headers=auth(viewer)).json()
    assert seen["items"] and all("contact" not in i for i in seen["items"])


def test_an_operator_takes_a_call_and_reads_the_tracking_code_to_the_citizen(feedback, api):
    operator = api.user("vanhanh-pa", "operator")
    body = {
        "category": "giao-thong",
        "text": "Ổ gà lớn trên đường vào chợ.",
        "unit": feedback.communes[1],
        "contact": {"name": "Lê Thị Hoa", "phone": "0987654321"},
    }
    r = feedback.client.post("/api/v1/feedback/reports", json=body, headers=auth(operator))
    assert r.status_code == 201, r.text
    taken = r.json()
    assert len(taken["tracking"]) == 10 and taken["unit"] == feedback.communes[1]
    row = feedback.row(taken["id"])
    assert row.channel == "phone" and row.tracking == taken["tracking"]
    assert feedback.timeline(taken["id"])[0].actor == "vanhanh-pa"
    bad = feedback.client.post(
        "/api/v1/feedback/reports", json=body | {"category": "nope"}, headers=auth(operator)
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"][-1] == "category"


def test_two_steps_at_once_take_turns_and_the_second_meets_the_first(feedback, feedback_app):
    from concurrent.futures import ThreadPoolExecutor

    from fastapi.testclient import TestClient

    make_agency(feedback)
    rid = feedback.new().record_id
    bodies = [{"step": "refuse", "note": "Trùng nội dung"}, {"step": "forward", "agency": AGENCY}]

    def send(body):
        with TestClient(feedback_app, base_url="http://testserver") as client:
            path = f"/api/v1/feedback/reports/{rid}/steps"
            return client.post(path, json=body, headers=feedback.admin).status_code

    with ThreadPoolExecutor(2) as pool:
        codes = sorted(pool.map(send, bodies))
    assert codes == [200, 409]
    assert len(feedback.timeline(rid)) == 2  # received, and the one step that was taken


def test_a_call_taken_with_no_place_is_refused_naming_the_unit(feedback, api):
    # the people-entry source writes for every province: it cannot say which one a report is in
    operator = api.user("vanhanh-noplace", "operator")
    body = {"category": "khac", "text": "Không rõ địa điểm."}
    r = feedback.client.post("/api/v1/feedback/reports", json=body, headers=auth(operator))
    assert r.status_code == 422 and r.json()["errors"][0]["loc"][-1] == "unit", r.text


def test_a_leader_reads_the_citizen_s_words_redacted_an_operator_as_written(feedback, api):
    leader, operator = api.user("lanhdao-pa", "leader"), api.user("vanhanh-loi", "operator")
    text = "Tôi là Nguyễn Văn An, gọi 0912345678 khi cần. Rác ở ấp 2."
    rid = feedback.new(text=text, address="số 12 đường Lê Lợi").record_id
    step(feedback, rid, operator, step="refuse", note="Đã gọi anh An số 0912345678.")
    seen = feedback.client.get(f"/api/v1/feedback/reports/{rid}", headers=auth(leader)).json()
    said = str(seen)
    assert "0912345678" not in said and "Nguyễn Văn An" not in said and "Lê Lợi" not in said
    assert "Rác ở ấp 2." in seen["text"] and "contact" not in seen
    whole = feedback.client.get(f"/api/v1/feedback/reports/{rid}", headers=auth(operator)).json()
    assert whole["text"] == text and whole["timeline"][-1]["note"].endswith("0912345678.")
