"""The trace of a lot: backwards, what went into it; forwards, where it went.

An identifier leads to others through the events that name both: a transformation turns its
inputs into its outputs (instances and classes alike: a lot of raw cashew into a lot of kernels),
an aggregation puts children into a parent (cartons on a pallet) and an association ties them to
one (a sensor to a container). Backwards an output leads to the inputs and a parent to its
children; forwards the other way round.

The walk goes level by level: one query per level, over every identifier reached at the level
before, reading ``trace_event_epcs`` by its (epc, role) index, joined to itself by the event's
key and to the events by their primary key; never the events' JSON. It stops at ``MAX_DEPTH``
levels or ``MAX_NODES`` identifiers (the trace then says it is cut short).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.engine import Connection

from ioc57.core.clock import stored_utc
from ioc57.ingest.storage import parts
from ioc57.traceability.epc import canonical
from ioc57.traceability.tables import event_epcs, events

MAX_DEPTH = 20
MAX_NODES = 10_000
DIRECTIONS = ("backward", "forward")
INPUTS, OUTPUTS = ("input", "input_class"), ("output", "output_class")
CHILDREN, PARENT = ("child", "child_class"), ("parent",)
# (roles of the identifier reached, roles of those it leads to in the same event)
EDGES = {
    "backward": ((OUTPUTS, INPUTS), (PARENT, CHILDREN)),
    "forward": ((INPUTS, OUTPUTS), (CHILDREN, PARENT)),
}


@dataclass(frozen=True)
class Link:
    """``source`` leads to ``target`` through one event."""

    source: str
    target: str
    event_pk: int
    event_id: str
    type: str
    event_time: datetime
    biz_step: str | None


@dataclass
class Trace:
    """What a walk found: every identifier reached with its depth (the roots at 0), and the
    links between them, level by level."""

    direction: str
    roots: tuple[str, ...]
    depth: dict[str, int] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    truncated: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "direction": self.direction,
            "roots": list(self.roots),
            "nodes": [{"id": uri, "depth": d} for uri, d in self.depth.items()],
            "links": [
                {
                    "from": link.source,
                    "to": link.target,
                    "eventID": link.event_id,
                    "type": link.type,
                    "eventTime": link.event_time.isoformat(),
                    "bizStep": link.biz_step,
                }
                for link in self.links
            ],
            "truncated": self.truncated,
        }


def _level_query(direction: str, frontier: list[str], where: Sequence[Any]) -> Any:
    """The links out of the identifiers of ``frontier``, one level on in ``direction``."""
    a, b = event_epcs.alias("a"), event_epcs.alias("b")
    edges = EDGES[direction]
    pairs = or_(*(and_(a.c.role.in_(came), b.c.role.in_(goes)) for came, goes in edges))
    return (
        select(
            a.c.epc.label("source"),
            b.c.epc.label("target"),
            events.c.id,
            events.c.event_id,
            events.c.type,
            events.c.event_time,
            events.c.biz_step,
        )
        .select_from(
            a.join(b, b.c.event_pk == a.c.event_pk).join(events, events.c.id == a.c.event_pk)
        )
        .where(
            a.c.epc.in_(frontier),
            a.c.role.in_([role for came, _goes in edges for role in came]),
            pairs,
            *where,
        )
        .order_by(events.c.event_time, events.c.id, b.c.epc)
    )


def walk(
    conn: Connection,
    ids: str | Iterable[str],
    direction: str,
    *,
    where: Sequence[ColumnElement[bool]] = (),
    max_depth: int = MAX_DEPTH,
) -> Trace:
    """The trace of ``ids`` (URNs or Digital Links) in ``direction``, through the events that
    meet ``where`` (a reader's scope), at most ``max_depth`` levels deep."""
    if direction not in EDGES:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}")
    roots = tuple(dict.fromkeys(canonical(u) for u in ([ids] if isinstance(ids, str) else ids)))
    trace = Trace(direction, roots, dict.fromkeys(roots, 0))
    seen_links: set[tuple[str, str, int]] = set()
    frontier = list(roots)
    for depth in range(1, max_depth + 1):
        reached: list[str] = []
        for part in parts(conn, frontier):
            for r in conn.execute(_level_query(direction, part, where)):
                if (r.source, r.target, r.id) in seen_links or r.source == r.target:
                    continue
                seen_links.add((r.source, r.target, r.id))
                trace.links.append(
                    Link(
                        r.source,
                        r.target,
                        r.id,
                        r.event_id,
                        r.type,
                        stored_utc(r.event_time),
                        r.biz_step,
                    )
                )
                if r.target not in trace.depth:
                    if len(trace.depth) >= MAX_NODES:
                        trace.truncated = True
                        return trace
                    trace.depth[r.target] = depth
                    reached.append(r.target)
        if not reached:
            return trace
        frontier = reached
    trace.truncated = bool(frontier) and _goes_on(conn, direction, frontier, where)
    return trace


def _goes_on(conn: Connection, direction: str, frontier: list[str], where: Sequence[Any]) -> bool:
    """Whether the walk stopped at its depth with more to find."""
    return any(
        conn.execute(_level_query(direction, part, where).limit(1)).first() is not None
        for part in parts(conn, frontier)
    )


def backward(
    conn: Connection,
    ids: str | Iterable[str],
    *,
    where: Sequence[ColumnElement[bool]] = (),
    max_depth: int = MAX_DEPTH,
) -> Trace:
    """What went into ``ids``: through transformations to their inputs, from parents to the
    children they hold."""
    return walk(conn, ids, "backward", where=where, max_depth=max_depth)


def forward(
    conn: Connection,
    ids: str | Iterable[str],
    *,
    where: Sequence[ColumnElement[bool]] = (),
    max_depth: int = MAX_DEPTH,
) -> Trace:
    """Where ``ids`` went: through transformations to their outputs, from children into the
    parents that hold them."""
    return walk(conn, ids, "forward", where=where, max_depth=max_depth)
