"""The sources pages: who sees them, what they show, and the admin's form that shows a token once."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from ioc57.core.i18n import gettext
from ioc57.core.messages import translate

from ..support.http import ADMIN_PASSWORD, auth, login

SPEC = {"name": "dvc-82", "title": "Hệ thống DVC", "types": ["dossier"], "units": ["82"]}


def dossier(n: int, **changes) -> dict:
    record = {
        "id": f"HS-{n}",
        "procedure": "1.001234",
        "unit": "28261",
        "channel": "online",
        "received_at": "2025-09-01T08:00:00+07:00",
        "due_at": "2025-09-10T17:00:00+07:00",
        "status": "received",
        "updated_at": "2025-09-01T08:00:00+07:00",
    }
    return record | changes


def create(client, api, spec) -> str:
    r = client.post("/api/v1/sources", json=spec, headers=auth(api.token("admin")))
    assert r.status_code == 201, r.text
    return r.json()["token"]


def form_of(page_text: str) -> str:
    return page_text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_the_sources_page_asks_for_a_login_first(client):
    r = client.get("/sources", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/sources"
    r = client.get("/sources/dvc-82", follow_redirects=False)
    assert r.status_code == 303


@pytest.mark.parametrize("role", ["officer", "viewer"])
def test_officers_and_viewers_may_not_see_the_sources(client, api, role):
    api.user("someone", role, unit="82" if role == "officer" else None)
    login(client, "someone", "password-57")
    r = client.get("/sources", headers={"Accept": "text/html"})
    assert r.status_code == 403 and "text/html" in r.headers["content-type"]


@pytest.mark.parametrize("role", ["leader", "operator"])
def test_leaders_and_operators_see_sources_with_the_simulated_label_but_no_form(client, api, role):
    create(client, api, SPEC)
    create(
        client, api, {"name": "mo-phong", "types": ["feedback"], "units": ["82"], "simulated": True}
    )
    api.user("reader", role)
    login(client, "reader", "password-57")
    page = client.get("/sources")
    assert page.status_code == 200
    rows = page.text.split('<table id="sources">', 1)[1].split("</table>", 1)[0].split("<tr>")[2:]
    assert len(rows) == 2
    [mo_phong] = [row for row in rows if "/sources/mo-phong" in row]
    [dvc] = [row for row in rows if "/sources/dvc-82" in row]
    assert "dữ liệu mô phỏng" in mo_phong and "dữ liệu mô phỏng" not in dvc
    assert "Hệ thống DVC" in dvc and "dossier" in dvc
    assert 'action="/sources"' not in page.text  # the form is the admin's
    client.cookies.set("lang", "en")
    assert "simulated data" in client.get("/sources").text


def test_the_admin_creates_a_source_and_sees_its_token_once(client, api):
    csrf = login(client, "admin", ADMIN_PASSWORD)
    page = client.get("/sources")
    assert 'action="/sources"' in page.text
    form = {
        "csrf_token": form_of(page.text),
        "name": "qlvb-82",
        "title": "Quản lý văn bản",
        "types": ["dossier", "procedure"],
        "units": "82, 28261",
        "simulated": "1",
    }
    r = client.post("/sources", data=form)
    assert r.status_code == 201
    token = re.search(r"<code[^>]*>(ioc57_[^<]+)</code>", r.text).group(1)
    assert "dữ liệu mô phỏng" in r.text and "Phường Mỹ Tho" in r.text
    # the token speaks for the new source at the gate
    pushed = client.post("/api/v1/ingest/dossier", json=[dossier(1)], headers=auth(token))
    assert pushed.status_code == 200 and pushed.json()["accepted"] == 1
    # and it is never shown again
    again = client.get("/sources/qlvb-82")
    assert token not in again.text and 'id="token"' not in again.text
    assert csrf  # the session's token is what the form carried
    item = client.get("/api/v1/sources/qlvb-82", headers=auth(api.token("admin"))).json()
    assert (item["types"], item["units"], item["simulated"]) == (
        ["dossier", "procedure"],
        ["82", "28261"],
        True,
    )


def test_a_bad_form_names_the_field_and_keeps_what_was_typed(client, api):
    login(client, "admin", ADMIN_PASSWORD)
    csrf = form_of(client.get("/sources").text)
    form = {"csrf_token": csrf, "name": "hscv", "title": "Hồ sơ công việc", "types": ["dossier"]}
    r = client.post("/sources", data=form | {"units": "99999"})
    assert r.status_code == 422
    # each field's reason in the page's language
    unknown = translate("vi", {"code": "ingest.no_current_unit", "params": {"code": "99999"}})
    assert str(escape(unknown)) in r.text and 'value="Hồ sơ công việc"' in r.text
    r = client.post("/sources", data=form | {"units": "82", "pull_url": "ftp://x/y"})
    assert r.status_code == 422
    assert str(escape(translate("vi", {"code": "ingest.not_a_url"}))) in r.text
    create(client, api, SPEC)
    r = client.post("/sources", data=form | {"name": "dvc-82", "units": "82"})
    assert r.status_code == 409
    assert str(escape(translate("vi", {"code": "ingest.name_taken"}))) in r.text


def test_the_form_needs_the_session_csrf_token_and_the_admin_role(client, api):
    login(client, "admin", ADMIN_PASSWORD)
    form = {"name": "x-1", "types": ["dossier"], "units": "82"}
    r = client.post("/sources", data=form | {"csrf_token": "forged"})
    assert r.status_code == 403
    client.post("/logout", data={"csrf_token": form_of(client.get("/sources").text)})
    api.user("op", "operator")
    csrf = login(client, "op", "password-57")
    r = client.post("/sources", data=form | {"csrf_token": csrf})
    assert r.status_code == 403
    assert client.get("/api/v1/sources/x-1", headers=auth(api.token("admin"))).status_code == 404


def test_a_source_page_lists_its_recent_batches_with_their_counts(client, api):
    token = create(client, api, SPEC)
    client.post("/api/v1/ingest/dossier", json=[dossier(1), dossier(2)], headers=auth(token))
    bad = [dossier(3), dossier(4, unit="99999")]
    client.post("/api/v1/ingest/dossier", json=bad, headers=auth(token))
    login(client, "admin", ADMIN_PASSWORD)
    page = client.get("/sources/dvc-82")
    assert page.status_code == 200
    rows = page.text.split('<table id="batches">', 1)[1].split("</table>", 1)[0].split("<tr>")[2:]
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    # newest first: id, type (by its label), via, started, submitted, accepted, updated,
    # unchanged, stale, rejected
    dossiers = str(escape(gettext("vi", "Administrative dossier")))
    assert [c[1:3] + c[4:6] for c in cells] == [
        [dossiers, "push", "2", "1"],
        [dossiers, "push", "2", "2"],
    ]
    assert 'title="dossier"' in rows[0]  # its name, for those who send it
    assert "errors.csv" in rows[0] and "errors.csv" not in rows[1]
    assert client.get("/sources/nothing", headers={"Accept": "text/html"}).status_code == 404


def test_the_overview_shows_the_gate_panel_to_those_who_may_read_sources(client, api):
    token = create(client, api, SPEC)
    client.post(
        "/api/v1/ingest/dossier", json=[dossier(1), dossier(2, unit="x")], headers=auth(token)
    )
    anonymous = client.get("/")
    assert "Cổng dữ liệu" not in anonymous.text
    login(client, "admin", ADMIN_PASSWORD)
    client.cookies.set("lang", "en")
    page = client.get("/")
    panel = page.text.split("<h2>Data gate</h2>", 1)[1].split("</section>", 1)[0]
    figures = dict(
        re.findall(r"<dt>(?:<a [^>]*>)?([^<]+)(?:</a>)?</dt><dd[^>]*>([^<]+)</dd>", panel)
    )
    assert figures == {
        "Data sources": "1",
        "Records received today": "2",
        "Batches today": "1",
        "Rejected rows today": "1",
    }
    assert "Connected systems" not in page.text


def test_the_list_names_each_sources_units(client, api):
    create(client, api, SPEC | {"units": ["82", "28261"]})
    login(client, "admin", ADMIN_PASSWORD)
    page = client.get("/sources").text
    cell = page.split('class="source-units">', 1)[1].split("</td>", 1)[0]
    assert '<span title="82">Tỉnh Đồng Tháp</span>' in cell
    assert '<span title="28261">Phường Mỹ Tho</span>' in cell
