"""The evaluator of a running app: rules are evaluated when the data they watch arrives (a gate
batch of a record type their figure names: ``ingest.batch`` on the bus), and every
``IOC57_ALERTS_EVAL_S`` seconds by a scheduler (the time-based rules: no data, overdue; and a
backstop for the event-driven ones).

The bus handler only queues the batch (it runs in the gate's thread, which must not wait on the
rules): one worker thread takes what has queued, coalesced by record type (many batches queued at
once are evaluated as one full round), and evaluates each rule in its own transaction. After each
commit the changes are published as ``alerts.changed`` with the unit and its ancestors, so that a
stream scoped to a unit sees its own alerts. Two processes on one database may both evaluate: the
compare-and-set of ``evaluate`` makes each change once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy.engine import Connection, Engine

from ioc57.alerts.change import Change
from ioc57.alerts.evaluate import evaluate_rule, rule_scope
from ioc57.alerts.rules import StoredRule
from ioc57.alerts.rulestore import active_rules
from ioc57.core import figures
from ioc57.core.clock import now as clock_now
from ioc57.core.events import Event, EventBus
from ioc57.core.figures import Sample
from ioc57.core.periodic import Periodic

log = logging.getLogger(__name__)

COALESCE = 8  # more batches of one type queued than this: one full round instead
SCOPE_TTL_S = 300.0  # how long a rule's units' subtrees are kept


class Evaluator:
    def __init__(
        self,
        engine: Engine,
        bus: EventBus,
        *,
        every_s: float,
        group_wait_s: float,
        chain: Callable[[int], tuple[int, ...]] | None = None,
        clock: Callable[[], datetime] = clock_now,
    ) -> None:
        self.engine, self.bus = engine, bus
        self.group_wait_s = group_wait_s
        self.chain = chain or (lambda unit_id: (unit_id,))
        self.clock = clock
        self.scheduler = Periodic("alerts-evaluator", every_s, self._scheduled)
        self._queued: dict[str, set[int]] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._worker: threading.Thread | None = None
        self._scopes: dict[tuple[int, int], tuple[float, frozenset[int] | None]] = {}

    # -- the bus ------------------------------------------------------------------------------

    def on_batch(self, event: Event) -> None:
        """``ingest.batch``: queue the batch for the rules on figures of its record type."""
        if self._worker is None:
            return  # not running (an app made for a script): the scheduler is not either
        rtype, batch = event.data.get("record_type"), event.data.get("batch")
        if not isinstance(rtype, str) or not isinstance(batch, int):
            return
        if not any(rtype in f.record_types for f in figures.figures()):
            return
        with self._lock:
            self._queued.setdefault(rtype, set()).add(batch)
            self._idle.clear()
        self._wake.set()

    # -- running ------------------------------------------------------------------------------

    def start(self, *, scheduler: bool = True) -> None:
        if self._worker is not None:
            return
        self._stopping.clear()
        self._worker = threading.Thread(target=self._run, name="alerts-events", daemon=True)
        self._worker.start()
        if scheduler:
            self.scheduler.start()

    def stop(self) -> None:
        self.scheduler.stop()
        self._stopping.set()
        self._wake.set()
        if self._worker is not None:
            self._worker.join(10)
            self._worker = None

    def drain(self, timeout: float = 10.0) -> bool:
        """Wait until the queued batches are evaluated (for tests and the demo)."""
        return self._idle.wait(timeout)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(1.0)
            self._wake.clear()
            with self._lock:
                queued, self._queued = self._queued, {}
            if queued:
                try:
                    self.evaluate_batches(queued)
                except Exception:
                    log.exception("alerts: evaluating the queued batches failed")
            with self._lock:
                if not self._queued:
                    self._idle.set()

    # -- evaluating ---------------------------------------------------------------------------

    def evaluate_batches(self, queued: dict[str, set[int]]) -> list[Change]:
        """Evaluate the rules whose figure names each record type, for those batches."""
        rules = self._rules()
        changes: list[Change] = []
        for rtype, batches in queued.items():
            names = {f.name for f in figures.figures() if rtype in f.record_types}
            watching = [r for r in rules if r.figure in names]
            rounds: Iterable[int | None] = sorted(batches) if len(batches) <= COALESCE else [None]
            for batch in rounds:
                changes += self.evaluate_rules(watching, batch)
        return changes

    def _scheduled(self) -> None:
        self.evaluate_all()

    def evaluate_all(self) -> list[Change]:
        """One scheduled round: every active rule, every series."""
        return self.evaluate_rules(self._rules(), None)

    def evaluate_rules(self, rules: Iterable[StoredRule], batch: int | None) -> list[Change]:
        """Each rule in its own transaction; the samples of one figure and parameters read once
        for all the rules on them (two hundred rules on the stations read them once)."""
        read: dict[tuple[str, bytes], list[Sample] | Exception] = {}
        changes: list[Change] = []
        for rule in rules:
            key = (rule.figure, orjson.dumps(dict(rule.params), option=orjson.OPT_SORT_KEYS))
            if key not in read:
                read[key] = self._samples(rule, batch)
            changes += self.evaluate(rule, batch, read[key])
        return changes

    def _samples(self, rule: StoredRule, batch: int | None) -> list[Sample] | Exception:
        try:
            with self.engine.connect() as conn:
                return figures.samples(conn, rule.figure, rule.params, batch)
        except Exception as exc:  # each rule on the figure goes to error
            return exc

    def evaluate(
        self,
        rule: StoredRule,
        batch: int | None,
        samples: list[Sample] | Exception | None = None,
    ) -> list[Change]:
        """One rule in its own transaction; its changes published after the commit. Two threads
        (the worker, the scheduler) or two processes may evaluate one rule at once: the
        compare-and-set of ``evaluate_rule`` makes each change once. On a batch, a rule whose
        scope holds none of the batch's series has nothing to change: no transaction is opened
        (a rule per commune, and a batch of ten stations, is most rules)."""
        if batch is not None and isinstance(samples, list):
            scope = self._scope(None, rule)
            if scope is not None and not any(s.unit_id in scope for s in samples):
                return []
        try:
            with self.engine.begin() as conn:
                changes = evaluate_rule(
                    conn,
                    rule,
                    self.clock(),
                    batch,
                    group_wait_s=self.group_wait_s,
                    scope=self._scope(conn, rule),
                    samples=samples,
                )
        except Exception:
            log.exception("alerts: evaluating rule %s failed", rule.name)
            return []
        self.publish(changes)
        return changes

    def publish(self, changes: Iterable[Change]) -> None:
        for change in changes:
            self.announce(change.event_data(), change.unit_id)

    def announce(self, data: dict[str, Any], unit_id: int | None) -> None:
        """Publish ``alerts.changed`` to the unit and its ancestors (a scoped stream sees its
        own; an alert of no unit, only the unscoped streams)."""
        units = self.chain(unit_id) if unit_id is not None else ()
        self.bus.publish(Event("alerts.changed", data, units=units))

    def _rules(self) -> list[StoredRule]:
        with self.engine.connect() as conn:
            return active_rules(conn)

    def _scope(self, conn: Connection | None, rule: StoredRule) -> frozenset[int] | None:
        """The rule's units' subtrees, kept a while (read on ``conn``, or a connection of its
        own, when not kept)."""
        key = (rule.id, rule.version)
        kept = self._scopes.get(key)
        if kept is not None and time.monotonic() - kept[0] < SCOPE_TTL_S:
            return kept[1]
        if conn is None:
            with self.engine.connect() as own:
                scope = rule_scope(own, rule.unit_ids)
        else:
            scope = rule_scope(conn, rule.unit_ids)
        self._scopes[key] = (time.monotonic(), scope)
        return scope


def install(app) -> None:  # type: ignore[no-untyped-def]
    """The app's evaluator (``app.state.alerts_evaluator``): on the bus at once, its worker and
    scheduler running with the app's background work (``ioc57 serve``)."""
    settings, cache = app.state.settings, app.state.gate.cache

    def chain(unit_id: int) -> tuple[int, ...]:
        info = cache.by_id(unit_id)
        return info.chain if info is not None else (unit_id,)

    evaluator = Evaluator(
        app.state.engine,
        app.state.bus,
        every_s=settings.alerts_eval_s,
        group_wait_s=settings.alerts_group_wait_s,
        chain=chain,
    )
    app.state.alerts_evaluator = evaluator
    app.state.bus.subscribe("ingest.batch", evaluator.on_batch)
    app.state.background.append((evaluator.start, evaluator.stop))
