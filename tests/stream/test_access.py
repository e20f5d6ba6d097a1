"""Who may open the stream: logged-in users and token holders; nobody else."""

import httpx

from ..support.http import login
from ..support.stream import DVC_82, Actors, Listener, dossier


def test_anonymous_and_bad_tokens_get_401(client):
    for headers in ({}, {"Authorization": "Bearer ioc57_not-a-token"}):
        r = client.get("/api/v1/stream", headers=headers)
        assert r.status_code == 401
        assert r.headers["content-type"].startswith("application/problem+json")


def test_unknown_type_names_are_422(client, api):
    r = client.get(
        "/api/v1/stream?types=ingest.batch,DROP TABLE",
        headers={"Authorization": f"Bearer {api.token('admin')}"},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["query", "types"]


def test_a_logged_in_browser_reads_the_stream_with_its_session_cookie(serve, db_url, engine):
    server = serve(db_url)
    actors = Actors(engine, server.base)
    dvc = actors.source(DVC_82)
    actors.user("lanhdao", "leader")
    with httpx.Client(base_url=server.base, timeout=10) as browser:
        login(browser, "lanhdao", "password-57")
        stream = Listener(f"{server.base}/api/v1/stream", cookies=browser.cookies)

    answer = actors.push(dvc, [dossier(1)])

    assert stream.next().json()["batch"] == answer["batch"]
    assert stream.retry == 3000


def test_a_stream_opens_with_retry_and_headers_for_proxies(serve, db_url, engine):
    server = serve(db_url)
    actors = Actors(engine, server.base)
    with (
        httpx.Client(timeout=httpx.Timeout(10, read=10)) as c,
        c.stream(
            "GET",
            f"{server.base}/api/v1/stream",
            headers={"Authorization": f"Bearer {actors.admin}"},
        ) as r,
    ):
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        assert r.headers["cache-control"] == "no-store"
        assert r.headers["x-accel-buffering"] == "no"
        first = next(r.iter_lines())
        assert first.startswith(":")
