"""A record sent through the gate is read back by its type, source and id, with its versions;
scoped to the reader's unit, a source's token to its own records, and a citizen's contact only to
those who may call them back."""

from __future__ import annotations

import pytest

from ..support.http import auth
from ..support.ingest import Pusher
from .records import DVC, dossier, feedback

URL = "/api/v1/records/{type}/{source}/{id}"


@pytest.fixture
def dvc(client, api):
    return Pusher(client, api, DVC)


def read(client, token, type_="dossier", source="dvc-82", id_="HS-1"):
    return client.get(URL.format(type=type_, source=source, id=id_), headers=auth(token))


def test_a_record_reads_back_with_each_version_newest_first(client, api, dvc):
    dvc.push("dossier", [dossier(1)])
    later = {"status": "processing", "updated_at": "2025-09-03T08:00:00+07:00"}
    dvc.push("dossier", [dossier(1, **later)])
    dvc.push("dossier", [dossier(1, **later)])  # the same again: no new version
    r = read(client, api.token("admin"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["type"], body["source"], body["id"]) == ("dossier", "dvc-82", "HS-1")
    assert body["unit"] == {"code": "28261", "name": body["unit"]["name"]} and body["unit"]["name"]
    assert body["data"]["status"] == "processing"
    versions = body["versions"]
    assert [v["version"] for v in versions] == [2, 1]
    assert [v["data"]["status"] for v in versions] == ["processing", "received"]
    assert [v["current"] for v in versions] == [True, False]
    assert versions[1]["replaced_by_batch"] == versions[0]["batch"]
    assert versions[0]["updated_at"] == "2025-09-03T08:00:00+07:00"  # with its offset
    assert versions[0]["received_at"].endswith("+07:00") and versions[0]["via"] == "push"


def test_what_finds_nothing_is_named_in_a_404(client, api, dvc):
    dvc.push("dossier", [dossier(1)])
    admin = api.token("admin")
    for (type_, source, id_), field in [
        (("letter", "dvc-82", "HS-1"), "record_type"),
        (("dossier", "nobody", "HS-1"), "source"),
        (("dossier", "dvc-82", "HS-404"), "record_id"),
        (("procedure", "dvc-82", "HS-1"), "record_id"),
    ]:
        r = read(client, admin, type_, source, id_)
        assert r.status_code == 404, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["errors"][0]["loc"] == ["path", field]
        assert r.json()["errors"][0]["code"].startswith("ingest.no_")


def test_an_officer_reads_the_records_of_their_unit_only(client, api, dvc):
    dvc.push("dossier", [dossier(1), dossier(2, unit="28249")])  # Mỹ Tho; another ward
    officer = api.user("canbo-mytho", "officer", unit="28261")
    assert read(client, officer, id_="HS-1").status_code == 200
    outside = read(client, officer, id_="HS-2")
    assert outside.status_code == 403 and outside.json()["errors"][0]["loc"] == ["unit"]
    viewer = api.user("xem-records", "viewer")
    assert read(client, viewer).status_code == 403


def test_a_source_reads_back_its_own_records_only(client, api, dvc):
    dvc.push("dossier", [dossier(1)])
    other = Pusher(client, api, {"name": "other-82", "types": ["dossier"], "units": ["82"]})
    other.push("dossier", [dossier(1)])
    assert read(client, dvc.token).status_code == 200
    refused = read(client, dvc.token, source="other-82")
    assert refused.status_code == 403 and refused.json()["errors"][0]["loc"] == ["path", "source"]


def test_a_citizens_contact_reads_back_only_to_those_who_may_call_them(client, api):
    hotline = Pusher(client, api, {"name": "hotline-82", "types": ["feedback"], "units": ["82"]})
    said = "Tôi là Nguyễn Văn A, gọi 0909000000: rác thải ùn ứ trên đường Lê Lợi"
    report = feedback(1, text=said, address="12 Lê Lợi", tracking="TRACK12345", unit="28261")
    hotline.push("feedback", [report])
    path = URL.format(type="feedback", source="hotline-82", id="PA-1")
    operator = client.get(path, headers=auth(api.user("vanhanh-rb", "operator"))).json()
    assert operator["data"]["contact"]["phone"] == "0909000000"
    assert operator["data"]["text"] == said and "tracking" not in operator["data"]
    leader = client.get(path, headers=auth(api.user("lanhdao-rb", "leader")))
    assert leader.status_code == 200
    shown = leader.text
    assert "0909000000" not in shown and "Nguyễn Văn A" not in shown
    assert "TRACK12345" not in shown and "12 Lê Lợi" not in shown
    assert "Lê Lợi" in leader.json()["data"]["text"]  # the place stays


def test_a_changed_feedback_keeps_no_contact_in_its_history_for_a_leader(client, api):
    hotline = Pusher(client, api, {"name": "hotline-82", "types": ["feedback"], "units": ["82"]})
    hotline.push("feedback", [feedback(1)])
    hotline.push("feedback", [feedback(1, status="closed", updated_at="2025-09-05T09:00:00+07:00")])
    path = URL.format(type="feedback", source="hotline-82", id="PA-1")
    r = client.get(path, headers=auth(api.user("lanhdao-h", "leader")))
    assert [v["version"] for v in r.json()["versions"]] == [2, 1]
    assert "0909000000" not in r.text and "contact" not in r.json()["versions"][1]["data"]
