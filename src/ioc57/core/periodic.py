"""Work a running app does on its own, every so often: a daemon thread per kind of work (pulling
the due sources, sending the reminders), started and stopped with the app."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class Periodic:
    """Runs ``work`` on a daemon thread at once, then every ``every`` seconds, until ``stop``;
    ``stopping`` is set when it should stop (long work may wait on it rather than sleep). A round
    that fails is logged and the next one comes on time: the database may be away for a while."""

    def __init__(self, name: str, every: float, work: Callable[[], None]) -> None:
        self.name, self.every, self.work = name, every, work
        self.stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> None:
        try:
            self.work()
        except Exception:
            log.exception("%s: a round failed", self.name)

    def start(self, *, first_round_now: bool = True) -> None:
        """Start the thread (its first round at once, or after ``every`` seconds)."""
        if self._thread is not None and self._thread.is_alive():
            return
        self.stopping.clear()
        self._thread = threading.Thread(
            target=self._run, args=(first_round_now,), name=self.name, daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self.stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self, first_round_now: bool) -> None:
        if not first_round_now and self.stopping.wait(self.every):
            return
        while not self.stopping.is_set():
            self.run_once()
            self.stopping.wait(self.every)
