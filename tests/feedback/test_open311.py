"""Open311 GeoReport v2: every endpoint in XML and JSON against the specification's fields, a
report filed by an app (its place, attributes and contact, kept private), the filters and default
limits of ``GET requests``, and the errors in the specification's shape."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import insert, select, update

from ioc57.core.clock import LOCAL_TZ, now
from ioc57.feedback.open311.keys import create_key
from ioc57.feedback.tables import photos, reports, steps
from ioc57.units.tables import units

from ..support.feedback import report
from ..support.open311 import (
    ATTRIBUTE,
    CREATED,
    DEFINITION,
    DISCOVERY,
    ENDPOINT,
    REQUEST,
    SERVICE,
    V2,
    both,
    errors,
    has_fields,
    read,
)

CONTACT = {"first_name": "Thị Mười", "last_name": "Trần", "phone": "0987654321"}
EMAIL = "muoi.tran@example.vn"


@pytest.fixture(scope="module")
def app_key(feedback_app) -> str:
    """A key of the app ``ban-do-so``; the rate limit raised for this module's many reports."""
    settings = feedback_app.state.settings
    feedback_app.state.settings = settings.model_copy(update={"feedback_intake_per_hour": 10_000})
    with feedback_app.state.engine.begin() as conn:
        return create_key(conn, actor="test", name="ban-do-so")


@pytest.fixture(scope="module")
def place(feedback) -> dict:
    """The first commune of the province: its code, name and centre."""
    with feedback.api.app.state.engine.connect() as conn:
        row = conn.execute(
            select(units).where(units.c.code == feedback.communes[0], units.c.valid_to.is_(None))
        ).one()
    return {"code": row.code, "name": row.name, "lat": row.lat, "lon": row.lon}


def form(key: str, place: dict, **fields) -> dict:
    return {
        "api_key": key,
        "jurisdiction_id": "82",
        "service_code": "moi-truong",
        "lat": str(place["lat"] + 0.00012),
        "long": str(place["lon"] - 0.00034),
        "description": "Cống thoát nước bị tắc, nước tràn ra đường.",
        **CONTACT,
        "email": EMAIL,
        **fields,
    }


def test_discovery_names_the_endpoint_and_both_formats(feedback_client):
    found = both(feedback_client, "GET", "discovery")
    assert set(found) == DISCOVERY
    has_fields(found["endpoints"], ENDPOINT)
    endpoint = found["endpoints"][0]
    assert endpoint["url"] == f"http://testserver{V2}"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}


def test_services_are_the_categories_and_a_definition_lists_their_attributes(feedback_client):
    listed = both(feedback_client, "GET", "services", params={"jurisdiction_id": "82"})
    has_fields(listed, SERVICE)
    by_code = {s["service_code"]: s for s in listed}
    assert by_code["giao-thong"]["metadata"] is True and by_code["khac"]["metadata"] is False
    assert by_code["moi-truong"]["service_name"] == "Môi trường"
    assert {s["type"] for s in listed} == {"realtime"}
    english = both(feedback_client, "GET", "services", headers={"Accept-Language": "en-GB"})
    assert {s["service_name"] for s in english} >= {"Environment", "Roads and traffic"}

    defined = both(feedback_client, "GET", "services/giao-thong")
    assert set(defined) == DEFINITION and defined["service_code"] == "giao-thong"
    has_fields(defined["attributes"], ATTRIBUTE)
    hazard = defined["attributes"][0]
    assert (hazard["code"], hazard["datatype"], hazard["order"]) == ("hazard", "singlevaluelist", 1)
    assert [v["key"] for v in hazard["values"]] == ["low", "high"]
    assert both(feedback_client, "GET", "services/khac")["attributes"] == []
    assert "not found" in errors(feedback_client, "GET", "services/khong-co", 404)
    assert "province" in errors(
        feedback_client, "GET", "services", 404, params={"jurisdiction_id": "99"}
    )


def test_an_app_files_a_report_that_anyone_then_reads_without_its_contact(
    feedback_client, feedback, app_key, place
):
    created = both(feedback_client, "POST", "requests", data=form(app_key, place))
    has_fields(created, CREATED)
    rid, token = created[0]["service_request_id"], created[0]["token"]
    assert "15" in created[0]["service_notice"] and created[0]["account_id"] is None
    row = feedback.row(rid)
    assert (row.channel, row.status, row.province_code) == ("open311", "received", "82")
    assert row.tracking == token and EMAIL in row.contact and "Trần Thị Mười" in row.contact
    with feedback.api.app.state.engine.connect() as conn:
        actor = conn.execute(select(steps.c.actor).where(steps.c.report_id == row.id)).scalar()
    assert actor == "open311:ban-do-so"

    shown = both(feedback_client, "GET", f"requests/{rid}")
    has_fields(shown, REQUEST)
    request = shown[0]
    assert (request["status"], request["service_code"]) == ("open", "moi-truong")
    assert request["address"] == place["name"] and request["address_id"] == place["code"]
    assert request["lat"] == round(place["lat"] + 0.00012, 3)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", request["requested_datetime"])
    assert request["expected_datetime"] > request["requested_datetime"]
    assert request["description"].startswith("Cống thoát nước")
    assert both(feedback_client, "GET", f"tokens/{token.lower()}") == [
        {"service_request_id": rid, "token": token}
    ]
    elsewhere = {"jurisdiction_id": "01"}  # Hà Nội's: neither the report nor its token
    assert "not found" in errors(feedback_client, "GET", f"requests/{rid}", 404, params=elsewhere)
    assert "not found" in errors(feedback_client, "GET", f"tokens/{token}", 404, params=elsewhere)
    listed = both(feedback_client, "GET", "requests", params={"jurisdiction_id": "82"})
    assert rid in {r["service_request_id"] for r in listed}
    for path in (f"requests/{rid}", "requests"):
        for fmt in ("json", "xml"):
            text = feedback_client.get(f"{V2}/{path}.{fmt}").text
            for private in (EMAIL, CONTACT["phone"], "Mười", token):
                assert private not in text, (path, fmt, private)


def test_a_service_attribute_is_checked_and_kept_in_the_text(
    feedback_client, feedback, app_key, place
):
    good = form(app_key, place, service_code="giao-thong", **{"attribute[hazard]": "high"})
    created = both(feedback_client, "POST", "requests", data=good)
    assert "Mức nguy hiểm: Nguy hiểm ngay" in feedback.row(created[0]["service_request_id"]).text
    wrong = form(app_key, place, service_code="giao-thong", **{"attribute[hazard]": "very"})
    assert "not one of low, high" in errors(feedback_client, "POST", "requests", 400, data=wrong)
    unknown = form(app_key, place, **{"attribute[size]": "3"})
    assert "not an attribute" in errors(feedback_client, "POST", "requests", 400, data=unknown)


def test_a_place_is_found_by_address_id_or_by_address_and_else_the_province(
    feedback_client, feedback, app_key, place
):
    base = form(app_key, place, lat="", long="")
    by_id = both(feedback_client, "POST", "requests", data=base | {"address_id": place["code"]})
    assert feedback.row(by_id[0]["service_request_id"]).unit_id is not None
    named = base | {"address_string": f"ấp 3, {place['name']}, Đồng Tháp"}
    by_name = both(feedback_client, "POST", "requests", data=named)
    shown = both(feedback_client, "GET", f"requests/{by_name[0]['service_request_id']}")
    assert shown[0]["address_id"] == place["code"]
    # a pre-2025 address (Tiền Giang's), read in the jurisdiction: its commune of today
    legacy = base | {"address_string": "xã Long Hưng, huyện Châu Thành, tỉnh Tiền Giang"}
    moved = both(feedback_client, "POST", "requests", data=legacy)
    shown = both(feedback_client, "GET", f"requests/{moved[0]['service_request_id']}")
    assert (shown[0]["address_id"], shown[0]["address"]) == ("28537", "Xã Long Hưng")
    vague = base | {"address_string": "gần chợ cũ"}
    unplaced = both(feedback_client, "POST", "requests", data=vague)
    shown = both(feedback_client, "GET", f"requests/{unplaced[0]['service_request_id']}")
    assert shown[0]["address_id"] == "82"


@pytest.mark.parametrize(
    ("change", "status", "said"),
    [
        ({"api_key": "o311_wrong"}, 403, "api_key"),
        ({"api_key": ""}, 403, "api_key"),
        ({"jurisdiction_id": ""}, 400, "jurisdiction_id was not provided"),
        ({"jurisdiction_id": "99"}, 404, "jurisdiction_id '99'"),
        ({"service_code": ""}, 400, "service_code was not provided"),
        ({"service_code": "khong-co"}, 404, "service_code 'khong-co' was not found"),
        ({"lat": "", "long": ""}, 400, "A location is required"),
        ({"long": ""}, 400, "lat and long are sent together"),
        ({"lat": "nan"}, 400, "lat is within"),
        ({"lat": "21.0285", "long": "105.8542"}, 400, "not within jurisdiction 82"),
        ({"address_id": "01"}, 400, "address_id '01'"),
        ({"description": " "}, 400, "description was not provided"),
        ({"description": "x" * 4001}, 400, "longer than 4000"),
    ],
)
def test_a_request_that_cannot_be_filed_says_why(
    feedback_client, app_key, place, change, status, said
):
    assert said in errors(
        feedback_client, "POST", "requests", status, data=form(app_key, place, **change)
    )


def test_a_body_that_is_no_form_and_an_unknown_format_are_errors(feedback_client, app_key, place):
    r = feedback_client.post(f"{V2}/requests.json", json=form(app_key, place))
    assert r.status_code == 400 and "x-www-form-urlencoded" in r.json()[0]["description"]
    r = feedback_client.post(
        f"{V2}/requests.json",
        content=b"a=" + b"x" * 70_000,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 413
    for method, path in (
        ("GET", "services.csv"),
        ("POST", "requests.html"),
        ("GET", "requests/PA-1.txt"),
    ):
        r = feedback_client.request(method, f"{V2}/{path}")
        assert r.status_code == 404 and read(r, "json")[0]["code"] == 404


def test_requests_filter_by_status_service_dates_and_ids_within_90_days(feedback_client, feedback):
    """Reports of a category of their own, sent by a system: open and closed as the specification
    says, the last 90 days by default, ids overriding every other filter."""
    at = now() - timedelta(minutes=30)
    made = {
        "received": feedback.new(category="y-te"),
        "refused": feedback.new(category="y-te", status="refused", note="Không thuộc thẩm quyền"),
        "answered": feedback.new(
            category="y-te",
            at=at - timedelta(minutes=10),
            status="answered",
            answered_at=at.isoformat(),
        ),
        "old": feedback.new(category="y-te", at=now() - timedelta(days=100)),
    }
    made["merged"] = feedback.new(
        category="y-te", status="merged", duplicate_of=made["received"].record_id
    )
    ids = {name: row.record_id for name, row in made.items()}

    def listed(**params) -> set[str]:
        found = both(feedback_client, "GET", "requests", params={"service_code": "y-te", **params})
        return {r["service_request_id"] for r in found}

    assert listed() == {ids[k] for k in ("received", "refused", "answered", "merged")}
    assert listed(status="open") == {ids["received"], ids["answered"]}
    assert listed(status="closed") == {ids["refused"], ids["merged"]}
    assert listed(status="open,closed") == listed()
    old_day = (now() - timedelta(days=100)).astimezone(LOCAL_TZ).date()  # its day in Việt Nam
    window = {
        "start_date": f"{old_day - timedelta(days=1)}T00:00:00Z",
        "end_date": f"{old_day}T23:59:59+07:00",
    }
    assert listed(**window) == {ids["old"]}
    assert listed(start_date=f"{old_day}") == {ids["old"]}  # 90 days from it
    assert listed(service_request_id=f"{ids['old']}, {ids['received']}", status="closed") == {
        ids["old"],
        ids["received"],
    }
    assert listed(jurisdiction_id="01") == set()
    merged = both(feedback_client, "GET", f"requests/{ids['merged']}")[0]
    assert merged["status_notes"].endswith(ids["received"]) and merged["service_notice"] is None
    assert merged["updated_datetime"] is not None

    def refused(**params) -> str:
        return errors(feedback_client, "GET", "requests", 400, params=params)

    assert "more than 90 days" in refused(start_date="2026-01-01", end_date="2026-06-01")
    assert "before start_date" in refused(start_date="2026-06-01", end_date="2026-01-01")
    assert "w3 format" in refused(start_date="hôm qua")
    assert "open or closed" in refused(status="pending")
    assert "province" in errors(
        feedback_client, "GET", "requests", 404, params={"jurisdiction_id": "28261"}
    )
    assert "not found" in errors(feedback_client, "GET", "requests/KHONG-CO", 404)
    assert "not found" in errors(feedback_client, "GET", "tokens/KHONGCO2345", 404)


def test_a_published_answer_shows_redacted_with_its_public_photo(feedback_client, feedback):
    at = (now() - timedelta(minutes=30)).isoformat()
    row = feedback.new(
        category="do-thi",
        at=now() - timedelta(minutes=40),
        status="published",
        answered_at=at,
        published_at=at,
        text="Ông Nguyễn Văn An (0912345678) lấn chiếm vỉa hè số 12 đường Lý Thường Kiệt.",
        answer="Đã làm việc với ông Nguyễn Văn An, gọi 0912345678 nếu còn vi phạm.",
    )
    with feedback.api.app.state.engine.begin() as conn:
        conn.execute(
            insert(photos).values(
                id="ANHCONGKHAI1",
                province_code="82",
                record_id=row.record_id,
                content_type="image/jpeg",
                width=1,
                height=1,
                size=1,
                data=b"x",
                public=True,
                created_at=now(),
            )
        )
        conn.execute(update(reports).where(reports.c.id == row.id).values(simulated=True))
    shown = both(feedback_client, "GET", f"requests/{row.record_id}")[0]
    assert shown["status"] == "closed"
    assert shown["media_url"] == "http://testserver/phan-anh/anh/ANHCONGKHAI1"
    assert shown["status_notes"].startswith("Đã công khai. Đã làm việc với")
    assert "dữ liệu mô phỏng" in shown["status_notes"]
    text = shown["description"] + shown["status_notes"]
    assert "0912345678" not in text and "Nguyễn Văn An" not in text
    # closed: when it was published
    published = datetime.fromisoformat(at).replace(microsecond=0)
    assert datetime.fromisoformat(shown["updated_datetime"]) == published


def test_at_most_1000_requests_the_newest_first(feedback_client, feedback):
    start = now() - timedelta(days=10)
    records = [
        report(feedback.communes[0], at=start + timedelta(minutes=i), category="nong-nghiep")
        for i in range(1001)
    ]
    assert feedback.push(records)["accepted"] == 1001
    r = feedback_client.get(f"{V2}/requests.json", params={"service_code": "nong-nghiep"})
    found = r.json()
    assert len(found) == 1000
    assert found[0]["service_request_id"] == records[-1]["id"]
    assert records[0]["id"] not in {f["service_request_id"] for f in found}


def test_a_text_with_characters_xml_cannot_carry_is_still_valid_xml(
    feedback_client, app_key, place
):
    sent = form(app_key, place, description="Đèn tín hiệu\x0b hỏng\x01 từ sáng.")
    rid = both(feedback_client, "POST", "requests", data=sent)[0]["service_request_id"]
    shown = both(feedback_client, "GET", f"requests/{rid}")  # parsed by lxml, equal to the JSON
    assert shown[0]["description"] == "Đèn tín hiệu hỏng từ sáng."
