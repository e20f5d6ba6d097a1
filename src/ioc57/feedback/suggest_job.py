"""The suggestion models retrained as operators confirm reports, while the app runs.

The gate announces each batch of ``feedback`` records (``ingest.batch``): a new report, or a step
an operator took (a forward confirms a report's category and agency). The bus handler only notes
it (it runs in the gate's thread); a worker thread waits until the batches have stopped coming for
``debounce_s`` (at most ``MAX_WAIT_S`` after the first), then, for each province: retrains its two
models when its confirmed reports changed (their categories and agencies, counted), and fills the
suggested category and agency of its received, unconfirmed reports. Training is never in a
request's path; a request reads the models trained last (``Models``). The worker trains once as it
starts, so that a restarted app has its models again.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.engine import Connection, Engine

from ioc57.core.events import Event
from ioc57.feedback.suggest import TARGETS, Models, examples, train
from ioc57.feedback.tables import reports

if TYPE_CHECKING:
    from fastapi import FastAPI

log = logging.getLogger(__name__)

DEBOUNCE_S = 5.0  # quiet time after the last batch before retraining
MAX_WAIT_S = 60.0  # longest wait after the first batch, however busy the gate
FILL_LIMIT = 5_000  # received reports given a suggestion per province and round


def fingerprint(conn: Connection, province: str) -> tuple[tuple[Any, ...], ...]:
    """What the province's models learn from, counted: (category, agency id, reports) of its
    confirmed reports. The same: no need to train again."""
    rows = conn.execute(
        select(reports.c.category, reports.c.agency_id, func.count())
        .where(reports.c.province_code == province, reports.c.confirmed.is_(True))
        .group_by(reports.c.category, reports.c.agency_id)
    )
    return tuple(sorted((r[0], r[1] or 0, r[2]) for r in rows))


def provinces(conn: Connection) -> list[str]:
    """The provinces that have reports."""
    query = select(reports.c.province_code).where(reports.c.province_code != "").distinct()
    return sorted(conn.execute(query).scalars())


def fill(engine: Engine, models: Models, province: str, again: bool) -> int:
    """Store the suggestions of the province's received, unconfirmed reports (those without one,
    or all of them when ``again``: new models); the number changed."""
    chosen = {target: models.get(province, target) for target in TARGETS}
    if not any(chosen.values()):
        return 0
    query = select(
        reports.c.id, reports.c.text, reports.c.suggested_category, reports.c.suggested_agency
    ).where(
        reports.c.province_code == province,
        reports.c.status == "received",
        reports.c.confirmed.is_(False),
    )
    if not again:
        query = query.where(reports.c.suggested_category.is_(None))
    with engine.connect() as conn:
        rows = list(conn.execute(query.order_by(reports.c.id.desc()).limit(FILL_LIMIT)))
    changed = []
    for row in rows:
        made = {}
        for target, model in chosen.items():
            found = model.suggest(row.text) if model is not None else None
            made[target] = found.label if found is not None else None
        if (made["category"], made["agency"]) != (row.suggested_category, row.suggested_agency):
            changed.append({"rid": row.id, "cat": made["category"], "ag": made["agency"]})
    if changed:
        with engine.begin() as conn:
            conn.execute(
                update(reports)
                .where(
                    reports.c.id == bindparam("rid"),
                    reports.c.status == "received",
                    reports.c.confirmed.is_(False),
                )
                .values(suggested_category=bindparam("cat"), suggested_agency=bindparam("ag")),
                changed,
            )
    return len(changed)


class Retrainer:
    """The models of a running app (``models``) and the worker that keeps them trained."""

    def __init__(self, engine: Engine, debounce_s: float = DEBOUNCE_S) -> None:
        self.engine, self.debounce_s = engine, debounce_s
        self.models = Models()
        self.rounds = 0  # rounds done (read by tests)
        self._prints: dict[str, tuple[tuple[Any, ...], ...]] = {}
        self._lock = threading.Lock()
        self._wake, self._stopping, self._idle = (
            threading.Event(),
            threading.Event(),
            threading.Event(),
        )
        self._idle.set()
        self._first: float | None = None  # when the first batch not yet read came (None: none)
        self._last = 0.0
        self._worker: threading.Thread | None = None

    def on_batch(self, event: Event) -> None:
        """``ingest.batch``: note a batch of ``feedback`` records for the next round."""
        if self._worker is None or event.data.get("record_type") != "feedback":
            return
        self._note(time.monotonic())

    def _note(self, at: float) -> None:
        with self._lock:
            self._first = at if self._first is None else self._first
            self._last = at
            self._idle.clear()
        self._wake.set()

    def start(self) -> None:
        if self._worker is not None:
            return
        self._stopping.clear()
        self._note(time.monotonic() - self.debounce_s)  # the first round at once
        self._worker = threading.Thread(target=self._run, name="feedback-suggest", daemon=True)
        self._worker.start()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        if self._worker is not None:
            self._worker.join(10)
            self._worker = None

    def drain(self, timeout: float = 30.0) -> bool:
        """Wait until the batches noted are read (for tests)."""
        return self._idle.wait(timeout)

    def _due_in(self) -> float | None:
        """Seconds until the next round is due (None: nothing noted)."""
        with self._lock:
            if self._first is None:
                return None
            due = min(self._last + self.debounce_s, self._first + MAX_WAIT_S)
            left = due - time.monotonic()
            if left <= 0:
                self._first = None
            return left

    def _run(self) -> None:
        while not self._stopping.is_set():
            left = self._due_in()
            if left is None or left > 0:
                self._wake.clear()
                self._wake.wait(1.0 if left is None else left)
                continue
            try:
                self.refresh()
            except Exception:
                log.exception("feedback: training the suggestion failed")
            with self._lock:
                if self._first is None:
                    self._idle.set()

    def refresh(self) -> dict[str, dict[str, Any]]:
        """One round: each province's models retrained if its confirmed reports changed, and its
        received reports given their suggestions. What was done, by province."""
        done: dict[str, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            found = {p: fingerprint(conn, p) for p in provinces(conn)}
        for province, prints in found.items():
            again = prints != self._prints.get(province)
            if again:
                with self.engine.connect() as conn:
                    learnt = examples(conn, province)
                for target in TARGETS:
                    self.models.put(province, target, train(target, learnt))
                self._prints[province] = prints
            filled = fill(self.engine, self.models, province, again)
            done[province] = {"trained": again, "filled": filled}
            if again:
                log.info("feedback: suggestion of %s trained, %d reports filled", province, filled)
        self.rounds += 1
        return done


def install(app: FastAPI) -> None:
    """The app's models and their worker (``app.state.feedback_suggest``): on the bus at once, the
    worker running with the app's background work (``ioc57 serve``)."""
    retrainer = Retrainer(app.state.engine)
    app.state.feedback_suggest = retrainer
    app.state.bus.subscribe("ingest.batch", retrainer.on_batch)
    app.state.background.append((retrainer.start, retrainer.stop))
