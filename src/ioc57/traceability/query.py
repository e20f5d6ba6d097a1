"""EPCIS 2.0's SimpleEventQuery over the stored events: its parameters read and checked, turned
into conditions that an index answers, and the events found, page by page.

Every identifier a query names is matched in its canonical form (``epc.canonical``) against
``trace_event_epcs``, the table of what each event names, by (epc, role): the events of one EPC
are read through that index and the events' primary key, never by reading the events' JSON.
Pages are a keyset (``keyset``), so the thousandth page costs what the first does.

The functions here take a connection and return plain values, so that the API, the lot page and
the bench call the same code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, false, select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal
from ioc57.traceability.epc import canonical
from ioc57.traceability.keyset import DIRECTIONS, ORDERS, STORED, Order, Page, Position, find
from ioc57.traceability.tables import event_epcs, events
from ioc57.traceability.vocab import ACTIONS, EVENT_TYPES, bare
from ioc57.units.queries import subtree_ids, unit_by_id

DEFAULT_PER_PAGE = 30  # as ``keyset.DEFAULT_LIMIT``
MAX_PER_PAGE = 1000
MAX_VALUES = 100  # values of one parameter; a query naming more is refused

# the roles of an identifier each MATCH_ parameter looks in (EPCIS 2.0, 8.2.7.1)
MATCH_ROLES: dict[str, tuple[str, ...]] = {
    "MATCH_epc": ("epc", "child"),
    "MATCH_parentID": ("parent",),
    "MATCH_inputEPC": ("input",),
    "MATCH_outputEPC": ("output",),
    "MATCH_anyEPC": ("epc", "child", "parent", "input", "output"),
    "MATCH_epcClass": ("class", "child_class"),
    "MATCH_inputEPCClass": ("input_class",),
    "MATCH_outputEPCClass": ("output_class",),
    "MATCH_anyEPCClass": ("class", "child_class", "input_class", "output_class"),
}
TIMES = ("GE_eventTime", "LT_eventTime", "GE_recordTime", "LT_recordTime")
# parameters that take a list of values (comma-separated, or the parameter repeated)
LISTS = (
    "eventType",
    "EQ_eventID",
    "EQ_action",
    "EQ_bizStep",
    "EQ_disposition",
    "EQ_readPoint",
    "EQ_bizLocation",
    "WD_readPoint",
    "WD_bizLocation",
    *MATCH_ROLES,
)
FLAGS = ("EXISTS_errorDeclaration",)
PAGING = ("perPage", "nextPageToken")
ORDERING = ("orderBy", "orderDirection")
PARAMETERS = frozenset((*LISTS, *TIMES, *FLAGS, *PAGING, *ORDERING))
TRUE, FALSE = ("true", "1", ""), ("false", "0")
# a '+' of an offset sent unencoded reads as ' ' (``10:00:00 07:00``)
_OFFSET_SPACE = re.compile(r"(\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d:?\d\d)$")


class QueryParameterError(ValueError):
    """A parameter the query cannot take: unknown, or a value it cannot read. EPCIS names it a
    QueryParameterException."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


@dataclass(frozen=True)
class EventQuery:
    """A SimpleEventQuery's conditions (every one optional; all of them must hold)."""

    types: tuple[str, ...] = ()
    event_ids: tuple[str, ...] = ()
    times: dict[str, datetime] = field(default_factory=dict)  # by parameter name, in UTC
    actions: tuple[str, ...] = ()
    biz_steps: tuple[str, ...] = ()
    dispositions: tuple[str, ...] = ()
    read_points: tuple[str, ...] = ()
    biz_locations: tuple[str, ...] = ()
    # (roles, canonical identifiers) of each MATCH_ parameter sent
    matches: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()
    error_declared: bool | None = None


@dataclass(frozen=True)
class Parsed:
    """A query as a client sent it: its conditions, and where its page starts."""

    query: EventQuery
    per_page: int = DEFAULT_PER_PAGE
    page_token: str | None = None
    order: Order = STORED


def _time(name: str, value: str) -> datetime:
    value = _OFFSET_SPACE.sub(r"\1+\2", value.strip())
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise QueryParameterError(name, "must be a time as ISO 8601 with its offset") from None
    if parsed.tzinfo is None:
        raise QueryParameterError(name, "must have a time zone offset (Z or +07:00)")
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # the first or last day of the calendar, beyond it in UTC
        raise QueryParameterError(name, "is out of range") from None


def _values(name: str, sent: list[str]) -> tuple[str, ...]:
    found = [v.strip() for value in sent for v in value.split(",") if v.strip()]
    if not found:
        raise QueryParameterError(name, "needs at least one value")
    if len(found) > MAX_VALUES:
        raise QueryParameterError(name, f"takes at most {MAX_VALUES} values")
    if any(len(v) > 300 for v in found):
        raise QueryParameterError(name, "a value is longer than 300 characters")
    return tuple(dict.fromkeys(found))


def _one_of(name: str, values: tuple[str, ...], allowed: Sequence[str]) -> tuple[str, ...]:
    for v in values:
        if v not in allowed:
            raise QueryParameterError(name, f"{v!r} is not one of {', '.join(allowed)}")
    return values


def _places(lists: dict[str, tuple[str, ...]], name: str) -> tuple[str, ...]:
    """The locations ``EQ_`` or ``WD_`` name (canonical). ``WD_`` (with descendants) adds the
    locations under each in the master data's hierarchy; ours has none, so both are the same;
    both sent, a location must be among each."""
    eq, wd = lists.get(f"EQ_{name}"), lists.get(f"WD_{name}")
    if eq is not None and wd is not None:
        kept = set(map(canonical, wd))
        return tuple(u for u in map(canonical, eq) if u in kept) or ("",)
    return tuple(canonical(v) for v in eq or wd or ())


def parse(params: Iterable[tuple[str, str]]) -> Parsed:
    """The query that REST parameters (name, value) ask for; QueryParameterError naming the
    first parameter that is unknown or whose value cannot be read."""
    sent: dict[str, list[str]] = {}
    for name, value in params:
        if name not in PARAMETERS:
            raise QueryParameterError(name, "is not a parameter of SimpleEventQuery")
        sent.setdefault(name, []).append(value)
    for name, values in sent.items():
        if name not in LISTS and len(values) > 1:
            raise QueryParameterError(name, "may be sent once")
    one = {name: values[0] for name, values in sent.items()}
    lists = {name: _values(name, values) for name, values in sent.items() if name in LISTS}

    error_declared = None
    if "EXISTS_errorDeclaration" in one:
        flag = one["EXISTS_errorDeclaration"].strip().lower()
        if flag not in TRUE + FALSE:
            raise QueryParameterError("EXISTS_errorDeclaration", "must be true or false")
        error_declared = flag in TRUE
    query = EventQuery(
        types=_one_of("eventType", lists.get("eventType", ()), EVENT_TYPES),
        event_ids=lists.get("EQ_eventID", ()),
        times={name: _time(name, one[name]) for name in TIMES if name in one},
        actions=_one_of("EQ_action", lists.get("EQ_action", ()), ACTIONS),
        biz_steps=tuple(bare("bizStep", v) for v in lists.get("EQ_bizStep", ())),
        dispositions=tuple(bare("disposition", v) for v in lists.get("EQ_disposition", ())),
        read_points=_places(lists, "readPoint"),
        biz_locations=_places(lists, "bizLocation"),
        matches=tuple(
            (roles, tuple(dict.fromkeys(canonical(v) for v in lists[name])))
            for name, roles in MATCH_ROLES.items()
            if name in lists
        ),
        error_declared=error_declared,
    )
    per_page = DEFAULT_PER_PAGE
    if "perPage" in one:
        try:
            per_page = int(one["perPage"])
        except ValueError:
            raise QueryParameterError("perPage", "must be a whole number") from None
        if not 1 <= per_page <= MAX_PER_PAGE:
            raise QueryParameterError("perPage", f"must be between 1 and {MAX_PER_PAGE}")
    return Parsed(query, per_page, one.get("nextPageToken"), _order(one))


def _order(one: dict[str, str]) -> Order:
    by, direction = one.get("orderBy"), one.get("orderDirection")
    if by is not None and by not in ORDERS:
        raise QueryParameterError("orderBy", f"must be one of {', '.join(ORDERS)}")
    if direction is not None:
        if direction not in DIRECTIONS:
            raise QueryParameterError("orderDirection", "must be ASC or DESC")
        if by is None:
            raise QueryParameterError("orderDirection", "needs orderBy")
    # the standard's default direction is descending
    return Order(by, direction != "ASC") if by is not None else STORED


def naming(ids: Sequence[str], roles: Sequence[str] | None = None) -> Any:
    """The ids of the events that name one of ``ids`` (canonical) in one of ``roles`` (any
    role when None): a subquery the index on (epc, role) answers."""
    where = [event_epcs.c.epc.in_(list(ids))]
    if roles is not None:
        where.append(event_epcs.c.role.in_(list(roles)))
    return select(event_epcs.c.event_pk).where(*where)


def conditions(q: EventQuery) -> list[ColumnElement[bool]]:
    """The conditions on ``trace_events`` that select the events ``q`` asks for."""
    c = events.c
    where: list[ColumnElement[bool]] = []
    for column, values in (
        (c.type, q.types),
        (c.event_id, q.event_ids),
        (c.action, q.actions),
        (c.biz_step, q.biz_steps),
        (c.disposition, q.dispositions),
        (c.read_point, q.read_points),
        (c.biz_location, q.biz_locations),
    ):
        if values:
            where.append(column.in_(list(values)))
    bounds = {"eventTime": c.event_time, "recordTime": c.record_time}
    for name, at in q.times.items():
        column = bounds[name[3:]]
        where.append(column >= at if name.startswith("GE_") else column < at)
    for roles, ids in q.matches:
        where.append(c.id.in_(naming(ids, roles)))
    if q.error_declared is not None:
        where.append(c.error_declared.is_(q.error_declared))
    return where


def readable(conn: Connection, principal: Principal | None) -> list[ColumnElement[bool]]:
    """The conditions on ``trace_events`` for the events ``principal`` may read: a person with a
    unit, those of the unit's subtree (a province's: by its code, which an index holds)."""
    if principal is None or principal.unit_id is None:
        return []
    unit = unit_by_id(conn, principal.unit_id)
    if unit is None:
        return [false()]
    if unit.level == "province":
        return [events.c.province_code == unit.province_code]
    return [events.c.unit_id.in_(subtree_ids(conn, unit))]


def events_of(
    conn: Connection,
    epc: str | Iterable[str],
    *,
    roles: Sequence[str] | None = None,
    where: Sequence[ColumnElement[bool]] = (),
    order: Order = STORED,
    after: int | Position | None = None,
    limit: int = MAX_PER_PAGE,
) -> Page:
    """The events that name ``epc`` (a URN or a Digital Link, or several: the identifiers of a
    trace; in one of ``roles``, any role when None), in the order they were stored unless
    ``order`` says otherwise (``GET /epcis/epcs/{epc}/events``; a lot's journey is
    ``events_of(conn, trace.depth, order=Order("eventTime"))``)."""
    ids = [epc] if isinstance(epc, str) else list(epc)
    named = events.c.id.in_(naming([canonical(i) for i in ids], roles))
    return find(conn, [named, *where], order=order, after=after, limit=limit)
