"""The live stream read as a browser would, and actors on a real ``ioc57 serve`` process.

A stream is read over a real socket, by httpx in a thread of its own; each event lands in a queue
that the test waits on with a deadline, so no test can hang on a stream.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import orjson

from .http import auth

DVC_82 = {"name": "dvc-82", "types": ["dossier"], "units": ["82"]}
DVC_01 = {"name": "dvc-01", "types": ["dossier"], "units": ["01"]}


def dossier(n: int = 1, unit: str = "28261") -> dict:
    return {
        "id": f"HS-{n}",
        "procedure": "1.001234",
        "unit": unit,
        "channel": "online",
        "received_at": "2025-09-01T08:00:00+07:00",
        "due_at": "2025-09-10T17:00:00+07:00",
        "status": "received",
        "updated_at": "2025-09-01T08:00:00+07:00",
    }


@dataclass(frozen=True)
class Server:
    """A running ``ioc57 serve`` (started by the stream tests' ``serve`` fixture)."""

    base: str


@dataclass
class SseEvent:
    event: str = "message"
    data: str = ""
    id: str | None = None

    def json(self):
        return orjson.loads(self.data)


@dataclass
class Listener:
    """Reads ``GET /api/v1/stream`` in a thread; ``events`` fills as events arrive."""

    url: str
    headers: dict[str, str] = field(default_factory=dict)
    cookies: httpx.Cookies | None = None
    status: int | None = None
    comments: list[str] = field(default_factory=list)
    retry: int | None = None

    def __post_init__(self) -> None:
        self.events: queue.Queue[SseEvent] = queue.Queue()
        self.live = threading.Event()
        self.closed = threading.Event()
        self.error: BaseException | None = None
        self._client = httpx.Client(
            timeout=httpx.Timeout(10.0, read=40.0), headers=self.headers, cookies=self.cookies
        )
        threading.Thread(target=self._read, daemon=True).start()
        if not self.live.wait(15):
            raise AssertionError(f"the stream did not start: {self.status} {self.error!r}")

    def _read(self) -> None:
        try:
            with self._client.stream("GET", self.url) as response:
                self.status = response.status_code
                if response.status_code != 200:
                    response.read()
                    self.error = AssertionError(response.text)
                    return
                current = SseEvent()
                for line in response.iter_lines():
                    if line.startswith(":"):
                        self.comments.append(line[1:].strip())
                    elif line.startswith("retry:"):
                        self.retry = int(line[6:].strip())
                        self.live.set()  # the first line: the subscription exists
                    elif line.startswith("event:"):
                        current.event = line[6:].strip()
                    elif line.startswith("id:"):
                        current.id = line[3:].strip()
                    elif line.startswith("data:"):
                        current.data += line[5:].removeprefix(" ")
                    elif line == "" and current.data:
                        self.events.put(current)
                        current = SseEvent()
        except Exception as exc:  # the server went away at the end of the test
            self.error = exc
        finally:
            self.closed.set()
            self.live.set()

    def next(self, timeout: float = 10.0) -> SseEvent:
        try:
            return self.events.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no event within {timeout} s ({self.error!r})") from None

    def wait_for(self, predicate: Callable[[SseEvent], bool], timeout: float = 10.0) -> SseEvent:
        deadline = time.monotonic() + timeout
        while True:
            event = self.next(max(0.01, deadline - time.monotonic()))
            if predicate(event):
                return event

    def quiet(self, seconds: float) -> list[SseEvent]:
        """The events that arrive within ``seconds`` (to show that none does)."""
        time.sleep(seconds)
        out = []
        while not self.events.empty():
            out.append(self.events.get_nowait())
        return out

    def close(self) -> None:
        self._client.close()


class Actors:
    """Admin, users and data sources of one database, acting over HTTP on a running server."""

    def __init__(self, engine, base: str) -> None:
        from ioc57.accounts.service import create_token

        with engine.begin() as conn:
            self.admin = create_token(conn, actor="test", username="admin")
        self.base = base

    def post(self, path: str, body, token: str, base: str | None = None) -> dict:
        r = httpx.post(f"{base or self.base}{path}", json=body, headers=auth(token), timeout=30)
        assert r.status_code in (200, 201), r.text
        return r.json()

    def user(self, username: str, role: str, unit: str | None = None) -> str:
        body = {"username": username, "role": role, "password": "password-57"}
        if unit:
            body["unit"] = unit
        self.post("/api/v1/users", body, self.admin)
        return self.post("/api/v1/tokens", {"username": username}, self.admin)["token"]

    def source(self, spec: dict) -> str:
        return self.post("/api/v1/sources", spec, self.admin)["token"]

    def listen(self, token: str | None = None, query: str = "", base: str | None = None):
        headers = auth(token) if token else {}
        return Listener(f"{base or self.base}/api/v1/stream{query}", headers)

    def push(self, source_token: str, records: list[dict], base: str | None = None) -> dict:
        """Push dossiers as a data source; return the gate's answer."""
        return self.post("/api/v1/ingest/dossier", records, source_token, base)
