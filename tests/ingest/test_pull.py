"""Pull connectors against a real HTTP server on 127.0.0.1: conditional GETs, retries, errors kept."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from ioc57.ingest.pull import Puller, install_scheduler
from ioc57.ingest.tables import batches, sources

from ..support.http import ADMIN_PASSWORD, auth, login
from ..support.sensors import make_station

FAST = (0.01, 0.02)  # the waits between tries, so that tests do not sleep


def dossier(n: int) -> dict:
    return {
        "id": f"HS-P{n}",
        "procedure": "1.001234",
        "unit": "28261",
        "channel": "online",
        "received_at": "2025-09-01T08:00:00+07:00",
        "due_at": "2025-09-10T17:00:00+07:00",
        "status": "received",
        "updated_at": "2025-09-01T08:00:00+07:00",
    }


DOSSIERS = [dossier(n) for n in range(3)]
READINGS_CSV = (
    b"station,metric,value,uom,observed_at,updated_at\r\n"
    b"MAN-28720,salinity,4.2,ppt,2026-03-01T07:00:00+07:00,2026-03-01T07:00:00+07:00\r\n"
    b"MAN-28720,salinity,5.1,ppt,2026-03-01T08:00:00+07:00,2026-03-01T08:00:00+07:00\r\n"
)
LAST_MODIFIED = "Sun, 01 Mar 2026 01:00:00 GMT"


class Feed:
    """What the provincial system's server answers, and what it was asked."""

    def __init__(self) -> None:
        self.routes: dict[str, dict] = {}
        self.seen: list[tuple[str, dict[str, str]]] = []

    def add(self, path: str, body: bytes, content_type: str, etag: str | None = None, fail=0):
        """Serve ``body`` at ``path``; answer 500 to the first ``fail`` requests (-1: always)."""
        self.routes[path] = {"body": body, "type": content_type, "etag": etag, "fail": fail}

    def asked(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.seen if p == path]


def _handler(feed: Feed):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            feed.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            route = feed.routes.get(self.path)
            if route is None:
                self.send_response(404)
                self.end_headers()
                return
            if route["fail"]:
                route["fail"] -= 1 if route["fail"] > 0 else 0
                self.send_response(500)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if route["etag"] and self.headers.get("If-None-Match") == route["etag"]:
                self.send_response(304)
                self.send_header("ETag", route["etag"])
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", route["type"])
            self.send_header("Content-Length", str(len(route["body"])))
            self.send_header("Last-Modified", LAST_MODIFIED)
            if route["etag"]:
                self.send_header("ETag", route["etag"])
            self.end_headers()
            self.wfile.write(route["body"])

        def log_message(self, *args):  # quiet
            pass

    return Handler


@pytest.fixture
def feed() -> Iterator[tuple[Feed, str]]:
    """A provincial system's HTTP server on a free loopback port, and its base URL."""
    data = Feed()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(data))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield data, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def make_source(client, api, name, url, pull_type="dossier", fmt="json", interval=60) -> dict:
    spec = {
        "name": name,
        "types": ["dossier", "reading"],
        "units": ["82"],
        "pull_url": url,
        "pull_type": pull_type,
        "pull_format": fmt,
        "pull_interval_s": interval,
    }
    r = client.post("/api/v1/sources", json=spec, headers=auth(api.token("admin")))
    assert r.status_code == 201, r.text
    return r.json()


def source_row(engine, name):
    with engine.connect() as conn:
        return conn.execute(select(sources).where(sources.c.name == name)).one()


def pull_batches(engine, name):
    with engine.connect() as conn:
        return conn.execute(
            select(batches)
            .join(sources, sources.c.id == batches.c.source_id)
            .where(sources.c.name == name)
            .order_by(batches.c.id)
        ).all()


def test_a_feed_is_ingested_then_answered_304_for_its_etag(client, api, app, engine, feed):
    server, base = feed
    server.add("/hs.json", orjson.dumps(DOSSIERS), "application/json", etag='"v1"')
    make_source(client, api, "dvc-pull", f"{base}/hs.json")
    puller = Puller(engine, app.state.gate, delays=FAST)

    first = puller.pull("dvc-pull")
    assert first.status == "ingested" and first.answer["accepted"] == 3
    assert first.answer["rejected"] == []
    row = source_row(engine, "dvc-pull")
    assert row.pull_etag == '"v1"' and row.pull_last_modified == LAST_MODIFIED
    assert row.last_pulled_at is not None and row.last_error is None
    assert row.pull_next_at is not None
    [batch] = pull_batches(engine, "dvc-pull")
    assert (batch.via, batch.actor, batch.accepted) == ("pull", "pull:dvc-pull", 3)

    second = puller.pull("dvc-pull")
    assert second.status == "not_modified" and second.answer is None
    headers = server.asked("/hs.json")[-1]
    assert headers["if-none-match"] == '"v1"'
    assert headers["if-modified-since"] == LAST_MODIFIED
    assert "if-none-match" not in server.asked("/hs.json")[0]
    assert len(pull_batches(engine, "dvc-pull")) == 1  # nothing to do: no new batch


@pytest.mark.parametrize(
    ("fmt", "record_type", "body", "content_type", "count"),
    [
        (
            "ndjson",
            "dossier",
            b"\n".join(orjson.dumps(d) for d in DOSSIERS),
            "application/x-ndjson",
            3,
        ),
        ("csv", "reading", READINGS_CSV, "text/csv; charset=utf-8", 2),
    ],
)
def test_ndjson_and_csv_feeds_are_read_by_the_source_format(
    client, api, app, engine, feed, fmt, record_type, body, content_type, count
):
    server, base = feed
    server.add(f"/feed.{fmt}", body, content_type)
    if record_type == "reading":
        make_station(client, api, "MAN-28720")
    make_source(client, api, f"feed-{fmt}", f"{base}/feed.{fmt}", record_type, fmt)
    result = Puller(engine, app.state.gate, delays=FAST).pull(f"feed-{fmt}")
    assert result.status == "ingested", result.error
    assert (result.answer["accepted"], result.answer["rejected"]) == (count, [])
    assert pull_batches(engine, f"feed-{fmt}")[0].type == record_type


def test_a_server_error_is_retried_and_the_pull_then_succeeds(client, api, app, engine, feed):
    server, base = feed
    server.add("/flaky.json", orjson.dumps(DOSSIERS), "application/json", fail=1)
    make_source(client, api, "flaky", f"{base}/flaky.json")
    result = Puller(engine, app.state.gate, delays=FAST).pull("flaky")
    assert (result.status, result.tries) == ("ingested", 2)
    assert result.answer["accepted"] == 3
    assert len(server.asked("/flaky.json")) == 2


def test_a_source_that_keeps_failing_shows_its_last_error(client, api, app, engine, feed):
    server, base = feed
    server.add("/down.json", b"", "application/json", fail=-1)
    make_source(client, api, "down", f"{base}/down.json")
    slept: list[float] = []
    puller = Puller(engine, app.state.gate, delays=(1.0, 2.0), sleep=slept.append)

    result = puller.pull("down")
    assert result.status == "failed" and "HTTP 500" in result.error
    assert len(server.asked("/down.json")) == 3 and slept == [1.0, 2.0]  # backoff doubles
    answer = client.get("/api/v1/sources/down", headers=auth(api.token("admin"))).json()
    assert "HTTP 500" in answer["last_error"] and answer["last_error_at"]
    assert answer["last_pulled_at"] is None

    login(client, "admin", ADMIN_PASSWORD)
    page = client.get("/sources/down")
    assert page.status_code == 200 and "HTTP 500" in page.text and 'id="last-error"' in page.text
    assert "HTTP 500" in client.get("/sources").text

    # the server is back: the next pull clears the error
    server.add("/down.json", orjson.dumps(DOSSIERS), "application/json")
    assert puller.pull("down").status == "ingested"
    answer = client.get("/api/v1/sources/down", headers=auth(api.token("admin"))).json()
    assert answer["last_error"] is None and answer["last_error_at"] is None
    assert answer["last_pulled_at"]


def test_an_unreachable_server_and_an_unreadable_payload_are_errors(client, api, app, engine, feed):
    server, base = feed
    make_source(client, api, "nowhere", "http://127.0.0.1:9/none.json")
    puller = Puller(engine, app.state.gate, delays=FAST, timeout=2)
    result = puller.pull("nowhere")
    assert result.status == "failed" and "Connect" in result.error and "3 tries" in result.error
    assert "Connect" in source_row(engine, "nowhere").last_error

    server.add("/object.json", b'{"items": []}', "application/json")
    make_source(client, api, "object", f"{base}/object.json")
    result = puller.pull("object")
    assert result.status == "failed" and "JSON array" in result.error
    assert len(server.asked("/object.json")) == 1  # a bad payload is not retried
    assert source_row(engine, "object").pull_etag is None


def test_a_due_source_is_claimed_by_exactly_one_puller(client, api, app, engine, feed):
    _, base = feed
    make_source(client, api, "claimed", f"{base}/hs.json", interval=60)
    pullers = [Puller(engine, app.state.gate) for _ in range(6)]
    [(source_id, interval)] = pullers[0].due()
    assert interval == 60
    wins: list[bool] = []
    barrier = threading.Barrier(len(pullers))

    def claim(puller):
        barrier.wait()
        wins.append(puller.claim(source_id, interval))

    threads = [threading.Thread(target=claim, args=(p,)) for p in pullers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == [False] * 5 + [True]
    assert pullers[0].due() == []  # not due again for a minute
    later = datetime.now(UTC) + timedelta(seconds=61)
    assert pullers[0].due(later) == [(source_id, 60)]


def test_the_scheduler_pulls_due_sources_while_the_app_runs(engine, app, api, feed):
    server, base = feed
    server.add("/hs.json", orjson.dumps(DOSSIERS), "application/json", etag='"s1"')
    assert app.state.on_start == []  # not started unless asked
    install_scheduler(app, every=0.05, delays=FAST)
    with TestClient(app) as client:
        make_source(client, api, "scheduled", f"{base}/hs.json", interval=10)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            done = [b for b in pull_batches(engine, "scheduled") if b.finished_at]
            if done:
                break
            time.sleep(0.05)
        assert pull_batches(engine, "scheduled")[0].accepted == 3
        # due again: the scheduler sends the stored ETag and gets a 304
        with engine.begin() as conn:
            conn.execute(update(sources).values(pull_next_at=datetime.now(UTC)))
        while len(server.asked("/hs.json")) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.asked("/hs.json")[1]["if-none-match"] == '"s1"'
    assert not app.state.pull_scheduler._thread  # stopped with the app
    assert len(pull_batches(engine, "scheduled")) == 1


def test_ioc57_source_pull_pulls_once_now(client, api, db_url, feed):
    server, base = feed
    server.add("/hs.json", orjson.dumps(DOSSIERS), "application/json", etag='"c1"')
    make_source(client, api, "dvc-cli", f"{base}/hs.json", interval=3600)
    make_source(client, api, "gone", f"{base}/gone.json")

    def pull(name):
        return subprocess.run(
            [sys.executable, "-m", "ioc57", "source", "pull", name],
            env=os.environ | {"IOC57_DATABASE_URL": db_url},
            capture_output=True,
            text=True,
            timeout=120,
        )

    first = pull("dvc-cli")
    assert first.returncode == 0, first.stderr
    assert "submitted 3, accepted 3" in first.stdout and "rejected 0" in first.stdout
    second = pull("dvc-cli")
    assert second.returncode == 0 and "not modified" in second.stdout
    failed = pull("gone")  # a 404 is not retried
    assert failed.returncode == 1 and "HTTP 404" in failed.stderr
    assert len(server.asked("/gone.json")) == 1


def test_the_admin_pulls_now_from_the_source_page(client, api, engine, feed):
    server, base = feed
    server.add("/hs.json", orjson.dumps(DOSSIERS), "application/json")
    make_source(client, api, "by-hand", f"{base}/hs.json", interval=3600)
    csrf = login(client, "admin", ADMIN_PASSWORD)
    page = client.get("/sources/by-hand")
    assert 'action="/sources/by-hand/pull"' in page.text
    r = client.post("/sources/by-hand/pull", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/sources/by-hand"
    assert pull_batches(engine, "by-hand")[0].accepted == 3
    assert client.post("/sources/by-hand/pull", data={"csrf_token": "x"}).status_code == 403
    assert len(server.asked("/hs.json")) == 1


def test_a_pulled_row_out_of_bounds_is_rejected_alone(client, api, app, engine, feed):
    server, base = feed
    bad = [
        dossier(7) | {"received_at": "0001-01-01T00:00:00+07:00"},
        dossier(8) | {"due_at": "9999-12-31T23:00:00+07:00", "suspended_days": 5},
    ]
    server.add("/bounds.json", orjson.dumps([*DOSSIERS, *bad]), "application/json")
    make_source(client, api, "bounds", f"{base}/bounds.json")
    result = Puller(engine, app.state.gate, delays=FAST).pull("bounds")
    assert result.status == "ingested", result.error
    assert result.answer["accepted"] == 3
    assert [e["loc"] for r in result.answer["rejected"] for e in r["errors"]] == [
        ["received_at"],
        ["due_at"],
    ]
    assert all(b.finished_at is not None for b in pull_batches(engine, "bounds"))


def test_a_csv_feed_whose_header_names_no_field_fails_with_one_error(
    client, api, app, engine, feed
):
    server, base = feed
    server.add("/sai.csv", b"tram;chi_so;gia_tri\r\nMAN;salinity;4,2\r\n", "text/csv")
    make_source(client, api, "sai-csv", f"{base}/sai.csv", "reading", "csv")
    result = Puller(engine, app.state.gate, delays=FAST).pull("sai-csv")
    assert result.status == "failed" and "header" in result.error and "station" in result.error
    assert pull_batches(engine, "sai-csv") == []  # no batch opened for it
