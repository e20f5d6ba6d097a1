"""A report's photos: stored re-encoded (no EXIF: no GPS position, no camera), at most 2048 pixels
on a side; shown to the holder of the tracking code, to staff who may read the report (in their
scope), and to everyone only once an operator made the photo public and the answer is published."""

from __future__ import annotations

import io

import orjson
from PIL import Image
from sqlalchemy import select, update

from ioc57.feedback.tables import photos, reports

from ..support.citizen import GPS_TAG, MAKE_TAG, MODEL_TAG, citizen, code_of, file, photo
from ..support.http import auth

AGENCY = "TNMT-AN82"
OTHER = "GTVT-AN82"


def _filed(feedback, client, *sent):
    code = code_of(file(client, photos=list(sent)))
    with feedback.api.app.state.engine.connect() as conn:
        row = conn.execute(select(reports).where(reports.c.tracking == code)).one()
        stored = conn.execute(
            select(photos).where(photos.c.record_id == row.record_id).order_by(photos.c.created_at)
        ).all()
    return code, row, stored


def test_photos_are_stored_without_their_position_or_camera_and_shrunk(feedback):
    client = citizen(feedback.api.app)
    sent = photo("JPEG", (3000, 1500))
    assert Image.open(io.BytesIO(sent)).getexif()[MAKE_TAG] == "PhoneMaker"
    code, row, stored = _filed(
        feedback,
        client,
        ("IMG_0001.jpg", sent, "image/jpeg"),
        ("anh.webp", photo("WEBP"), "image/webp"),
        ("so-do.png", photo("PNG"), "image/png"),
    )
    assert [s.content_type for s in stored] == ["image/jpeg", "image/webp", "image/png"]
    assert sorted(s.id for s in stored) == sorted(orjson.loads(row.photos))
    big = Image.open(io.BytesIO(stored[0].data))
    assert big.size == (2048, 1024) and (stored[0].width, stored[0].height) == (2048, 1024)
    for kept in stored:
        image = Image.open(io.BytesIO(kept.data))
        exif = image.getexif()
        assert GPS_TAG not in exif and MAKE_TAG not in exif and MODEL_TAG not in exif
        assert "exif" not in image.info and "icc_profile" not in image.info
        assert b"PhoneMaker" not in kept.data and b"Model X57" not in kept.data
    page = client.get(f"/phan-anh/theo-doi/{code}")
    assert f"/phan-anh/theo-doi/{code}/anh/{stored[0].id}" in page.text
    got = client.get(f"/phan-anh/theo-doi/{code}/anh/{stored[0].id}")
    assert got.status_code == 200 and got.headers["content-type"] == "image/jpeg"
    assert got.content == stored[0].data


def test_who_sees_a_photo(feedback, api):
    for code in (AGENCY, OTHER):
        body = {"code": code, "name": f"Sở {code}", "parent": "82", "type": "sở"}
        r = feedback.client.post("/api/v1/units", json=body, headers=feedback.admin)
        assert r.status_code in (201, 409), r.text
    mine = auth(api.user("canbo-anh", "officer", unit=AGENCY))
    other = auth(api.user("canbo-khac", "officer", unit=OTHER))
    viewer = auth(api.user("xem-anh", "viewer"))
    client = citizen(feedback.api.app)
    code, row, (kept,) = _filed(feedback, client, ("a.jpg", photo(), "image/jpeg"))
    rid = row.record_id
    staff = f"/api/v1/feedback/reports/{rid}/photos/{kept.id}"
    public = f"/phan-anh/anh/{kept.id}"
    anonymous = citizen(feedback.api.app)
    assert anonymous.get(staff, headers={"Accept": "application/json"}).status_code == 401
    assert feedback.client.get(staff, headers=viewer).content == kept.data
    step = f"/api/v1/feedback/reports/{rid}/steps"
    assert (
        feedback.client.post(
            step, json={"step": "forward", "agency": AGENCY}, headers=feedback.admin
        ).status_code
        == 200
    )
    assert feedback.client.get(staff, headers=mine).status_code == 200
    assert feedback.client.get(staff, headers=other).status_code == 403
    assert (
        feedback.client.get(f"/api/v1/feedback/reports/{rid}/photos/nope", headers=mine).status_code
        == 404
    )
    # another report's code does not open this photo
    other_code = code_of(file(citizen(feedback.api.app)))
    assert client.get(f"/phan-anh/theo-doi/{other_code}/anh/{kept.id}").status_code == 404
    assert anonymous.get(public).status_code == 404  # not public, not published
    with feedback.api.app.state.engine.begin() as conn:
        conn.execute(update(photos).where(photos.c.id == kept.id).values(public=True))
    assert anonymous.get(public).status_code == 404  # public, but the answer is not published
    for body in ({"step": "answer", "answer": "Đã xử lý."}, {"step": "publish"}):
        assert feedback.client.post(step, json=body, headers=feedback.admin).status_code == 200
    shown = anonymous.get(public)
    assert shown.status_code == 200 and shown.content == kept.data
    assert shown.headers["cache-control"].startswith("public")
