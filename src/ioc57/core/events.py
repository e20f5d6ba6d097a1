"""The in-process event bus: modules publish facts, others subscribe, nobody imports anybody."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    type: str
    data: dict[str, Any] = field(default_factory=dict)
    # ids of the units the event concerns (with their ancestors): who may see it is decided on these
    units: tuple[int, ...] = ()
    # What a subscriber scoped to one unit sees of an event about many (``core.stream.scoped``):
    # each part is (its units, its data); the parts whose units hold the subscriber's unit replace
    # the data's keys they name, and the ``private`` keys are withheld. Without parts, a scoped
    # subscriber sees the whole data of an event whose units hold its unit.
    parts: tuple[tuple[tuple[int, ...], dict[str, Any]], ...] = ()
    private: tuple[str, ...] = ()


Handler = Callable[[Event], None]


class EventBus:
    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = defaultdict(list)

    def subscribe(self, event_type: str, handler: Handler) -> None:
        """Call ``handler`` for every event of ``event_type`` (``*`` for all)."""
        self._handlers[event_type].append(handler)

    def publish(self, event: Event) -> None:
        for handler in [*self._handlers[event.type], *self._handlers["*"]]:
            try:
                handler(event)
            except Exception:  # a subscriber's fault must not undo the publisher's commit
                log.exception("event handler failed for %s", event.type)
