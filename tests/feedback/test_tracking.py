"""The citizen's tracking page (``/phan-anh/theo-doi``): a code typed in any case finds its report;
the page shows where it stands, its timeline with the agencies' names but never a staff member's,
no contact details; the citizen rates the answer (step ``rate`` by ``citizen``, audited):
satisfied closes it, not satisfied (with a reason) reopens it. Codes that match nothing are
counted per client address."""

from __future__ import annotations

from sqlalchemy import select

from ioc57.core.audit import audit_log

from ..support.citizen import citizen, code_of, csrf, file
from ..support.http import auth

AGENCY = "TNMT-TD82"


def _step(feedback, report_id, token=None, **body):
    headers = auth(token) if token else feedback.admin
    r = feedback.client.post(
        f"/api/v1/feedback/reports/{report_id}/steps", json=body, headers=headers
    )
    assert r.status_code == 200, r.text


def _record_id(feedback, code):
    from ioc57.feedback.tables import reports

    with feedback.api.app.state.engine.connect() as conn:
        return conn.execute(
            select(reports.c.record_id).where(reports.c.tracking == code)
        ).scalar_one()


def _agency(feedback):
    body = {"code": AGENCY, "name": "Sở Tài nguyên thử nghiệm", "parent": "82", "type": "sở"}
    r = feedback.client.post("/api/v1/units", json=body, headers=feedback.admin)
    assert r.status_code in (201, 409), r.text


def test_a_code_is_found_however_it_is_typed(feedback_app):
    client = citizen(feedback_app)
    code = code_of(file(client))
    typed = f" {code[:5].lower()}-{code[5:]} "
    found = client.get("/phan-anh/theo-doi", params={"ma": typed}, follow_redirects=False)
    assert found.status_code == 303 and found.headers["location"] == f"/phan-anh/theo-doi/{code}"
    assert client.get("/phan-anh/theo-doi").status_code == 200
    empty = client.get("/phan-anh/theo-doi", params={"ma": " - "})
    assert empty.status_code == 422 and "Hãy nhập mã" in empty.text


def test_an_unknown_code_says_so_and_guessing_is_capped(feedback_app):
    client = citizen(feedback_app)
    missed = client.get("/phan-anh/theo-doi/ABCDEFGH23")
    assert missed.status_code == 404 and "Không có phản ánh nào có mã này" in missed.text
    for _ in range(29):
        client.get("/phan-anh/theo-doi/ABCDEFGH23")
    capped = client.get("/phan-anh/theo-doi/ABCDEFGH23")
    assert capped.status_code == 429 and "sai mã quá nhiều lần" in capped.text
    assert citizen(feedback_app).get("/phan-anh/theo-doi/ABCDEFGH23").status_code == 404


def test_the_timeline_names_agencies_not_staff_and_the_citizen_rates_the_answer(feedback, api):
    _agency(feedback)
    officer = api.user("canbo-theodoi", "officer", unit=AGENCY)
    client = citizen(feedback.api.app)
    code = code_of(file(client, name="Phạm Thị Dung", phone="0901234567"))
    rid = _record_id(feedback, code)
    page = client.get(f"/phan-anh/theo-doi/{code}")
    assert "Đánh giá" not in page.text.split("Tình trạng xử lý", 1)[1].split("Nội dung bạn", 1)[0]
    _step(feedback, rid, step="forward", agency=AGENCY)
    _step(feedback, rid, officer, step="start")
    _step(
        feedback, rid, officer, step="answer", answer="Đã thu gom rác ngày 02/12, gọi 0901234567."
    )
    page = client.get(f"/phan-anh/theo-doi/{code}")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert "Sở Tài nguyên thử nghiệm" in page.text and "Đã thu gom rác" in page.text
    for hidden in ("canbo-theodoi", "admin", "Phạm Thị Dung", "0901234567", "public:web"):
        assert hidden not in page.text, hidden
    token = csrf(client, f"/phan-anh/theo-doi/{code}")
    rate = f"/phan-anh/theo-doi/{code}/danh-gia"
    no_reason = client.post(rate, data={"csrf_token": token, "satisfaction": "unsatisfied"})
    assert no_reason.status_code == 422 and "lý do" in no_reason.text
    nothing = client.post(rate, data={"csrf_token": token, "satisfaction": "maybe"})
    assert nothing.status_code == 422
    stale = client.post(rate, data={"csrf_token": "x", "satisfaction": "satisfied"})
    assert stale.status_code == 403 and "hết hạn" in stale.text
    reason = {"csrf_token": token, "satisfaction": "unsatisfied", "note": "Rác vẫn còn."}
    assert client.post(rate, data=reason, follow_redirects=False).status_code == 303
    assert feedback.row(rid).status == "reopened"
    again = client.post(rate, data={"csrf_token": token, "satisfaction": "satisfied"})
    assert again.status_code == 409 and "chưa thể đánh giá" in again.text
    _step(feedback, rid, officer, step="answer", answer="Đã thu gom lần hai.")
    done = client.post(rate, data={"csrf_token": token, "satisfaction": "satisfied"})
    assert done.status_code == 200 and "đánh giá đã được ghi nhận" in done.text
    assert feedback.row(rid).status == "closed" and feedback.row(rid).satisfaction == "satisfied"
    timeline = done.text.split('id="timeline"', 1)[1]
    assert "Rác vẫn còn." in timeline  # the citizen's own reason
    with feedback.api.app.state.engine.connect() as conn:
        rated = conn.execute(
            select(audit_log.c.actor, audit_log.c.address).where(
                audit_log.c.action == "feedback.rate", audit_log.c.object_id == rid
            )
        ).all()
    assert [r.actor for r in rated] == ["citizen", "citizen"]
    assert rated[0].address.startswith("10.57.")
