"""The keys of Open311 apps, issued and revoked from the command line (the key printed once, as
the last line; only its SHA-256 stored; both audited), and the rate limit of a key and of a client
address (429 with ``Retry-After``, in the specification's error shape)."""

from __future__ import annotations

import hashlib

from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select

from ioc57.cli import main
from ioc57.core.audit import audit_log
from ioc57.feedback.tables import open311_keys

from ..support.open311 import V2, errors

FORM = {
    "jurisdiction_id": "82",
    "service_code": "khac",
    "address_string": "gần bến phà",
    "description": "Bến phà xuống cấp.",
}


def run(db_url: str, *args: str):
    return CliRunner().invoke(main, ["--database-url", db_url, "open311", "key", *args])


def issue(db_url: str, name: str) -> str:
    done = run(db_url, "create", name)
    assert done.exit_code == 0, done.output
    return done.output.strip().splitlines()[-1]


def post(client: TestClient, key: str):
    return client.post(f"{V2}/requests.json", data=FORM | {"api_key": key})


def test_a_key_is_issued_once_listed_without_itself_revoked_and_issued_anew(
    feedback_app, feedback_client, module_db_url
):
    key = issue(module_db_url, "tong-dai-so")
    with feedback_app.state.engine.connect() as conn:
        row = conn.execute(select(open311_keys).where(open311_keys.c.name == "tong-dai-so")).one()
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(tuple(row))
    assert post(feedback_client, key).status_code == 200
    listed = run(module_db_url, "list")
    assert listed.exit_code == 0 and "tong-dai-so" in listed.output and "active" in listed.output
    assert key not in listed.output and "never used" not in listed.output

    again = run(module_db_url, "create", "tong-dai-so")
    assert again.exit_code == 2 and "revoke it first" in again.output
    assert run(module_db_url, "revoke", "tong-dai-so").exit_code == 0
    assert "Missing or invalid api_key" in errors(
        feedback_client, "POST", "requests", 403, data=FORM | {"api_key": key}
    )
    assert "revoked" in run(module_db_url, "list").output
    fresh = issue(module_db_url, "tong-dai-so")
    assert fresh != key and post(feedback_client, fresh).status_code == 200
    assert post(feedback_client, key).status_code == 403

    with feedback_app.state.engine.connect() as conn:
        audited = conn.execute(
            select(audit_log.c.action, audit_log.c.actor)
            .where(audit_log.c.object_id == "tong-dai-so")
            .order_by(audit_log.c.id)
        ).all()
    assert [tuple(a) for a in audited] == [
        ("open311.key_create", "cli"),
        ("open311.key_revoke", "cli"),
        ("open311.key_create", "cli"),
    ]


def test_a_bad_name_or_an_unknown_app_is_refused(module_db_url):
    bad = run(module_db_url, "create", "Tên có dấu")
    assert bad.exit_code == 2 and "name" in bad.output
    unknown = run(module_db_url, "revoke", "khong-co")
    assert unknown.exit_code == 2 and "No Open311 app 'khong-co'" in unknown.output


def test_an_app_files_at_most_its_limit_an_hour_wherever_it_sends_from(feedback_app, module_db_url):
    """Counted per key, not per address: an app's server files for many citizens from one
    address, and two apps may share a gateway."""
    settings = feedback_app.state.settings
    feedback_app.state.settings = settings.model_copy(update={"feedback_intake_per_hour": 2})
    feedback_app.state.feedback_windows = {}  # windows of this test's own
    first, second = issue(module_db_url, "app-mot"), issue(module_db_url, "app-hai")
    here = TestClient(feedback_app, client=("203.0.113.7", 5000))
    there = TestClient(feedback_app, client=("198.51.100.9", 5000))
    try:
        assert [post(here, first).status_code for _ in range(2)] == [200, 200]
        r = post(here, first)
        assert r.status_code == 429 and 0 < int(r.headers["Retry-After"]) <= 3600
        assert r.json() == [{"code": 429, "description": r.json()[0]["description"]}]
        assert "Too many reports" in errors(
            here, "POST", "requests", 429, data=FORM | {"api_key": first}
        )
        assert post(there, first).status_code == 429  # the key, wherever it comes from
        assert post(here, second).status_code == 200  # another app, from the same address
    finally:
        feedback_app.state.settings = settings
