"""Plugin hooks of the gate: domain modules add their own checks and projections per record type.

- a *check* gets a validated record (its data) and returns field errors: the row is rejected;
- a *projector* gets, inside the chunk's transaction, the records that were accepted or updated,
  and keeps the module's own tables current with them (the scorecard's reported values).

Modules register at start-up (``ioc57.modules.load``); the gate never imports them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection

from ioc57.ingest.unitcache import UnitInfo


@dataclass(frozen=True)
class Projection:
    """Who sent the records, whether their values are approved on arrival, and which of them
    replace a stored version."""

    actor: str
    approve: bool
    source_id: int
    simulated: bool
    # the gate batch the records came in (a module may mark what the batch changed, so that the
    # batch's event finds it: the alert rules evaluate only the series a batch changed)
    batch_id: int | None = None
    # the records of the chunk that replace a version stored before it: the others are new to the
    # database, so a module's table cannot hold them yet (the gate sets it for each chunk)
    replaced: frozenset[str] = frozenset()


Check = Callable[[dict[str, Any]], list[dict[str, Any]]]
Projector = Callable[[Connection, Projection, list[tuple[dict[str, Any], UnitInfo | None]]], None]

_checks: dict[str, list[Check]] = defaultdict(list)
_projectors: dict[str, list[Projector]] = defaultdict(list)


def register_check(record_type: str, check: Check) -> None:
    if check not in _checks[record_type]:
        _checks[record_type].append(check)


def register_projector(record_type: str, projector: Projector) -> None:
    if projector not in _projectors[record_type]:
        _projectors[record_type].append(projector)


def checks(record_type: str) -> list[Check]:
    return _checks.get(record_type, [])


def projectors(record_type: str) -> list[Projector]:
    return _projectors.get(record_type, [])
