"""The public form (``/phan-anh``): a citizen files a report without an account — by an address
(today's or one from before 2025) or a point on the map — and gets a tracking code; the contact
stays private; the filing is audited. A form that cannot be taken comes back in Vietnamese with
the reason beside each field and what was typed, never a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ioc57.core.audit import audit_log
from ioc57.units.tables import units

from ..support.citizen import citizen, code_of, csrf, file


def _report(feedback, code):
    from ioc57.feedback.tables import reports

    with feedback.api.app.state.engine.connect() as conn:
        return conn.execute(select(reports).where(reports.c.tracking == code)).one()


def _commune(feedback, code):
    with feedback.api.app.state.engine.connect() as conn:
        return conn.execute(
            select(units).where(units.c.code == code, units.c.valid_to.is_(None))
        ).one()


def test_the_form_is_in_vietnamese_and_needs_no_login(feedback_app):
    page = citizen(feedback_app).get("/phan-anh")
    assert page.status_code == 200
    assert "Gửi phản ánh" in page.text and 'name="csrf_token"' in page.text
    assert "Đăng nhập" not in page.text  # the citizen's pages carry no staff navigation
    assert 'name="trang_web"' in page.text  # the field people do not see


def test_a_report_filed_by_address_gets_a_tracking_code_and_keeps_the_contact_private(feedback):
    client = citizen(feedback.api.app)
    sent = file(client, name="Trần Thị Bích", phone="0987 654 321", email="bich@example.vn")
    code = code_of(sent)
    row = _report(feedback, code)
    assert row.channel == "web" and row.status == "received" and row.category == "moi-truong"
    assert _commune(feedback, "28261").id == row.unit_id  # phường Mỹ Tho, found by the address
    assert "0987654321" in row.contact and "Trần Thị Bích" in row.contact
    page = client.get(f"/phan-anh/theo-doi/{code}")
    assert page.status_code == 200 and code in page.text and "Mỹ Tho" in page.text
    for private in ("0987654321", "bich@example.vn", "Trần Thị Bích"):
        assert private not in page.text
    assert 'id="tracking-code"' in page.text
    assert 'id="tracking-code"' not in client.get(f"/phan-anh/theo-doi/{code}").text  # once
    with feedback.api.app.state.engine.connect() as conn:
        audited = conn.execute(
            select(audit_log).where(
                audit_log.c.action == "feedback.file", audit_log.c.object_id == row.record_id
            )
        ).one()
    assert audited.actor == "public:web" and audited.address.startswith("10.57.")


def test_an_address_from_before_2025_is_read_as_todays_commune(feedback):
    client = citizen(feedback.api.app)
    code = code_of(file(client, address="Phường 1, thành phố Mỹ Tho, tỉnh Tiền Giang"))
    row = _report(feedback, code)
    commune = (
        feedback.api.app.state.engine.connect()
        .execute(select(units.c.province_code).where(units.c.id == row.unit_id))
        .scalar_one()
    )
    assert commune == "82" and row.address.startswith("Phường 1")


def test_a_point_on_the_map_places_the_report_in_the_nearest_commune(feedback):
    commune = _commune(feedback, feedback.communes[1])
    client = citizen(feedback.api.app)
    code = code_of(file(client, address="", lat=str(commune.lat + 0.001), lon=str(commune.lon)))
    row = _report(feedback, code)
    assert row.unit_id == commune.id and row.lat == pytest.approx(commune.lat + 0.001)


def test_the_form_shows_its_communes_on_the_map(feedback_app):
    page = citizen(feedback_app).get("/phan-anh?tinh=82")
    assert "28261" in page.text.split("data-points=", 1)[1].split(">", 1)[0]  # phường Mỹ Tho


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"category": ""}, "category", "Lĩnh vực"),
        ({"category": "no-such"}, "category", "Lĩnh vực"),
        ({"text": "rác"}, "text", "ít nhất 10"),
        ({"text": "x" * 5001}, "text", "5.000"),
        ({"address": ""}, "place", "bản đồ"),
        ({"address": "Không có chỗ nào tên thế này"}, "address", "Không tìm thấy"),
        ({"lat": "nan", "lon": "106.3", "address": ""}, "place", "bản đồ"),
        ({"lat": "1e999", "lon": "1", "address": ""}, "place", "bản đồ"),
        ({"lat": "91", "lon": "106.3", "address": ""}, "place", "bản đồ"),
        ({"phone": "gọi tôi"}, "phone", "chữ số"),
        ({"email": "không-phải-email"}, "email", "ten@example.vn"),
        ({"name": "A" * 201}, "name", "quá dài"),
    ],
)
def test_a_refused_form_says_why_beside_its_field_in_vietnamese(
    feedback_app, overrides, field, words
):
    client = citizen(feedback_app)
    sent = file(client, **overrides)
    assert sent.status_code == 422, sent.text
    assert f'id="{field}-error"' in sent.text and words in sent.text
    assert "Vui lòng kiểm tra" in sent.text  # the summary at the top


def test_a_refused_form_keeps_what_was_typed(feedback_app):
    sent = file(citizen(feedback_app), text="ngắn", name="Lê Văn Cường")
    assert sent.status_code == 422
    assert ">ngắn</textarea>" in sent.text and 'value="Lê Văn Cường"' in sent.text


def test_an_expired_form_comes_back_with_its_text(feedback_app):
    client = citizen(feedback_app)
    sent = file(client, token="stale", text="Đèn đường hỏng cả tháng nay ở đầu cầu.")
    assert sent.status_code == 403 and "hết hạn" in sent.text
    assert "Đèn đường hỏng cả tháng nay" in sent.text


@pytest.mark.parametrize(
    "body",
    [
        {
            "content": b"\xff\xfe\x00garbage",
            "headers": {"content-type": "application/x-www-form-urlencoded"},
        },
        {
            "content": b"--x\r\nbroken",
            "headers": {"content-type": "multipart/form-data; boundary=x"},
        },
        {"json": {"category": "moi-truong"}},
        {"content": b""},
        {"content": b"a=1&" * 30, "headers": {"content-type": "application/x-www-form-urlencoded"}},
    ],
)
def test_odd_bodies_are_refused_with_a_page_not_a_500(feedback_app, body):
    client = citizen(feedback_app)
    csrf(client)
    sent = client.post("/phan-anh", **body)
    assert 400 <= sent.status_code < 500 and "<form" in sent.text


def test_control_characters_are_dropped_from_the_text(feedback):
    client = citizen(feedback.api.app)
    code = code_of(file(client, text="Cống\x00 bị vỡ\x07, nước tràn vào nhà dân."))
    assert _report(feedback, code).text == "Cống bị vỡ, nước tràn vào nhà dân."
