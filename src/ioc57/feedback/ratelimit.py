"""How many reports one client may file per hour: a sliding window kept in memory, per key.

A key names who is counted: a client address (``address:203.0.113.7``), an Open311 app
(``open311:tram-1022``). The public form and Open311's POST both count through it, with the limit
``IOC57_FEEDBACK_INTAKE_PER_HOUR``. In memory, per process: a restart forgets the window, and
each worker of a multi-process server counts its own share (enough against a flood from one
client, which is what it is for; no captcha, no third party).
"""

from __future__ import annotations

import math
import time
from collections import deque
from threading import Lock
from typing import Any

WINDOW_S = 3600.0
SWEEP_EVERY = 1000  # hits between sweeps of the keys whose window emptied


class RateLimit:
    """The times of each key's hits within the last hour."""

    def __init__(self, window_s: float = WINDOW_S) -> None:
        self.window_s = window_s
        self._hits: dict[str, deque[float]] = {}
        self._lock = Lock()
        self._count = 0

    def hit(self, keys: str | tuple[str, ...], limit: int, at: float | None = None) -> int | None:
        """Count a hit of each of ``keys`` (a client address, an app) if all are under ``limit``
        in the window: None when they are, else the seconds until they would be (and no hit is
        counted: a refused request costs its client nothing more)."""
        at = time.monotonic() if at is None else at
        names = (keys,) if isinstance(keys, str) else keys
        with self._lock:
            self._count += 1
            if self._count % SWEEP_EVERY == 0:
                self._sweep(at)
            windows = [self._hits.setdefault(name, deque()) for name in names]
            wait = 0
            for hits in windows:
                while hits and hits[0] <= at - self.window_s:
                    hits.popleft()
                if len(hits) >= limit:
                    wait = max(wait, math.ceil(hits[0] + self.window_s - at), 1)
            if wait:
                return wait
            for hits in windows:
                hits.append(at)
            return None

    def _sweep(self, at: float) -> None:
        for key in [
            k for k, hits in self._hits.items() if not hits or hits[-1] <= at - self.window_s
        ]:
            del self._hits[key]


def limiter(app: Any) -> RateLimit:
    """The app's rate limit (one per app: a test's app starts with an empty window)."""
    found = getattr(app.state, "feedback_ratelimit", None)
    if found is None:
        found = app.state.feedback_ratelimit = RateLimit()
    return found
