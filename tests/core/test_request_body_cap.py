"""A JSON body over the cap is refused with a 413 as it streams in, never read whole, on every
endpoint that takes one (the gate's push and the reported values)."""

from __future__ import annotations

import asyncio

import orjson
import pytest

MB = 1024 * 1024
CHUNKS = 150  # a 150 MB body, sent 1 MB at a time, without a declared length


def _post(app, path: str, token: str, declared: int | None = None):
    """POST a 150 MB body straight to the ASGI app; the answer, and the megabytes it read."""
    read = 0
    answer: dict = {"body": b""}

    async def receive():
        nonlocal read
        if read < CHUNKS:
            read += 1
            return {"type": "http.request", "body": b" " * MB, "more_body": read < CHUNKS}
        return {"type": "http.disconnect"}

    async def send(message):
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            answer["headers"] = dict(message["headers"])
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    path, _, query = path.partition("?")
    headers = [
        (b"host", b"testserver"),
        (b"authorization", f"Bearer {token}".encode()),
        (b"content-type", b"application/json"),
    ]
    if declared is not None:
        headers.append((b"content-length", str(declared).encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    asyncio.run(app(scope, receive, send))
    return answer, read


@pytest.mark.parametrize(
    "path", ["/api/v1/observations", "/api/v1/ingest/observation?source=lgsp-82"]
)
def test_an_oversize_body_is_refused_before_it_is_read_whole(client, api, app, path):
    r = client.post(
        "/api/v1/sources",
        json={"name": "lgsp-82", "types": ["observation"], "units": ["82"]},
        headers={"Authorization": f"Bearer {api.token('admin')}"},
    )
    assert r.status_code == 201, r.text
    token = api.token("admin")
    answer, read = _post(app, path, token)
    assert answer["status"] == 413, answer
    assert answer["headers"][b"content-type"].startswith(b"application/problem+json")
    assert "at most 10 MB" in orjson.loads(answer["body"])["detail"]
    assert read <= 12, f"{read} MB read of {CHUNKS}"
    # a declared length over the cap is refused before a byte is read
    answer, read = _post(app, path, token, declared=CHUNKS * MB)
    assert answer["status"] == 413 and read == 0
