"""An open stream ends soon after its principal stops counting: a disabled user, an ended session,
a revoked token (also by the CLI, another process), a disabled source. Real ``ioc57 serve``."""

import os
import subprocess
import sys
import time

import httpx
import pytest

from ..support.backends import BACKENDS
from ..support.http import ADMIN_PASSWORD, auth
from ..support.stream import DVC_82, Actors, Listener, dossier

RECHECK_S = 1
SLACK_S = 3.0  # the reader's thread and the server's loop on a shared, busy machine


def ended_within(stream, seconds: float) -> list:
    """The events a stream sent before it closed, which it must do within ``seconds``."""
    assert stream.closed.wait(seconds), "the stream is still open"
    events = []
    while not stream.events.empty():
        events.append(stream.events.get_nowait())
    return events


def test_a_disabled_users_open_stream_ends_within_the_interval(serve, db_url, engine):
    server = serve(db_url, IOC57_STREAM_RECHECK_S=str(RECHECK_S))
    actors = Actors(engine, server.base)
    token = actors.user("lanhdao", "leader")
    stream = actors.listen(token)
    admin = auth(actors.admin)

    started = time.monotonic()
    r = httpx.patch(f"{server.base}/api/v1/users/lanhdao", json={"disabled": True}, headers=admin)
    assert r.status_code == 200
    events = ended_within(stream, RECHECK_S + SLACK_S)
    assert time.monotonic() - started <= RECHECK_S + SLACK_S
    assert [e.event for e in events] == ["stream.end"]
    assert actors.listen(token).status == 401


def test_a_session_stream_ends_at_logout_and_delivers_nothing_after_it(serve, db_url, engine):
    server = serve(db_url, IOC57_STREAM_RECHECK_S=str(RECHECK_S))
    actors = Actors(engine, server.base)
    dvc = actors.source(DVC_82)
    with httpx.Client(base_url=server.base) as browser:
        page = browser.get("/login")
        csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        form = {"username": "admin", "password": ADMIN_PASSWORD, "csrf_token": csrf}
        assert browser.post("/login", data=form).status_code == 303
        csrf = browser.get("/").text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        stream = Listener(f"{server.base}/api/v1/stream", cookies=browser.cookies)
        actors.push(dvc, [dossier(1)])
        assert stream.next().event == "ingest.batch"
        browser.post("/logout", data={"csrf_token": csrf})
    time.sleep(1.1)  # a stream delivers for at most a second after its last check
    actors.push(dvc, [dossier(2)])
    assert [e.event for e in ended_within(stream, RECHECK_S + SLACK_S)] == ["stream.end"]


def test_a_token_revoked_by_the_command_line_ends_its_stream(serve, db_url, engine):
    server = serve(db_url, IOC57_STREAM_RECHECK_S=str(RECHECK_S))
    actors = Actors(engine, server.base)
    token = actors.user("xem", "viewer")
    stream = actors.listen(token)
    admin = auth(actors.admin)
    items = httpx.get(f"{server.base}/api/v1/tokens?username=xem", headers=admin).json()["items"]
    env = os.environ | {"IOC57_DATABASE_URL": db_url}
    r = subprocess.run(
        [sys.executable, "-m", "ioc57", "token", "revoke", str(items[0]["id"])],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert [e.event for e in ended_within(stream, RECHECK_S + SLACK_S)] == ["stream.end"]


def test_a_disabled_sources_token_is_refused_on_push_and_stream_and_its_stream_ends(
    serve, db_url, engine
):
    server = serve(db_url, IOC57_STREAM_RECHECK_S=str(RECHECK_S))
    actors = Actors(engine, server.base)
    dvc = actors.source(DVC_82)
    stream = actors.listen(dvc)
    r = httpx.patch(
        f"{server.base}/api/v1/sources/dvc-82", json={"disabled": True}, headers=auth(actors.admin)
    )
    assert r.status_code == 200
    assert [e.event for e in ended_within(stream, RECHECK_S + SLACK_S)] == ["stream.end"]
    push = httpx.post(f"{server.base}/api/v1/ingest/dossier", json=[dossier(1)], headers=auth(dvc))
    assert push.status_code == 403
    assert actors.listen(dvc).status == 403


@pytest.mark.parametrize("backend", [b for b in BACKENDS if b == "postgresql"], indirect=True)
def test_a_token_revoked_on_one_process_ends_its_stream_on_another(serve, db_url, engine):
    a = serve(db_url, IOC57_STREAM_RECHECK_S=str(RECHECK_S))
    b = serve(db_url, IOC57_STREAM_RECHECK_S=str(RECHECK_S))
    actors = Actors(engine, a.base)
    token = actors.user("xem", "viewer")
    on_b = actors.listen(token, base=b.base)
    admin = auth(actors.admin)
    items = httpx.get(f"{a.base}/api/v1/tokens?username=xem", headers=admin).json()["items"]
    assert (
        httpx.delete(f"{a.base}/api/v1/tokens/{items[0]['id']}", headers=admin).status_code == 200
    )
    assert [e.event for e in ended_within(on_b, RECHECK_S + SLACK_S)] == ["stream.end"]
