"""The notifier, as Alertmanager's users expect it: a group's changes sent together after the
group wait, later changes after the group interval, the alerting ones again after the repeat
interval, resolved ones once; silenced and inhibited alerts left out; webhooks signed; email
through a real SMTP server. Changes are made as the evaluator makes them (``support/alerting``);
the notifier runs at the times each test gives it; the receivers are real local servers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import orjson
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import insert

from ioc57.alerts import deliver, notify, tables
from ioc57.alerts.machine import State
from ioc57.cli import main
from ioc57.core import audit
from ioc57.core.clock import now as clock_now

from ..support.alerting import make_rule, move, verify
from ..support.backends import app_on
from ..support.http import Api, auth
from ..support.receivers import http_receiver, mail_sink

S = timedelta(seconds=1)
WAIT, INTERVAL, REPEAT = 30 * S, 300 * S, 14_400 * S  # the settings' defaults


@pytest.fixture(scope="module")
def app(module_db_url):
    with app_on(module_db_url) as app:
        yield app


@pytest.fixture(scope="module")
def client(app) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver") as client:
        yield client


@pytest.fixture(scope="module")
def admin(app) -> dict[str, str]:
    return auth(Api(app).token("admin"))


@contextmanager
def channel(
    client, admin, name: str, target: str, kind: str = "webhook", rule: str | None = None, **more
) -> Iterator[dict]:
    """A channel that takes only the alerts of the rule ``name``, deleted after (the tests share
    the database: another test's groups find no channel)."""
    body = {"name": name, "kind": kind, "target": target}
    body |= {"matchers": [{"name": "alertname", "op": "=", "value": rule or name}]} | more
    r = client.post("/api/v1/alert-channels", json=body, headers=admin)
    assert r.status_code == 201, r.text
    yield r.json()
    r = client.delete(f"/api/v1/alert-channels/{r.json()['id']}", headers=admin)
    assert r.status_code == 204, r.text


def run(app, at, **settings):
    """One round of the notifier at ``at``: flush the due groups, send the due deliveries."""
    used = app.state.settings.model_copy(update=settings)
    made = notify.flush_due(app.state.engine, used, at)
    return made, deliver.send_due(app.state.engine, used, at)


def test_fifty_changes_are_one_signed_webhook_after_the_group_wait(app, client, admin):
    t0 = clock_now()
    rule = make_rule(app.state.engine, "fifty", t0)
    with http_receiver() as hook, channel(client, admin, "fifty", hook.url) as made:
        for n in range(50):
            move(app.state.engine, rule, "fifty", {"station": f"S{n:02}"}, State.FIRING, t0)
        assert run(app, t0 + WAIT - S)[0] == 0  # still waiting for more of the group
        assert run(app, t0 + WAIT)[0] == 1
        assert run(app, t0 + WAIT + 2 * S)[0] == 0  # nothing new: nothing sent
        (got,) = hook.wait_for(1)
        body = orjson.loads(got.body)
        assert body["version"] == "4" and body["status"] == "firing"
        assert body["receiver"] == "fifty" and body["groupLabels"] == {"alertname": "fifty"}
        assert body["commonLabels"] == {"alertname": "fifty", "severity": "critical"}
        assert sorted(a["labels"]["station"] for a in body["alerts"]) == [
            f"S{n:02}" for n in range(50)
        ]
        assert {a["status"] for a in body["alerts"]} == {"firing"}
        assert verify(made["secret"], got.headers, got.body)
        assert not verify("another-secret-of-16", got.headers, got.body)
        assert len(hook.requests) == 1


def test_group_interval_repeat_interval_and_resolved_once(app, client, admin):
    t0 = clock_now()
    engine = app.state.engine
    rule = make_rule(engine, "timing", t0)
    with http_receiver() as hook, channel(client, admin, "timing", hook.url):
        one = move(engine, rule, "timing", {"station": "A"}, State.FIRING, t0)
        first = t0 + WAIT
        assert run(app, first)[0] == 1
        # a new alert soon after: it waits for the group interval after the first flush
        move(engine, rule, "timing", {"station": "B"}, State.FIRING, first + 10 * S)
        assert run(app, first + 11 * S)[0] == 0
        assert run(app, first + INTERVAL - S)[0] == 0
        second = first + INTERVAL
        assert run(app, second)[0] == 1
        # nothing changes: nothing until the repeat interval, then all of it again
        assert run(app, second + INTERVAL)[0] == 0
        assert run(app, second + REPEAT - S)[0] == 0
        third = second + REPEAT
        assert run(app, third)[0] == 1
        # one resolves: sent once as resolved, with the one still firing
        move(engine, rule, "timing", {"station": "A"}, State.RESOLVED, third + S)
        fourth = third + INTERVAL
        assert run(app, fourth)[0] == 1
        move(engine, rule, "timing", {"station": "B"}, State.RESOLVED, fourth + S)
        fifth = fourth + INTERVAL
        assert run(app, fifth)[0] == 1
        assert run(app, fifth + 2 * REPEAT)[0] == 0  # nothing alerting: no repeat
        # a quiet group: a new alert waits for more, as in a new group
        sixth = fifth + 3 * REPEAT
        move(engine, rule, "timing", {"station": "C"}, State.FIRING, sixth)
        assert run(app, sixth + WAIT - S)[0] == 0
        assert run(app, sixth + WAIT)[0] == 1
        bodies = [orjson.loads(r.body) for r in hook.wait_for(6)]
        assert len(bodies) == 6
        states = [{a["labels"]["station"]: a["status"] for a in b["alerts"]} for b in bodies]
        assert states == [
            {"A": "firing"},
            {"A": "firing", "B": "firing"},
            {"A": "firing", "B": "firing"},
            {"A": "resolved", "B": "firing"},
            {"B": "resolved"},
            {"C": "firing"},
        ]
        assert [b["status"] for b in bodies] == ["firing"] * 4 + ["resolved", "firing"]
        resolved = bodies[3]["alerts"][0]
        assert resolved["endsAt"].startswith(str((third + S).year))
        assert resolved["generatorURL"].endswith(f"/alerts/{one}")


def test_silenced_and_inhibited_alerts_are_left_out(app, client, admin):
    t0 = clock_now()
    engine = app.state.engine
    rule = make_rule(engine, "muted", t0, group_by=("alertname", "station"))
    quiet = make_rule(engine, "muted-nodata", t0, severity="warning")
    with engine.begin() as conn:
        conn.execute(
            insert(tables.silences).values(
                matchers=orjson.dumps([{"name": "station", "op": "=", "value": "SIL"}]).decode(),
                starts_at=t0 - S,
                ends_at=t0 + 3600 * S,
                comment="bảo trì",
                created_by="test",
                created_at=t0,
            )
        )
        conn.execute(
            insert(tables.inhibitions).values(
                name="muted: no data mutes thresholds",
                source_matchers='[{"name": "alertname", "op": "=", "value": "muted-nodata"}]',
                target_matchers='[{"name": "alertname", "op": "=", "value": "muted"}]',
                equal='["station"]',
                created_by="test",
            )
        )
    by = ("alertname", "station")
    with http_receiver() as hook, channel(client, admin, "muted", hook.url):
        move(
            engine, quiet, "muted-nodata", {"station": "NOD"}, State.NODATA, t0, severity="warning"
        )
        for station in ("SIL", "NOD", "OK"):
            move(engine, rule, "muted", {"station": station}, State.FIRING, t0, group_by=by)
        assert run(app, t0 + WAIT)[0] == 1  # three groups, two of them muted
        assert run(app, t0 + WAIT + INTERVAL)[0] == 0  # looked at again: still muted
        # the silence ends: its alert is sent at the next look; the inhibited one stays muted
        assert run(app, t0 + 3600 * S + INTERVAL)[0] == 1
        got = hook.wait_for(2)
        sent = [[a["labels"]["station"] for a in orjson.loads(r.body)["alerts"]] for r in got]
        assert sent == [["OK"], ["SIL"]]


def test_a_channel_takes_the_alerts_its_minimum_severity_lets_through(app, client, admin):
    t0 = clock_now()
    rule = make_rule(app.state.engine, "minor", t0, severity="warning")
    with (
        http_receiver() as grave,
        http_receiver() as every,
        channel(client, admin, "minor-grave", grave.url, rule="minor", min_severity="critical"),
        channel(client, admin, "minor", every.url, min_severity="warning"),
    ):
        move(
            app.state.engine, rule, "minor", {"station": "M"}, State.FIRING, t0, severity="warning"
        )
        assert run(app, t0 + WAIT) == (1, {"sent": 1, "pending": 0, "dead": 0})
        assert len(every.wait_for(1)) == 1 and grave.requests == []


def test_a_webhook_is_retried_with_backoff_then_dead_then_replayed(app, client, admin):
    t0 = clock_now()
    engine = app.state.engine
    rule = make_rule(engine, "flaky", t0)
    attempts = app.state.settings.webhook_max_attempts
    with http_receiver() as hook, channel(client, admin, "flaky", hook.url) as made:
        hook.statuses = [500] * attempts
        move(engine, rule, "flaky", {"station": "F"}, State.FIRING, t0)
        at = t0 + WAIT
        assert run(app, at)[1]["pending"] == 1
        for n in range(1, attempts):
            assert run(app, at + deliver.backoff(n) - S)[1] == {"sent": 0, "pending": 0, "dead": 0}
            at += deliver.backoff(n)
            outcome = run(app, at)[1]
            assert outcome == (
                {"sent": 0, "pending": 0, "dead": 1}
                if n == attempts - 1
                else {"sent": 0, "pending": 1, "dead": 0}
            )
        assert deliver.backoff(20) == 300 * S  # capped at five minutes
        assert len(hook.wait_for(attempts)) == attempts
        r = client.get("/api/v1/alert-deliveries", params={"status": "dead"}, headers=admin)
        dead = [d for d in r.json()["items"] if d["channel_id"] == made["id"]]
        assert len(dead) == 1 and dead[0]["attempts"] == attempts
        assert dead[0]["last_error"] == "HTTP 500"
        r = client.post(f"/api/v1/alert-deliveries/{dead[0]['id']}/replay", headers=admin)
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "pending"
        r = client.post(f"/api/v1/alert-deliveries/{dead[0]['id']}/replay", headers=admin)
        assert r.status_code == 409  # only a dead letter is replayed
        assert run(app, clock_now())[1]["sent"] == 1
        got = hook.wait_for(attempts + 1)
        assert len(got) == attempts + 1 and got[-1].body == got[0].body
        sent = {"status": "sent", "limit": 1000}
        r = client.get("/api/v1/alert-deliveries", params=sent, headers=admin)
        assert dead[0]["id"] in [d["id"] for d in r.json()["items"]]
        # a month on, the app's notifier forgets what it sent long ago
        notify.Notifier(engine, app.state.settings).run_once(clock_now() + timedelta(days=31))
        r = client.get("/api/v1/alert-deliveries", params=sent, headers=admin)
        assert dead[0]["id"] not in [d["id"] for d in r.json()["items"]]


def test_email_reaches_the_smtp_server_in_vietnamese(app, client, admin):
    t0 = clock_now()
    engine = app.state.engine
    rule = make_rule(engine, "mailed", t0, title="Độ mặn vượt ngưỡng cây trồng")
    to = "truc.ban@example.vn, phong.nn@example.vn"
    with mail_sink() as sink, channel(client, admin, "mailed", to, kind="email"):
        move(engine, rule, "mailed", {"station": "TG-01"}, State.FIRING, t0, value=2.25)
        smtp = {"smtp_host": sink.host, "smtp_port": sink.port}
        assert run(app, t0 + WAIT, **smtp)[1]["sent"] == 1
        (mail,) = sink.wait_for(1)
        assert mail["X-Envelope-To"] == "truc.ban@example.vn, phong.nn@example.vn"
        assert mail["Subject"] == "[Đang cảnh báo: 1] Độ mặn vượt ngưỡng cây trồng"
        text = mail.get_content()
        assert "station=TG-01" in text and "giá trị 2,25 (ngưỡng 1)" in text
        # no SMTP server set: the delivery fails and is tried again later
        move(engine, rule, "mailed", {"station": "TG-01"}, State.RESOLVED, t0 + 60 * S)
        outcome = run(app, t0 + WAIT + INTERVAL, smtp_host="")[1]
        assert outcome == {"sent": 0, "pending": 1, "dead": 0}


def test_channels_api_checks_what_it_is_given_and_hides_the_secret(app, client, admin):
    post = lambda body: client.post("/api/v1/alert-channels", json=body, headers=admin)  # noqa: E731
    r = post({"name": "bad-url", "kind": "webhook", "target": "ftp://example.vn/x"})
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["target"]
    r = post({"name": "bad-mail", "kind": "email", "target": "truc.ban, @x"})
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["target"]
    matcher = {"name": "station", "op": "=~", "value": "(unclosed"}
    r = post({"name": "bad-re", "kind": "webhook", "target": "http://h/x", "matchers": [matcher]})
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["matchers"]
    assert r.headers["content-type"] == "application/problem+json"
    r = post({"name": "bad-sev", "kind": "webhook", "target": "http://h/x", "min_severity": "x"})
    assert r.status_code == 422
    given = {"name": "kept", "kind": "webhook", "target": "http://h/x", "secret": "s" * 20}
    r = post(given)
    assert r.status_code == 201 and r.json()["secret"] == "s" * 20 and r.json()["signed"]
    assert post(given).status_code == 409
    listed = client.get("/api/v1/alert-channels", headers=admin).json()["items"]
    assert [c for c in listed if c["name"] == "kept"][0].keys() == r.json().keys() - {"secret"}
    viewer = auth(Api(app).user("notify.viewer", "viewer"))
    assert client.get("/api/v1/alert-channels", headers=viewer).status_code == 403
    assert client.get("/api/v1/alert-deliveries", headers=viewer).status_code == 403
    assert (
        client.delete(f"/api/v1/alert-channels/{r.json()['id']}", headers=viewer).status_code == 403
    )
    assert (
        client.delete(f"/api/v1/alert-channels/{r.json()['id']}", headers=admin).status_code == 204
    )
    assert (
        client.delete(f"/api/v1/alert-channels/{r.json()['id']}", headers=admin).status_code == 404
    )
    assert (
        client.post("/api/v1/alert-deliveries/2147483647/replay", headers=admin).status_code == 404
    )
    with app.state.engine.connect() as conn:
        done = [e["action"] for e in audit.entries(conn, object_type="alert_channel", limit=500)]
    assert "alert_channel.create" in done and "alert_channel.delete" in done


def test_dead_letters_from_the_command_line(app, client, admin, module_db_url):
    t0 = clock_now()
    rule = make_rule(app.state.engine, "by-cli", t0)
    cli = lambda *args: CliRunner().invoke(main, ["--database-url", module_db_url, *args])  # noqa: E731
    with http_receiver() as hook, channel(client, admin, "by-cli", hook.url) as made:
        hook.statuses = [503]
        move(app.state.engine, rule, "by-cli", {"station": "K"}, State.FIRING, t0)
        assert run(app, t0 + WAIT, webhook_max_attempts=1)[1]["dead"] == 1
        listed = cli("alerts", "deliveries", "--status", "dead", "--limit", "1000")
        assert listed.exit_code == 0, listed.output
        (dead,) = [d for d in orjson.loads(listed.output)["items"] if d["channel_id"] == made["id"]]
        assert dead["last_error"] == "HTTP 503"
        replayed = cli("alerts", "replay", str(dead["id"]))
        assert replayed.output.strip() == f"delivery {dead['id']}: pending"
        sent = cli("alerts", "notify")
        assert sent.exit_code == 0 and orjson.loads(sent.output)["sent"] >= 1
        assert len(hook.wait_for(2)) == 2
        again = cli("alerts", "replay", str(dead["id"]))
        assert again.exit_code == 2 and "only a dead letter is replayed" in again.output
