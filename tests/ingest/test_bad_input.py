"""Bad requests get a clear 4xx; bad rows are rejected with their field named and the good rows kept."""

import pytest

from ..support.http import auth
from .records import dossier, feedback, observation, procedure, reading


def test_request_level_errors(dvc, client, api):
    token = {"Authorization": f"Bearer {dvc.token}"}
    cases = [
        (dict(content=b"[{", headers=token | {"Content-Type": "application/json"}), "dossier", 400),
        (
            dict(content=b'{"id": 1}', headers=token | {"Content-Type": "application/json"}),
            "dossier",
            400,
        ),
        (dict(content=b"id,unit", headers=token | {"Content-Type": "text/csv"}), "dossier", 415),
        (dict(json=[dossier(1)], headers=token), "spaceship", 404),
        (dict(json=[dossier(1)]), "dossier", 401),
        (dict(json=[dossier(1)], headers={"Authorization": "Bearer wrong"}), "dossier", 401),
        (dict(json=[feedback(1)], headers=token), "feedback", 403),  # not one of its types
        (dict(json=[dossier(1)], headers=auth(api.user("xem", "viewer"))), "dossier", 403),
    ]
    for kwargs, record_type, status in cases:
        r = client.post(f"/api/v1/ingest/{record_type}", **kwargs)
        assert r.status_code == status, (record_type, status, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")


def test_too_many_records_or_too_many_bytes_is_413(dvc, client):
    headers = {"Authorization": f"Bearer {dvc.token}"}
    r = client.post(
        "/api/v1/ingest/dossier", json=[{"id": str(i)} for i in range(10_001)], headers=headers
    )
    assert r.status_code == 413
    big = b"[" + b" " * (10 * 1024 * 1024) + b"]"
    r = client.post(
        "/api/v1/ingest/dossier",
        content=big,
        headers=headers | {"Content-Type": "application/json"},
    )
    assert r.status_code == 413


@pytest.mark.parametrize(
    ("record", "field"),
    [
        (dossier(2, unit="99999"), "unit"),
        (dossier(2, unit="815"), "unit"),  # a district that ceased to exist before the dossier
        (dossier(2, received_at="2099-01-01T00:00:00+07:00"), "received_at"),
        (dossier(2, received_at="2025-02-30T00:00:00"), "received_at"),
        (dossier(2, channel="fax"), "channel"),
        (dossier(2, suspended_days=-1), "suspended_days"),
        (dossier(2, synced_national="perhaps"), "synced_national"),
        (dossier(2, status="finished"), "__root__"),
        ({k: v for k, v in dossier(2).items() if k != "procedure"}, "procedure"),
        (dossier(2, agency="NO-SUCH"), "agency"),
        (dossier(2, unit="01"), "unit"),  # Hà Nội: outside the source's units
    ],
)
def test_a_bad_row_is_rejected_naming_its_field_and_the_good_rows_are_kept(dvc, record, field):
    answer = dvc.push("dossier", [dossier(1), record, dossier(3)])
    assert answer["accepted"] == 2
    (rejected,) = answer["rejected"]
    assert rejected["index"] == 1
    assert any(
        field in e["loc"] or (field == "__root__" and e["loc"] in ([], ["__root__"]))
        for e in rejected["errors"]
    ), rejected


def test_bad_rows_of_the_other_types(everything):
    cases = [
        ("procedure", procedure(1, online="sometimes"), "online"),
        ("feedback", feedback(1, unit="99999"), "unit"),
        ("feedback", feedback(1, lat=123.0), "lat"),
        ("reading", reading(1, value="NaN"), "value"),
        ("reading", reading(1, station=""), "station"),
        ("observation", observation(period="2024Q5"), "period"),
        ("observation", observation(period="2099"), "period"),
        ("observation", observation(numerator=None, value=None), "__root__"),
        (
            "observation",
            observation(unit="87"),
            "unit",
        ),  # old Đồng Tháp was 87 until 2025-06-30 ...
    ]
    for record_type, record, field in cases:
        answer = everything.push(record_type, [record])
        if record_type == "observation" and field == "unit":
            # ... and a 2024 value for 87 is valid, and within the scope of today's 82
            assert answer["accepted"] == 1, answer
            continue
        assert answer["accepted"] == 0, (record_type, answer)
        errors = answer["rejected"][0]["errors"]
        assert any(field in e["loc"] or field == "__root__" for e in errors), (field, errors)
