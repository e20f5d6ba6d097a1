"""How many reports one client may file: a sliding window per key (a client address, an Open311
key), in memory, one per app and per purpose.

No third-party captcha: a citizen's form is open to anyone, so what keeps a script from flooding
the queue is the count of what one address sent in the last hour. In memory is enough: a process
restarts rarely, and a flood that a restart lets through is still capped per hour. ``hit`` is the
one call a route needs (the public form's POST, Open311's POST requests): it counts the attempt,
or refuses it with 429 and the seconds to wait.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Any

from ioc57.core.problems import Problem

HOUR_S = 3600.0
MAX_KEYS = 100_000  # the clients remembered at once (the oldest forgotten first)
_made = threading.Lock()  # the making of an app's windows


class Window:
    """At most ``limit`` hits per key in the last ``window_s`` seconds."""

    def __init__(
        self,
        limit: int,
        window_s: float = HOUR_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.window_s, self.clock = limit, window_s, clock
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Count one hit for ``key``: 0 when allowed, else the seconds until one is again."""
        at = self.clock()
        with self._lock:
            hits = self._hits.pop(key, None) or deque()
            while hits and hits[0] <= at - self.window_s:
                hits.popleft()
            wait = 0.0
            if len(hits) >= self.limit:
                wait = hits[0] + self.window_s - at
            else:
                hits.append(at)
            self._hits[key] = hits  # the most recent last
            while len(self._hits) > MAX_KEYS:
                self._hits.popitem(last=False)
            return wait


def window(state: Any, name: str, limit: int, window_s: float = HOUR_S) -> Window:
    """The app's window ``name`` (made on first use; ``state``: ``app.state``)."""
    with _made:
        windows: dict[str, Window] | None = getattr(state, "feedback_windows", None)
        if windows is None:
            windows = {}
            state.feedback_windows = windows
        found = windows.get(name)
        if found is None or found.limit != limit:
            found = windows[name] = Window(limit, window_s)
        return found


def hit(state: Any, name: str, key: str, limit: int, window_s: float = HOUR_S) -> None:
    """Count one attempt of ``key`` in the app's window ``name``; 429 with ``Retry-After`` when
    it has had ``limit`` in the window already."""
    wait = window(state, name, limit, window_s).take(key)
    if wait > 0:
        seconds = max(1, int(wait + 0.999))
        raise Problem(
            429,
            "Too many reports from this address; try again later.",
            headers={"Retry-After": str(seconds)},
            errors=[{"loc": ["client"], "msg": "rate limited"}],
        )
