"""The daily brief over HTTP: the DOCX and PDF of a day for the person's scope, a bad or future
day refused naming the field, the subscription by email (audited), and the brief page."""

from __future__ import annotations

import io
from datetime import timedelta

from docx import Document

from ioc57.centre.brief_words import WORDS
from ioc57.core.clock import today
from ioc57.core.i18n import gettext

from ..support.http import login
from ..support.pdftext import pdf_text


def text_of(doc) -> str:
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_docx_of_today_has_the_heading_of_the_province(centre_client, leader):
    r = centre_client.get(f"/api/v1/centre/brief/{today()}.docx", headers=leader)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in r.headers["content-disposition"]
    doc = Document(io.BytesIO(r.content))
    heading = doc.tables[0].rows[0].cells
    assert "UBND TỈNH ĐỒNG THÁP" in heading[0].text
    assert "TRUNG TÂM GIÁM SÁT, ĐIỀU HÀNH THÔNG MINH" in heading[0].text
    assert f"Đồng Tháp, ngày {today():%d} tháng" in heading[1].text
    assert "BẢN TIN ĐIỀU HÀNH HẰNG NGÀY" in text_of(doc)


def test_with_nothing_to_attend_to_the_brief_says_so(centre_client, leader, centre_app):
    from ioc57.centre import registry

    if registry.offered().watches:  # the modules' watches are merged: the empty case is gone
        with centre_app.state.engine.connect() as conn:
            from ioc57.core.access import Principal
            from ioc57.core.clock import now

            who = Principal(0, "t", "leader", None, None, "cli")
            if registry.concerns(conn, who, now())[0]:
                return
    r = centre_client.get(f"/api/v1/centre/brief/{today()}.docx?lang=en", headers=leader)
    assert r.status_code == 200, r.text
    assert gettext("en", WORDS["nothing"]) in text_of(Document(io.BytesIO(r.content)))


def test_the_pdf_of_yesterday_says_how_to_read_a_past_day(centre_client, leader):
    day = today() - timedelta(days=1)
    r = centre_client.get(f"/api/v1/centre/brief/{day}.pdf?lang=en", headers=leader)
    assert r.status_code == 200, r.text
    assert r.content.startswith(b"%PDF-") and r.headers["content-type"] == "application/pdf"
    text = pdf_text(r.content)
    assert "UBND TỈNH ĐỒNG THÁP" in text
    assert "as they stand at" in text  # the note on a past day's brief


def test_a_bad_or_future_day_is_refused_naming_the_field(centre_client, leader):
    tomorrow = (today() + timedelta(days=1)).isoformat()
    for day in ("2026-13-45", "yesterday", tomorrow, "0001-01-01"):
        r = centre_client.get(f"/api/v1/centre/brief/{day}.pdf", headers=leader)
        assert r.status_code == 422, (day, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert [e["loc"][-1] for e in r.json()["errors"]] == ["day"]
    r = centre_client.get(f"/api/v1/centre/brief/{today()}.odt", headers=leader)
    assert r.status_code == 422 and "kind" in str(r.json()["errors"])


def test_a_unit_outside_the_scope_is_refused(centre_client, leader):
    r = centre_client.get(f"/api/v1/centre/brief/{today()}.docx?unit=01", headers=leader)
    assert r.status_code == 403, r.text
    r = centre_client.get(f"/api/v1/centre/brief/{today()}.docx?unit=NOPE", headers=leader)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"][-1] == "unit"


def test_anonymous_gets_no_brief(centre_client):
    assert centre_client.get(f"/api/v1/centre/brief/{today()}.docx").status_code == 401


def test_subscribing_is_audited_and_needs_an_email(centre_client, leader, centre_api, centre_app):
    r = centre_client.post("/api/v1/centre/brief/subscription", headers=leader)
    assert r.status_code == 200, r.text
    assert r.json() == {"subscribed": True, "email": "lanhdao@dongthap.gov.vn"}
    r = centre_client.delete("/api/v1/centre/brief/subscription", headers=leader)
    assert r.json()["subscribed"] is False
    admin = {"Authorization": f"Bearer {centre_api.token('admin')}"}
    r = centre_client.get("/api/v1/audit?object_type=brief_subscription", headers=admin)
    assert r.status_code == 200, r.text
    actions = [e["action"] for e in r.json()["items"] if e["actor"] == "b.lanhdao"]
    assert actions.count("centre.brief.subscribe") == 1
    assert actions.count("centre.brief.unsubscribe") == 1
    no_email = {"Authorization": f"Bearer {centre_api.user('b.canbo', 'officer', unit='82')}"}
    r = centre_client.post("/api/v1/centre/brief/subscription", headers=no_email)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"][-1] == "email"


def test_the_page_offers_the_files_and_the_subscription(centre_app, centre_api):
    centre_api.user("b.page", "leader", unit="82")
    with centre_api.client() as client:
        csrf = login(client, "b.page", "password-57")
        page = client.get("/brief")
        assert page.status_code == 200
        assert f"/api/v1/centre/brief/{today()}.docx" in page.text
        assert 'id="brief-no-email"' in page.text  # no email: says to add one
        bad = client.get("/brief?day=2026-99-01")
        assert bad.status_code == 422 and 'id="day-error"' in bad.text
        r = client.post(
            "/brief/subscription",
            data={"csrf_token": csrf, "action": "subscribe"},
            follow_redirects=False,
        )
        assert r.status_code == 303
