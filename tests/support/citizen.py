"""A citizen on the public pages of citizen reports (``/phan-anh``): a browser-like client of its
own (its own session and client address), the form's CSRF token, a report filed through the form,
and photos made in memory (with EXIF position and camera data, to see them stripped)."""

from __future__ import annotations

import io
import itertools
import re
from typing import Any

from fastapi.testclient import TestClient
from PIL import Image

_addresses = itertools.count(1)
HTML = {"Accept": "text/html"}


def citizen(app, address: str | None = None) -> TestClient:
    """A client of its own: its session, and a client address no other citizen has."""
    host = address or f"10.57.{next(_addresses) // 250}.{next(_addresses) % 250 + 1}"
    return TestClient(app, base_url="http://testserver", client=(host, 40000), headers=HTML)


def csrf(client: TestClient, path: str = "/phan-anh") -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def fields(**overrides: Any) -> dict[str, str]:
    """A report that the form takes: a category, a text, a place typed as an address."""
    return {
        "category": "moi-truong",
        "text": "Rác thải ùn ứ nhiều ngày ở đầu hẻm, bốc mùi hôi.",
        "address": "phường Mỹ Tho, Đồng Tháp",
        "lat": "",
        "lon": "",
        "name": "",
        "phone": "",
        "email": "",
        "trang_web": "",
    } | overrides


def file(
    client: TestClient,
    photos: list[tuple[str, bytes, str]] = (),
    token: str | None = None,
    **overrides: Any,
):
    """Post the form (multipart, as the page does), without following the redirect."""
    data = fields(**overrides) | {"csrf_token": token if token is not None else csrf(client)}
    files = [("photos", photo) for photo in photos] or None
    if files is None:  # a multipart form even without a photo, as the browser sends it
        files = [("photos", ("", b"", "application/octet-stream"))]
    return client.post("/phan-anh", data=data, files=files, follow_redirects=False)


def code_of(response) -> str:
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.startswith("/phan-anh/theo-doi/"), location
    return location.rsplit("/", 1)[1]


GPS_TAG, MAKE_TAG, MODEL_TAG = 0x8825, 0x010F, 0x0110


def photo(kind: str = "JPEG", size: tuple[int, int] = (640, 480), exif: bool = True) -> bytes:
    """An image in memory; a JPEG or WebP carries a GPS position and a camera's make and model."""
    image = Image.new("RGB", size, (40, 120, 200))
    out = io.BytesIO()
    options: dict[str, Any] = {}
    if exif and kind in ("JPEG", "WEBP"):
        data = Image.Exif()
        data[MAKE_TAG] = "PhoneMaker"
        data[MODEL_TAG] = "Model X57"
        data[GPS_TAG] = {1: "N", 2: (10.0, 21.0, 30.0), 3: "E", 4: (106.0, 21.0, 5.0)}
        options["exif"] = data.tobytes()
    image.save(out, kind, **options)
    return out.getvalue()
