"""The public page of published answers and its API: only published reports, newest first, by
category and commune, a page at a time, in the public shape (redacted, no contact); unpublished
reports are 404; dates dd/mm/yyyy; simulated rows labelled."""

from __future__ import annotations

from sqlalchemy import update

from ioc57.core.clock import LOCAL_TZ, stored_utc
from ioc57.feedback.tables import reports

from .test_life import make_agency, step

AGENCY = "TNMT-T82"
TEXT = "Ông Trần Văn Bảy ở số 12 đường Lê Lợi báo rác ùn ứ, gọi 0903 123 456."


def published(feedback, commune=0, category="moi-truong", text=TEXT):
    row = feedback.new(commune, category=category, text=text)
    rid = row.record_id
    step(feedback, rid, step="forward", agency=AGENCY)
    step(feedback, rid, step="answer", answer="Đã thu gom. Liên hệ anh Trần Văn Bảy: 0903123456.")
    step(feedback, rid, step="publish")
    return rid


def test_only_published_reports_show_redacted_and_newest_first(feedback):
    make_agency(feedback)
    first, second = published(feedback), published(feedback)
    answered = feedback.new().record_id
    step(feedback, answered, step="forward", agency=AGENCY)
    step(feedback, answered, step="answer", answer="Đã xử lý.")
    r = feedback.client.get("/api/v1/feedback/public", params={"limit": 100})
    assert r.status_code == 200 and r.headers["cache-control"].startswith("public")
    ids = [i["id"] for i in r.json()["items"]]
    assert ids.index(second) < ids.index(first) and answered not in ids
    item = r.json()["items"][ids.index(first)]
    assert "contact" not in item and "address" not in item and "tracking" not in item
    assert "Bảy" not in item["text"] and "0903" not in item["text"] and "số 12" not in item["text"]
    assert "Lê Lợi" in item["text"] and "Bảy" not in item["answer"]
    assert feedback.client.get(f"/api/v1/feedback/public/{first}").json() == item
    assert feedback.client.get(f"/api/v1/feedback/public/{answered}").status_code == 404
    assert feedback.client.get("/api/v1/feedback/public/NO-SUCH").status_code == 404


def test_filters_and_pages_of_the_list(feedback):
    make_agency(feedback)
    mine = published(feedback, commune=2, category="giao-thong")
    other = published(feedback, commune=1)
    code = feedback.communes[2]
    r = feedback.client.get("/api/v1/feedback/public", params={"unit": code})
    assert {i["unit"]["code"] for i in r.json()["items"]} == {code}
    assert mine in [i["id"] for i in r.json()["items"]]
    r = feedback.client.get("/api/v1/feedback/public", params={"category": "giao-thong"})
    ids = [i["id"] for i in r.json()["items"]]
    assert mine in ids and other not in ids
    for bad in ({"unit": "99999"}, {"category": "nope"}, {"limit": 0}, {"limit": 101}):
        r = feedback.client.get("/api/v1/feedback/public", params=bad)
        assert r.status_code == 422, bad
        assert r.headers["content-type"].startswith("application/problem+json")
    total = feedback.client.get("/api/v1/feedback/public").json()["total"]
    page = feedback.client.get("/api/v1/feedback/public", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == total >= 2 and len(page["items"]) == 1


def test_the_pages_show_dates_commune_and_the_simulated_label(feedback):
    make_agency(feedback)
    rid = published(feedback, commune=1)
    with feedback.api.app.state.engine.begin() as conn:
        conn.execute(update(reports).where(reports.c.record_id == rid).values(simulated=True))
    page = feedback.client.get("/phan-anh/cong-khai", params={"unit": feedback.communes[1]})
    assert page.status_code == 200 and f"/phan-anh/cong-khai/{rid}" in page.text
    assert "dữ liệu mô phỏng" in page.text and "Bảy" not in page.text
    one = feedback.client.get(f"/phan-anh/cong-khai/{rid}")
    assert one.status_code == 200 and "dữ liệu mô phỏng" in one.text
    received = stored_utc(feedback.row(rid).received_at).astimezone(LOCAL_TZ)
    assert f'id="received">{received:%d/%m/%Y}<' in one.text  # dd/mm/yyyy, Việt Nam's day
    assert "0903" not in one.text and "Lê Lợi" in one.text and "[họ tên]" in one.text
    unpublished = feedback.new().record_id
    missing = feedback.client.get(f"/phan-anh/cong-khai/{unpublished}")
    assert missing.status_code == 404 and "/phan-anh/cong-khai" in missing.text
    odd = feedback.client.get("/phan-anh/cong-khai", params={"unit": "99999", "category": "x"})
    assert odd.status_code == 200 and 'role="status"' in odd.text
    assert feedback.client.get("/phan-anh/cong-khai", params={"page": 0}).status_code == 422
