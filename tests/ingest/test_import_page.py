"""The import page: an admin or an operator uploads a file and sees the batch's counts."""

from __future__ import annotations

import pytest
from markupsafe import escape

from ioc57.core.messages import translate
from ioc57.ingest import importpage

from ..support.http import ADMIN_PASSWORD, auth, login

SOURCE = {"name": "page-82", "types": ["dossier"], "units": ["82"]}
HEADER = "id,procedure,unit,channel,received_at,due_at,status,updated_at"
GOOD = "P-{n},1.001234,28261,online,2025-09-01T08:00:00+07:00,2025-09-10T17:00:00+07:00,received,2025-09-01T08:00:00+07:00"
BAD = "P-9,1.001234,28261,fax,2025-09-01T08:00:00+07:00,2025-09-10T17:00:00+07:00,received,2025-09-01T08:00:00+07:00"


@pytest.fixture
def source(client, api):
    r = client.post("/api/v1/sources", json=SOURCE, headers=auth(api.token("admin")))
    assert r.status_code == 201, r.text


def upload(client, csrf, body: str, name="dossiers.csv", **fields):
    data = {"csrf_token": csrf, "source": SOURCE["name"], "type": "dossier"} | fields
    return client.post(
        "/ingest/import",
        data=data,
        files={"file": (name, body.encode(), "text/csv")},
        headers={"Accept": "text/html"},
    )


def figure(page: str, name: str) -> int:
    return int(page.split(f'id="count-{name}">', 1)[1].split("<", 1)[0])


def test_an_admin_uploads_a_csv_and_sees_the_counts(client, source):
    csrf = login(client, "admin", ADMIN_PASSWORD)
    form = client.get("/ingest/import")
    assert form.status_code == 200 and 'name="file"' in form.text and SOURCE["name"] in form.text
    body = "\n".join([HEADER, GOOD.format(n=1), GOOD.format(n=2), BAD]) + "\n"
    r = upload(client, csrf, body)
    assert r.status_code == 200, r.text
    assert [figure(r.text, k) for k in ("submitted", "accepted", "rejected")] == [3, 2, 1]
    link = r.text.split('href="/api/v1/ingest/batches/', 1)[1].split('"', 1)[0]
    report = client.get(f"/api/v1/ingest/batches/{link}")
    assert report.status_code == 200
    assert report.text.splitlines()[0] == "index,id,field,error,row"
    assert "P-9,channel," in report.text
    again = upload(client, csrf, body)
    assert [figure(again.text, k) for k in ("unchanged", "rejected")] == [2, 1]


def test_an_operator_may_import_and_a_viewer_may_not(client, api, source):
    api.user("vanhanh", "operator")
    api.user("xem", "viewer")
    csrf = login(client, "vanhanh", "password-57")
    r = upload(client, csrf, "\n".join([HEADER, GOOD.format(n=5)]))
    assert r.status_code == 200 and figure(r.text, "accepted") == 1
    viewer = api.client()
    login(viewer, "xem", "password-57")
    assert viewer.get("/ingest/import").status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    r = client.get("/ingest/import", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/ingest/import"


def test_a_form_without_the_right_csrf_token_is_refused(client, source):
    login(client, "admin", ADMIN_PASSWORD)
    r = upload(client, "forged", "\n".join([HEADER, GOOD.format(n=1)]))
    assert r.status_code == 403
    assert "accepted" not in r.text


def test_a_file_too_large_gets_a_friendly_page(client, source, monkeypatch):
    monkeypatch.setattr(importpage, "MAX_UPLOAD", 1_000)
    csrf = login(client, "admin", ADMIN_PASSWORD)
    r = upload(client, csrf, "\n".join([HEADER] + [GOOD.format(n=n) for n in range(50)]))
    assert r.status_code == 413
    assert 'role="alert"' in r.text and 'name="file"' in r.text


def test_a_file_of_an_unknown_kind_is_explained(client, source):
    csrf = login(client, "admin", ADMIN_PASSWORD)
    r = upload(client, csrf, "hello", name="notes.txt")
    assert r.status_code == 422
    said = translate("vi", {"code": "ingest.unknown_extension", "params": {"name": "notes.txt"}})
    assert str(escape(said)) in r.text  # the reason in the page's language


def test_an_upload_over_the_cap_is_refused_as_it_streams_in(client, source, monkeypatch):
    monkeypatch.setattr(importpage, "MAX_UPLOAD", 1_000)
    csrf = login(client, "admin", ADMIN_PASSWORD)
    boundary = "ioc57-boundary"

    def body():
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        for _ in range(1024):  # 1 MB, with no Content-Length to say so
            yield b"x" * 1024
        yield f"\r\n--{boundary}--\r\n".encode()

    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Accept": "text/html"}
    r = client.post("/ingest/import", content=body(), headers=headers)
    assert r.status_code == 413 and 'role="alert"' in r.text


def test_a_form_that_is_not_one_file_and_a_few_fields_is_a_clear_4xx(client, source):
    csrf = login(client, "admin", ADMIN_PASSWORD)
    plain = client.post("/ingest/import", data={"csrf_token": csrf, "source": SOURCE["name"]})
    assert plain.status_code == 415 and "multipart/form-data" in plain.json()["detail"]
    long_field = upload(client, csrf, HEADER, source="x" * 20_000)
    assert long_field.status_code == 400
    file = ("dossiers.csv", HEADER.encode(), "text/csv")
    two_files = client.post(
        "/ingest/import", data={"csrf_token": csrf}, files=[("file", file), ("file", file)]
    )
    assert two_files.status_code == 400 and "files" in two_files.json()["detail"]
    many = {f"field{n}": "x" for n in range(100)} | {"csrf_token": csrf}
    many_fields = client.post("/ingest/import", data=many, files={"file": file})
    assert many_fields.status_code == 400 and "fields" in many_fields.json()["detail"]


def test_a_page_refused_to_a_role_says_why_in_the_reader_s_language(client, api):
    api.user("xem2", "viewer")
    login(client, "xem2", "password-57")
    page = client.get("/ingest/import", headers={"Accept": "text/html"})
    assert page.status_code == 403
    assert "Vai trò của bạn không được mở trang này" in page.text
    client.get("/lang/en")
    page = client.get("/ingest/import", headers={"Accept": "text/html"})
    assert "Your role may not open this page" in page.text
