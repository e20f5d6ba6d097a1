"""Every reason the gate gives for a rejected row carries a stable ``code`` (and the ``params``
that fill it): the API keeps its English ``msg``, a page says the same reason in its language.

A code is one of the declared messages (``core.messages.MESSAGES``: then its English, filled from
the params, is the ``msg`` itself) or one of pydantic's error types that ``core.messages.PYDANTIC``
translates (its fields all filled from the params)."""

import pytest

from ioc57.core.messages import MESSAGES, PYDANTIC, translate

from ..support.http import auth
from .records import dossier, feedback, observation, procedure, reading


def assert_coded(errors: list[dict]) -> None:
    assert errors
    for error in errors:
        code = error.get("code")
        assert code in MESSAGES or code in PYDANTIC, error
        said = translate("en", error)
        assert "{" not in said, error  # every field of the sentence is filled
        if code in MESSAGES:
            assert said == error["msg"], error


BAD_DOSSIERS = [
    dossier(2, unit="99999"),
    dossier(2, received_at="2099-01-01T00:00:00+07:00"),
    dossier(2, received_at="1980-01-01T00:00:00+07:00"),
    dossier(2, received_at="2025-02-30T00:00:00"),
    dossier(2, channel="fax"),
    dossier(2, suspended_days=-1),
    dossier(2, synced_national="perhaps"),
    dossier(2, status="finished"),
    dossier(2, due_at="2025-01-01T00:00:00+07:00"),
    {k: v for k, v in dossier(2).items() if k != "procedure"},
    dossier(2, agency="NO-SUCH"),
    dossier(2, unit="01"),  # outside the source's units
    [1, 2],  # not an object
]


@pytest.mark.parametrize("record", BAD_DOSSIERS)
def test_a_rejected_dossier_says_why_with_a_code(dvc, record):
    answer = dvc.push("dossier", [record])
    (rejected,) = answer["rejected"]
    assert_coded(rejected["errors"])


def test_the_other_types_reasons_have_codes_too(everything):
    cases = [
        ("procedure", procedure(1, online="sometimes")),
        ("feedback", feedback(1, unit="99999")),
        ("feedback", feedback(1, lat=123.0)),
        ("reading", reading(1, value="NaN")),
        ("observation", observation(period="2024Q5")),
        ("observation", observation(period="2099")),
        ("observation", observation(numerator=None, value=None)),
    ]
    for record_type, record in cases:
        answer = everything.push(record_type, [record])
        assert answer["accepted"] == 0, (record_type, answer)
        assert_coded(answer["rejected"][0]["errors"])


def test_a_type_the_source_was_not_given_is_refused_with_a_code(dvc, client):
    r = client.post("/api/v1/ingest/feedback", json=[feedback(1)], headers=auth(dvc.token))
    assert r.status_code == 403
    body = r.json()
    assert body["code"] == "ingest.type_refused"
    assert body["params"] == {"source": dvc.name, "type": "feedback"}
    assert_coded(body["errors"])
    assert translate("en", body) == body["detail"]
