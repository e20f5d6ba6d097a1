"""The hub: hands the bus's events to the live streams (SSE) that are open in this process.

Events are published from worker threads (the gate commits in a thread pool) and from the
PostgreSQL listener's thread; each open stream waits on an ``asyncio.Queue`` in the event loop
that served its request. ``Hub.deliver`` may be called from any thread: it hands each message to
the subscriber's loop with ``call_soon_threadsafe`` and never waits for a subscriber. A subscriber
that falls behind loses its oldest messages (it is told how many), so a slow client can never hold
up ingestion.

Who sees what is decided here, once: a subscriber with a unit sees only the messages whose units
contain it (a message lists its units with their ancestors, so a province sees its communes);
a subscriber without a unit sees everything. A message about many units (a batch of records from
several communes) carries parts, one per group of units; a scoped subscriber is sent only its
parts, merged (``scoped``), never the other communes' record ids or the batch-wide counts.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import threading
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from typing import Any

from ioc57.core.events import Event

log = logging.getLogger(__name__)

QUEUE_SIZE = 1_000


@dataclass(frozen=True)
class Message:
    """An event as streams carry it: with an id unique across processes."""

    id: str
    type: str
    data: dict[str, Any] = field(default_factory=dict)
    units: tuple[int, ...] = ()
    origin: str = ""  # the hub that stamped it
    parts: tuple[tuple[tuple[int, ...], dict[str, Any]], ...] = ()
    private: tuple[str, ...] = ()


MAX_IDS = 100


def scoped(message: Message, unit_id: int) -> Message | None:
    """What a subscriber scoped to ``unit_id`` may see of ``message`` (None: nothing)."""
    if unit_id not in message.units:
        return None
    if not message.parts:
        return message
    mine = [data for units, data in message.parts if unit_id in units]
    if not mine:
        return None
    named = {key for data in mine for key in data}
    view = {k: v for k, v in message.data.items() if k not in named and k not in message.private}
    for data in mine:
        for key, value in data.items():
            if isinstance(value, list):
                view[key] = [*view.get(key, []), *value][:MAX_IDS]
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                view[key] = view.get(key, 0) + value
            else:
                view[key] = value
    return replace(message, data=view, parts=(), private=())


class Subscription:
    """One open stream: its filter, its queue and the loop that reads the queue."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        types: frozenset[str] | None,
        unit_id: int | None,
        size: int,
    ) -> None:
        self.loop = loop
        self.types = types
        self.unit_id = unit_id
        self.queue: asyncio.Queue[Message | None] = asyncio.Queue(maxsize=size)
        self.dropped = 0  # messages lost to a full queue since the reader last looked
        self.closed = False

    def view(self, message: Message) -> Message | None:
        """The message as this subscriber may see it, or None when it is not for it."""
        if self.types is not None and message.type not in self.types:
            return None
        if self.unit_id is None:
            return message
        return scoped(message, self.unit_id)

    def _put(self, message: Message | None) -> None:
        """Runs in the subscriber's loop: enqueue, dropping the oldest message when full."""
        if self.closed:
            return
        if message is None:
            self.closed = True
        while self.queue.full():
            if self.queue.get_nowait() is not None:
                self.dropped += 1
        self.queue.put_nowait(message)

    async def get(self) -> Message | None:
        """The next message, or None once the hub has closed."""
        return await self.queue.get()

    def take_dropped(self) -> int:
        dropped, self.dropped = self.dropped, 0
        return dropped


class Hub:
    def __init__(self, queue_size: int = QUEUE_SIZE) -> None:
        self.origin = uuid.uuid4().hex[:12]
        self.queue_size = queue_size
        self._seq = itertools.count(1)
        self._lock = threading.Lock()
        self._subscribers: set[Subscription] = set()

    def stamp(self, event: Event) -> Message:
        return Message(
            id=f"{self.origin}-{next(self._seq)}",
            type=event.type,
            data=event.data,
            units=tuple(sorted(set(event.units))),
            origin=self.origin,
            parts=event.parts,
            private=event.private,
        )

    def publish(self, event: Event) -> Message:
        """Stamp a local event and deliver it; return the message (to relay it elsewhere)."""
        message = self.stamp(event)
        self.deliver(message)
        return message

    def deliver(self, message: Message) -> None:
        """Hand ``message`` to every subscriber that wants it; safe from any thread."""
        with self._lock:
            subscribers = list(self._subscribers)
        for sub in subscribers:
            view = sub.view(message)
            if view is None:
                continue
            try:
                sub.loop.call_soon_threadsafe(sub._put, view)
            except RuntimeError:  # its loop has closed without unsubscribing
                self.unsubscribe(sub)

    def subscribe(
        self, types: Collection[str] | None = None, unit_id: int | None = None
    ) -> Subscription:
        """A new subscription read from the running event loop."""
        sub = Subscription(
            asyncio.get_running_loop(),
            frozenset(types) if types else None,
            unit_id,
            self.queue_size,
        )
        with self._lock:
            self._subscribers.add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            self._subscribers.discard(sub)

    @property
    def subscribers(self) -> int:
        with self._lock:
            return len(self._subscribers)

    def close(self) -> None:
        """End every open subscription (their streams finish)."""
        with self._lock:
            subscribers, self._subscribers = list(self._subscribers), set()
        for sub in subscribers:
            with contextlib.suppress(RuntimeError):  # its loop has closed already
                sub.loop.call_soon_threadsafe(sub._put, None)
