"""The import page for the operator: in the navigation for those who may import, a source and a
type that go together preselected, each type's columns, and an example file (CSV and XLSX) that
imports cleanly."""

from __future__ import annotations

import io

import pytest

from ioc57.ingest.types import RECORD_TYPES

from ..support.http import ADMIN_PASSWORD, auth, login

PASSWORD = "password-57"
# an EPCIS event names the lots and places of other records in lists a flat file does not hold:
# its columns are listed, its example not promised to import (events come by the capture API)
NAMES_WHAT_IT_CANNOT_KNOW = {"epcis_event"}
SOURCES = [
    # sorted first, but sends only what an operator may not write (indicator values)
    {"name": "a-bai-bao", "types": ["observation"], "units": ["82"]},
    {"name": "b-mo-phong", "types": ["dossier"], "units": ["82"], "simulated": True},
    {"name": "c-dvc", "types": ["dossier", "procedure"], "units": ["82"]},
]


@pytest.fixture
def operator(client, api):
    for spec in SOURCES:
        r = client.post("/api/v1/sources", json=spec, headers=auth(api.token("admin")))
        assert r.status_code == 201, r.text
    api.user("vanhanh", "operator")
    api.user("xem", "viewer")
    return login(client, "vanhanh", PASSWORD)


def selected(page: str, name: str) -> str:
    select = page.split(f'<select name="{name}"', 1)[1].split("</select>", 1)[0]
    return select.split(" selected>", 1)[0].rsplit('value="', 1)[1].split('"', 1)[0]


def test_the_page_is_in_the_navigation_of_those_who_may_import(client, api, operator):
    assert 'href="/ingest/import"' in client.get("/").text
    viewer = api.client()
    login(viewer, "xem", PASSWORD)
    page = viewer.get("/").text
    # neither in the navigation nor on the tiles: both pages would refuse a viewer
    assert 'href="/ingest/import"' not in page and 'href="/sources"' not in page


def test_a_real_source_and_a_type_it_sends_are_preselected(client, operator):
    page = client.get("/ingest/import").text
    assert "a-bai-bao" not in page  # it sends nothing an operator may import
    assert (selected(page, "source"), selected(page, "type")) == ("c-dvc", "procedure")
    assert 'data-types="procedure dossier"' in page  # the types offered with the source
    asked = client.get("/ingest/import", params={"type": "dossier"})  # e.g. after an upload
    assert selected(asked.text, "source") == "c-dvc"


def test_each_type_lists_its_columns(client, operator):
    page = client.get("/ingest/import").text
    box = page.split('id="columns-dossier"', 1)[1].split("</details>", 1)[0]
    row = box.split('data-column="channel"', 1)[1].split("</tr>", 1)[0]
    assert "<code>online</code>" in row and "<code>postal</code>" in row
    assert box.index('data-column="status"') < box.index('data-column="finished_at"')
    assert 'href="/ingest/import/dossier/example.xlsx?source=c-dvc"' in box


def upload(client, csrf, source, type_name, name, content):
    data = {"csrf_token": csrf, "source": source, "type": type_name}
    r = client.post(
        "/ingest/import",
        data=data,
        files={"file": (name, content, "application/octet-stream")},
        headers={"Accept": "text/html"},
    )
    assert r.status_code == 200, r.text
    return {
        key: int(r.text.split(f'id="count-{key}">', 1)[1].split("<", 1)[0])
        for key in ("accepted", "updated", "unchanged", "rejected")
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_example_file_imports_cleanly(client, operator, fmt):
    r = client.get(f"/ingest/import/dossier/example.{fmt}", params={"source": "c-dvc"})
    assert r.status_code == 200, r.text
    if fmt == "csv":
        heads = r.content.decode("utf-8-sig").splitlines()[0].split(",")
        assert heads[:2] == ["id", "procedure"] and "finished_at" in heads
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(r.content)).active
        assert [c.value for c in sheet[1]][:2] == ["id", "procedure"]
    counts = upload(client, operator, "c-dvc", "dossier", f"example.{fmt}", r.content)
    assert counts == {"accepted": 1, "updated": 0, "unchanged": 0, "rejected": 0}


def test_every_types_example_is_taken_by_the_gate(client, api):
    """As the administrator, each type's example imports cleanly, in the registry's order (a
    reading after the station the station's example makes, a task after its programme); a task
    names an agency of the source's province, a farm and a lot a commune of it."""
    csrf = login(client, "admin", ADMIN_PASSWORD)
    agency = {"code": "82-SKHCN", "name": "Sở Khoa học và Công nghệ", "parent": "82"}
    r = client.post("/api/v1/units", json=agency, headers=auth(api.token("admin")))
    assert r.status_code == 201, r.text
    for name in [n for n in RECORD_TYPES if n not in NAMES_WHAT_IT_CANNOT_KNOW]:
        source = "vd-" + name.replace("_", "-")
        spec = {"name": source, "types": [name], "units": ["82"]}
        r = client.post("/api/v1/sources", json=spec, headers=auth(api.token("admin")))
        assert r.status_code == 201, r.text
        r = client.get(f"/ingest/import/{name}/example.csv", params={"source": source})
        assert r.status_code == 200, (name, r.text)
        counts = upload(client, csrf, source, name, "example.csv", r.content)
        assert counts["accepted"] == 1 and counts["rejected"] == 0, (name, counts, r.text)


def test_an_unknown_type_or_source_is_named(client, operator):
    r = client.get("/ingest/import/letter/example.csv", headers={"Accept": "application/json"})
    assert r.status_code == 404 and r.json()["errors"][0]["loc"] == ["path", "record_type"]
    r = client.get(
        "/ingest/import/dossier/example.csv",
        params={"source": "a-bai-bao"},
        headers={"Accept": "application/json"},
    )
    assert r.status_code == 404 and r.json()["errors"][0]["loc"] == ["query", "source"]


def test_a_columns_description_comes_from_its_schema():
    from pydantic import Field

    from ioc57.ingest.columns import columns
    from ioc57.ingest.types.base import RecordModel, RecordType, named_today, no_contributions

    class Letter(RecordModel):
        unit: str = Field(max_length=40, description="The commune the letter is about")
        contact: str | None = None

    letter = RecordType("letter", Letter, named_today, no_contributions, private=("contact",))
    found = {c.name: c for c in columns(letter)}
    assert found["unit"].description == "The commune the letter is about"
    assert found["unit"].required and found["unit"].max_length == 40
    assert "contact" not in found  # a person's details are no column of a file
