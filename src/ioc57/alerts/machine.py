"""The life of one alert instance: normal → pending → firing → resolved, with ``nodata`` and
``error``, as Grafana's users know it.

``step`` is a pure function: the instance as it was, the rule's timings, the time, and what the
evaluation saw (the condition true or false, no data, or an error) give the instance as it is now.
Everything else (the tables, the compare-and-set, the notifications) is built around it; its
properties are tested over random sequences of observations.

- true: from normal, resolved, nodata or error → pending (or firing at once when ``for`` is 0);
  pending → firing once it has been true for ``for``; firing stays firing.
- false: pending → normal (it never fired); firing → resolved, unless it was true less than
  ``keep_firing_for`` ago (it keeps firing); nodata and error → normal; resolved stays resolved.
- nodata: → nodata (no sample newer than the rule's ``nodata_after``); error: → error.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum


class State(StrEnum):
    NORMAL = "normal"
    PENDING = "pending"
    FIRING = "firing"
    RESOLVED = "resolved"
    NODATA = "nodata"
    ERROR = "error"


class Seen(StrEnum):
    """What one evaluation of a series saw."""

    TRUE = "true"
    FALSE = "false"
    NODATA = "nodata"
    ERROR = "error"


# the states an operator is told about (notified, counted as "alerting")
ALERTING = frozenset({State.FIRING, State.NODATA, State.ERROR})


@dataclass(frozen=True)
class Timing:
    for_s: float = 0  # true this long (pending) before it fires
    keep_firing_for_s: float = 0  # keeps firing this long after the condition turns false


@dataclass(frozen=True)
class Instance:
    state: State = State.NORMAL
    state_since: datetime | None = None
    active_at: datetime | None = None  # the condition true since (pending, then firing)
    started_at: datetime | None = None  # firing since
    last_true_at: datetime | None = None
    resolved_at: datetime | None = None


def _to(inst: Instance, state: State, now: datetime, **changes: object) -> Instance:
    if inst.state == state:
        return replace(inst, **changes)  # type: ignore[arg-type]
    return replace(inst, state=state, state_since=now, **changes)  # type: ignore[arg-type]


def step(inst: Instance, timing: Timing, now: datetime, seen: Seen) -> Instance:
    """The instance after one evaluation at ``now`` that saw ``seen``."""
    if seen is Seen.TRUE:
        active_at = inst.active_at if inst.state in (State.PENDING, State.FIRING) else now
        assert active_at is not None
        if inst.state is State.FIRING or now - active_at >= timedelta(seconds=timing.for_s):
            started = inst.started_at if inst.state is State.FIRING else now
            return _to(
                inst,
                State.FIRING,
                now,
                active_at=active_at,
                started_at=started,
                last_true_at=now,
                resolved_at=None,
            )
        return _to(inst, State.PENDING, now, active_at=active_at, last_true_at=now)
    if seen is Seen.FALSE:
        if inst.state is State.FIRING:
            last = inst.last_true_at or now
            if now - last < timedelta(seconds=timing.keep_firing_for_s):
                return inst
            return _to(inst, State.RESOLVED, now, active_at=None, resolved_at=now)
        if inst.state in (State.PENDING, State.NODATA, State.ERROR):
            return _to(inst, State.NORMAL, now, active_at=None)
        return inst  # normal or resolved
    state = State.NODATA if seen is Seen.NODATA else State.ERROR
    return _to(inst, state, now, active_at=None)
