"""Notification groups, as Alertmanager's: the alerts of a rule that share its ``group_by`` labels
are sent together, so that one intrusion across fifty stations is one message, not fifty.

The evaluator notes each change in its group in the same transaction as the change
(``note_changes``): a group that nothing waited in (new, or quiet: nothing alerting when it was
last looked at) gets ``next_flush_at`` = now + group wait, so that a second intrusion is gathered
as the first was; a group already waiting keeps its time (the change joins the next flush: the
notifier looks at a group that holds alerting alerts every group interval); every noted change
moves the group's ``version`` on. The notifier (``notify``) claims due groups by compare-and-set on
``version`` and sends them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

import orjson
from sqlalchemy import func, update
from sqlalchemy.engine import Connection

from ioc57.alerts import tables
from ioc57.alerts.change import Change
from ioc57.alerts.machine import ALERTING, State
from ioc57.core.db import insert_once

# the states whose arrival is worth a notification (pending is not: it may never fire)
NOTIFIED = ALERTING | {State.RESOLVED}


def group_labels(labels: Mapping[str, str], group_by: Sequence[str]) -> dict[str, str]:
    """The values of the group_by labels ("..." groups by every label: each alert alone)."""
    if "..." in group_by:
        return dict(labels)
    return {name: labels.get(name, "") for name in group_by}


def group_key(rule_id: int, labels: Mapping[str, str]) -> str:
    raw = orjson.dumps([rule_id, labels], option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(raw).hexdigest()


def note_changes(
    conn: Connection, changes: Sequence[Change], now: datetime, group_wait_s: float
) -> None:
    """Mark the groups of these changes as waiting to be sent (the ones worth a notification)."""
    for change in changes:
        if change.to_state not in NOTIFIED and change.from_state not in ALERTING:
            continue
        labels = group_labels(change.labels, change.group_by)
        key = group_key(change.rule_id, labels)
        due = now + timedelta(seconds=group_wait_s)
        conn.execute(
            insert_once(conn, tables.groups, ["key"]).values(
                key=key,
                labels=orjson.dumps(labels).decode(),
                rule_id=change.rule_id,
                next_flush_at=due,
                sent="{}",
                version=1,
            )
        )
        # every noted change moves the group's version on: a flush composed before this change
        # committed loses its compare-and-set and is composed again (``notify``); a quiet group
        # waits as a new one does (and the notifier holds it to the group interval after its
        # last notification)
        conn.execute(
            update(tables.groups)
            .where(tables.groups.c.key == key)
            .values(
                next_flush_at=func.coalesce(tables.groups.c.next_flush_at, due),
                version=tables.groups.c.version + 1,
            )
        )
