"""One evaluation of one rule: read its figure's samples, see each series' condition, move each
series' alert instance by the state machine (``machine.step``), and record what changed.

Called by the evaluator on a gate batch (``batch``: only the series that batch changed) and by its
scheduler (``batch`` None: every series, which is how "no data" and a series that is gone move).
Two server processes may evaluate the same rule at once: each instance is written by
compare-and-set on its ``version``, so a state change is made (and noted for notification) once;
the loser reads the row again and steps from there (usually nothing is left to change).

A series whose condition is false and that has no instance yet gets none: healthy series cost no
rows. Labels are the series' labels, then the rule's, then ``alertname`` and ``severity``; the
fingerprint is the hash of the sorted labels, so the same series is always the same instance.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from ioc57.alerts import groups, tables
from ioc57.alerts.change import Change
from ioc57.alerts.machine import ALERTING, Instance, Seen, State, Timing, step
from ioc57.alerts.rules import StoredRule, compare
from ioc57.core import figures
from ioc57.core.clock import stored_utc
from ioc57.core.db import insert_once
from ioc57.core.figures import Sample
from ioc57.units.queries import subtree_ids, unit_by_id

log = logging.getLogger(__name__)
INST = tables.instances.c
CHUNK = 500  # fingerprints per IN (...) query
TROUBLE = ALERTING | {State.PENDING}  # an episode: from the first sign to its end


@dataclass(frozen=True)
class Observation:
    """What one evaluation saw of one series."""

    seen: Seen
    value: float | None
    limit: float | None
    at: datetime | None
    reason: str


def fingerprint(labels: Mapping[str, str]) -> str:
    return hashlib.sha256(orjson.dumps(dict(labels), option=orjson.OPT_SORT_KEYS)).hexdigest()


def series_labels(rule: StoredRule, sample: Sample) -> dict[str, str]:
    """The labels of the instance of ``sample``'s series (the rule's win over the series')."""
    return {
        **{k: str(v) for k, v in sample.labels.items()},
        **rule.labels,
        "alertname": rule.name,
        "severity": rule.severity,
    }


def observe(rule: StoredRule, sample: Sample, now: datetime) -> Observation | None:
    """What the rule sees of one sample; None when there is nothing to judge (no limit)."""
    at = stored_utc(sample.at) if sample.at is not None else None
    stale = (
        rule.nodata_after_s is not None
        and at is not None
        and now - at > timedelta(seconds=rule.nodata_after_s)
    )
    if rule.kind == "nodata":
        seen = Seen.TRUE if stale else Seen.FALSE
        said = f"no data since {at.isoformat()}" if stale and at else "data"
        return Observation(seen, sample.value, None, at, said)
    if stale or (sample.value is None and rule.nodata_after_s is not None):
        return Observation(Seen.NODATA, sample.value, None, at, "no recent data")
    limit = rule.threshold if rule.threshold is not None else sample.threshold
    if limit is None or sample.value is None:
        return None
    true = compare(sample.value, rule.op, limit)
    said = (
        f"{sample.value:g} {rule.op} {limit:g}"
        if true
        else f"not {sample.value:g} {rule.op} {limit:g}"
    )
    return Observation(Seen.TRUE if true else Seen.FALSE, sample.value, limit, at, said)


def rule_scope(conn: Connection, unit_ids: tuple[int, ...]) -> frozenset[int] | None:
    """The units whose series the rule watches (None: everywhere)."""
    if not unit_ids:
        return None
    ids: set[int] = set()
    for unit_id in unit_ids:
        row = unit_by_id(conn, unit_id)
        if row is not None:
            ids.update(subtree_ids(conn, row, predecessors=True))
    return frozenset(ids)


def instance_of(row: Any) -> Instance:
    def t(value: datetime | None) -> datetime | None:
        return stored_utc(value) if value is not None else None

    return Instance(
        state=State(row.state),
        state_since=t(row.state_since),
        active_at=t(row.active_at),
        started_at=t(row.started_at),
        last_true_at=t(row.last_true_at),
        resolved_at=t(row.resolved_at),
    )


def _existing(conn: Connection, rule_id: int, fps: list[str] | None) -> dict[str, Any]:
    query = select(tables.instances).where(INST.rule_id == rule_id)
    if fps is None:
        return {r.fingerprint: r for r in conn.execute(query)}
    found: dict[str, Any] = {}
    for start in range(0, len(fps), CHUNK):
        part = fps[start : start + CHUNK]
        found.update(
            (r.fingerprint, r) for r in conn.execute(query.where(INST.fingerprint.in_(part)))
        )
    return found


def _create(
    conn: Connection,
    rule: StoredRule,
    fp: str,
    labels: dict[str, str],
    sample: Sample,
    now: datetime,
) -> Any:
    """The instance of a series seen for the first time (another process may have made it)."""
    conn.execute(
        insert_once(conn, tables.instances, ["rule_id", "fingerprint"]).values(
            rule_id=rule.id,
            fingerprint=fp,
            labels=orjson.dumps(labels, option=orjson.OPT_SORT_KEYS).decode(),
            unit_id=sample.unit_id,
            state=State.NORMAL.value,
            state_since=now,
            evaluated_at=now,
            version=1,
        )
    )
    return conn.execute(
        select(tables.instances).where(INST.rule_id == rule.id, INST.fingerprint == fp)
    ).one()


def _apply(
    conn: Connection, rule: StoredRule, row: Any, obs: Observation, now: datetime
) -> Change | None:
    """Step one instance by compare-and-set; the change when its state moved."""
    timing = Timing(rule.for_s, rule.keep_firing_for_s)
    for _attempt in range(2):
        old = instance_of(row)
        new = step(old, timing, now, obs.seen)
        keep = obs.seen is Seen.ERROR or obs.reason == "series gone"
        value = row.value if keep else obs.value
        limit = row.threshold if keep else obs.limit
        at = row.observed_at if keep else obs.at
        same_figures = (
            value == row.value
            and limit == row.threshold
            and (at is None) == (row.observed_at is None)
            and (at is None or stored_utc(at) == stored_utc(row.observed_at))
        )
        if new == old and same_figures:
            return None
        values: dict[str, Any] = {
            "state": new.state.value,
            "state_since": new.state_since or now,
            "active_at": new.active_at,
            "started_at": new.started_at,
            "last_true_at": new.last_true_at,
            "resolved_at": new.resolved_at,
            "value": value,
            "threshold": limit,
            "observed_at": at,
            "evaluated_at": now,
            "version": row.version + 1,
        }
        if new.state in TROUBLE and old.state not in TROUBLE:
            # a new episode: the last one's acknowledgement does not carry over
            values.update(acknowledged_by=None, acknowledged_at=None, ack_note=None)
        done = conn.execute(
            update(tables.instances)
            .where(INST.id == row.id, INST.version == row.version)
            .values(**values)
        )
        if done.rowcount == 1:
            break
        row = conn.execute(select(tables.instances).where(INST.id == row.id)).first()
        if row is None:  # deleted with its rule meanwhile
            return None
    else:
        return None  # lost twice: the other process has made this evaluation
    if new.state == old.state:
        return None
    conn.execute(
        insert(tables.transitions).values(
            alert_id=row.id,
            from_state=old.state.value,
            to_state=new.state.value,
            at=now,
            value=value,
            reason=obs.reason[:200],
        )
    )
    return Change(
        alert_id=row.id,
        rule_id=rule.id,
        rule=rule.name,
        severity=rule.severity,
        labels=orjson.loads(row.labels),
        group_by=rule.group_by,
        unit_id=row.unit_id,
        from_state=old.state,
        to_state=new.state,
        at=now,
        value=value,
        reason=obs.reason[:200],
    )


def _gone(reason: str, seen: Seen = Seen.FALSE) -> Observation:
    return Observation(seen, None, None, None, reason)


def evaluate_rule(
    conn: Connection,
    rule: StoredRule,
    now: datetime,
    batch: int | None = None,
    *,
    group_wait_s: float = 30.0,
    scope: frozenset[int] | None | bool = True,
    samples: list[Sample] | Exception | None = None,
) -> list[Change]:
    """Evaluate ``rule`` at ``now`` in the caller's transaction; the state changes it made (also
    written as transitions and noted in their notification groups). ``scope``: the rule's units'
    subtrees when the caller has them (``rule_scope``), True to read them here. ``samples``: the
    figure's samples (or how reading them failed) when the caller has read them for several
    rules on one figure; None to read them here."""
    try:
        if isinstance(samples, Exception):
            raise samples
        if samples is not None:
            got = samples
        else:
            with conn.begin_nested():  # a figure's failed query must not abort the transaction
                got = figures.samples(conn, rule.figure, rule.params, batch)
    except Exception as exc:
        log.warning("alerts: the figure %s of rule %s failed: %r", rule.figure, rule.name, exc)
        said = f"the figure failed: {type(exc).__name__}: {exc}"
        failed = [
            c
            for row in _existing(conn, rule.id, None).values()
            if (c := _apply(conn, rule, row, _gone(said, Seen.ERROR), now)) is not None
        ]
        groups.note_changes(conn, failed, now, group_wait_s)
        return failed
    allowed = rule_scope(conn, rule.unit_ids) if scope is True else scope
    seen: dict[str, tuple[dict[str, str], Sample, Observation]] = {}
    for sample in got:
        if allowed is not None and sample.unit_id not in allowed:  # type: ignore[operator]
            continue
        obs = observe(rule, sample, now)
        if obs is None:
            continue
        labels = series_labels(rule, sample)
        seen[fingerprint(labels)] = (labels, sample, obs)  # the same series: one instance
    existing = _existing(conn, rule.id, None if batch is None else sorted(seen))
    changes: list[Change] = []
    for fp, (labels, sample, obs) in seen.items():
        row = existing.get(fp)
        if row is None:
            if obs.seen is Seen.FALSE:
                continue
            row = _create(conn, rule, fp, labels, sample, now)
        if (change := _apply(conn, rule, row, obs, now)) is not None:
            changes.append(change)
    if batch is None:  # a series the figure no longer gives (or now out of scope) ends
        quiet = (State.NORMAL.value, State.RESOLVED.value)
        for fp, row in existing.items():
            if fp in seen or row.state in quiet:
                continue
            if (change := _apply(conn, rule, row, _gone("series gone"), now)) is not None:
                changes.append(change)
    groups.note_changes(conn, changes, now, group_wait_s)
    return changes
