"""Who reads the work list and the catalogue, and what a bad request gets: a 422 problem naming the
field, never a 500."""

import pytest

from ..support.http import auth
from ..support.services import hs

URLS = ("/api/v1/services/dossiers", "/api/v1/services/procedures")


@pytest.fixture
def pushed(dvc, at_now):
    dvc.push(
        "dossier",
        [hs(1, "2025-10-20T17:00:00"), hs(2, "2025-10-20T17:00:00", unit="28249")],
    )


def ids(client, token, **params) -> list[str]:
    r = client.get(URLS[0], params=params, headers=auth(token))
    assert r.status_code == 200, r.text
    return [item["record_id"] for item in r.json()["items"]]


def test_the_officer_of_a_commune_sees_only_its_subtree(pushed, client, api):
    officer = api.user("canbo.xa", "officer", unit="28261")
    assert ids(client, officer, unit="28261") == ["HS-1"]
    assert ids(client, officer) == ["HS-1"]  # no unit named: its own
    for url in URLS:
        for other in ("28249", "82"):
            r = client.get(url, params={"unit": other}, headers=auth(officer))
            assert r.status_code == 403, (url, other, r.text)
            assert r.headers["content-type"].startswith("application/problem+json")
            assert r.json()["errors"][0]["loc"] == ["unit"]
    # the other commune's dossier is not there for it; its own is
    leader = api.user("lanhdao", "leader")
    numbers = {
        item["record_id"]: item["id"]
        for item in client.get(URLS[0], params={"unit": "82"}, headers=auth(leader)).json()["items"]
    }
    own = client.get(f"{URLS[0]}/{numbers['HS-1']}", headers=auth(officer))
    other = client.get(f"{URLS[0]}/{numbers['HS-2']}", headers=auth(officer))
    assert (own.status_code, other.status_code) == (200, 404)


def test_the_officer_of_the_province_sees_its_communes(pushed, client, api):
    officer = api.user("canbo.tinh", "officer", unit="82")
    assert ids(client, officer, unit="28249") == ["HS-2"]
    assert ids(client, officer) == ["HS-1", "HS-2"]


@pytest.mark.parametrize("role", ["viewer", "operator", "leader", "admin"])
def test_every_signed_in_reader_may_read(pushed, client, api, role):
    token = api.token("admin") if role == "admin" else api.user(f"u-{role}", role)
    assert ids(client, token, unit="82") == ["HS-1", "HS-2"]
    assert ids(client, token) == ["HS-1", "HS-2"]  # a reader without a unit: every unit


def test_no_one_else_may(pushed, client, dvc):
    for url in URLS:
        assert client.get(url, params={"unit": "82"}).status_code == 401
        # a data source's token writes records; it does not read the work list
        assert client.get(url, params={"unit": "82"}, headers=auth(dvc.token)).status_code == 403


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        (URLS[0], {"unit": "NOPE"}, "unit"),
        (URLS[0], {"unit": "82", "state": "late"}, "state"),
        (URLS[0], {"unit": "82", "limit": "0"}, "limit"),
        (URLS[0], {"unit": "82", "limit": "201"}, "limit"),
        (URLS[0], {"unit": "82", "limit": "many"}, "limit"),
        (URLS[0], {"unit": "82", "offset": "-1"}, "offset"),
        (URLS[0], {"unit": "82", "offset": str(2**70)}, "offset"),
        (URLS[0], {"unit": "x" * 41}, "unit"),
        (URLS[1], {"unit": "NOPE"}, "unit"),
        (URLS[1], {"unit": "82", "period": "2025Q5"}, "period"),
        (URLS[1], {"unit": "82", "period": "last year"}, "period"),
        (URLS[1], {"unit": "82", "online": "sometimes"}, "online"),
        (URLS[1], {"unit": "82", "fee": "maybe"}, "fee"),
        (URLS[1], {"unit": "82", "limit": "500"}, "limit"),
        (URLS[1], {}, "unit"),  # an admin has no unit of its own: the catalogue needs one
    ],
)
def test_bad_input_is_a_problem_naming_the_field(client, api, url, params, field):
    r = client.get(url, params=params, headers=auth(api.token("admin")))
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert field in [e["loc"][-1] for e in r.json()["errors"]], r.json()


@pytest.mark.parametrize("dossier_id", ["0", "-3", "abc", str(2**63)])
def test_a_dossier_id_out_of_range_is_a_problem(client, api, dossier_id):
    r = client.get(f"{URLS[0]}/{dossier_id}", headers=auth(api.token("admin")))
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
