"""Events across processes on PostgreSQL: NOTIFY on publish, LISTEN in every process.

Several ``ioc57 serve`` processes behind one load balancer share one database; a record pushed
to one of them must show on the live streams of all. Each process sends its hub's messages with
``NOTIFY ioc57_events`` and runs a listener thread on a dedicated connection that feeds the other
processes' messages to its own hub. A process's own messages reach its hub directly, without the
round trip, and are recognised on the way back by their origin and skipped, so none arrives twice.

The relay feeds only the hub (the live streams), never the local event bus: a bus subscriber such
as the alert rules sees each event once, in the process that committed it.

A notification carries at most 8,000 bytes. The unit ids travel sorted, as differences; a message
that does not fit is sent compressed, then with fewer record ids (``ids_truncated``), then without
its parts (the per-unit views, ``core.stream.scoped``) and without units, so that only subscribers
without a unit see it on the other processes: scope fails closed. One that still does not fit stays
local (and is logged). Unit ids are never cut: they decide who sees it.

The listener reconnects with backoff when the connection drops; what was announced while it was
down is not replayed (the stream is live, not a log).
"""

from __future__ import annotations

import base64
import itertools
import logging
import threading
import zlib
from typing import Any

import orjson
import psycopg
from sqlalchemy import text
from sqlalchemy.engine import Engine

from ioc57.core.stream import Hub, Message

log = logging.getLogger(__name__)

CHANNEL = "ioc57_events"
MAX_PAYLOAD = 7_999  # PostgreSQL refuses 8,000 bytes and more
CHECK_S = 10.0  # an idle listener checks its connection this often
BACKOFF_S = (0.5, 30.0)  # first and longest wait before reconnecting


def _fits(body: dict[str, Any], limit: int) -> str | None:
    raw = orjson.dumps(body, default=str)
    if len(raw) <= limit:
        return raw.decode()
    packed = "z:" + base64.b85encode(zlib.compress(raw, 9)).decode("ascii")
    return packed if len(packed) <= limit else None


def _units(units: Any) -> list[int]:
    """Sorted unit ids as differences: the ids of a province's communes are close together."""
    return [b - a for a, b in itertools.pairwise((0, *sorted(units)))]


def _trimmed(data: dict[str, Any], keep: int) -> dict[str, Any]:
    ids = data.get("ids")
    if not isinstance(ids, list) or len(ids) <= keep:
        return data
    return {**data, "ids": ids[:keep], "ids_truncated": True}


def encode(message: Message, limit: int = MAX_PAYLOAD) -> str | None:
    """The notification payload for ``message``, or None when it cannot be made to fit."""
    body: dict[str, Any] = {
        "o": message.origin,
        "i": message.id,
        "t": message.type,
        "u": _units(message.units),
        "d": message.data,
    }
    if message.parts:
        body["p"] = [[_units(units), data] for units, data in message.parts]
        body["x"] = list(message.private)
    payload = _fits(body, limit)
    keep = max(
        [len(message.data.get("ids") or [])]
        + [len(data.get("ids") or []) for _, data in message.parts]
    )
    while payload is None and keep > 0:
        keep //= 2
        body["d"] = _trimmed(message.data, keep)
        if message.parts:
            body["p"] = [[_units(units), _trimmed(data, keep)] for units, data in message.parts]
        payload = _fits(body, limit)
    if payload is None and message.parts:  # for unscoped subscribers only: scope fails closed
        body = {**body, "u": [], "d": _trimmed(message.data, 0)}
        body.pop("p"), body.pop("x")
        payload = _fits(body, limit)
    return payload


def decode(payload: str) -> Message:
    raw = zlib.decompress(base64.b85decode(payload[2:])) if payload.startswith("z:") else payload
    body = orjson.loads(raw)
    parts = tuple((tuple(itertools.accumulate(units)), data) for units, data in body.get("p", ()))
    return Message(
        id=body["i"],
        type=body["t"],
        data=body["d"],
        units=tuple(itertools.accumulate(body["u"])),
        origin=body["o"],
        parts=parts,
        private=tuple(body.get("x", ())),
    )


class Relay:
    def __init__(self, engine: Engine, hub: Hub, channel: str = CHANNEL) -> None:
        self.engine = engine
        self.hub = hub
        self.channel = channel
        self.wake_channel = f"{channel}_wake_{hub.origin}"  # only this relay listens there
        self.connected = False
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None

    # -- sending -----------------------------------------------------------------------------------

    def send(self, message: Message) -> None:
        """NOTIFY the other processes of ``message``; never raises."""
        payload = encode(message)
        if payload is None:
            log.warning("event %s (%s) is too large to relay; kept local", message.id, message.type)
            return
        self._notify(self.channel, payload)

    def _notify(self, channel: str, payload: str) -> None:
        try:
            with self.engine.begin() as conn:
                conn.execute(text("SELECT pg_notify(:c, :p)"), {"c": channel, "p": payload})
        except Exception:
            log.exception("could not NOTIFY %s", channel)

    # -- listening ---------------------------------------------------------------------------------

    def start(self, wait: float = 5.0) -> None:
        """Start the listener and wait (at most ``wait`` seconds) until it listens."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._ready.clear()
        self._thread = threading.Thread(target=self._run, name="ioc57-relay", daemon=True)
        self._thread.start()
        if not self._ready.wait(wait):
            log.warning("the event listener is not connected yet; it keeps trying")

    def stop(self, wait: float = 5.0) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        if self.connected:
            self._notify(self.wake_channel, "")
        thread.join(wait)

    def _connect(self) -> psycopg.Connection:
        cargs, cparams = self.engine.dialect.create_connect_args(self.engine.url)
        cparams = {"connect_timeout": 5, "application_name": "ioc57-relay", **cparams}
        cparams["autocommit"] = True
        cparams.pop("context", None)
        return psycopg.connect(*cargs, **cparams)

    def _run(self) -> None:
        backoff = BACKOFF_S[0]
        while not self._stop.is_set():
            try:
                with self._connect() as conn:
                    conn.execute(f'LISTEN "{self.channel}"')
                    conn.execute(f'LISTEN "{self.wake_channel}"')
                    self.connected = True
                    self._ready.set()
                    backoff = BACKOFF_S[0]
                    self._listen(conn)
            except Exception as exc:
                log.warning("event listener lost its connection (%s); retrying", exc)
            finally:
                self.connected = False
            if self._stop.wait(backoff):
                break
            backoff = min(backoff * 2, BACKOFF_S[1])

    def _listen(self, conn: psycopg.Connection) -> None:
        while not self._stop.is_set():
            for note in conn.notifies(timeout=CHECK_S):
                if self._stop.is_set():
                    return
                if note.channel == self.channel:
                    self._receive(note.payload)
            conn.execute("SELECT 1")  # a dead connection shows here, not in a quiet wait

    def _receive(self, payload: str) -> None:
        try:
            message = decode(payload)
        except Exception:
            log.exception("unreadable event notification")
            return
        if message.origin != self.hub.origin:
            self.hub.deliver(message)
