"""What the import page offers a person: the data sources they may import for, each with the
record types it sends that the person may write, and a source and a type that go together
preselected (a real source before a simulated one); each type's columns.

A source is offered when it is enabled, in the person's scope (``sourcescope``) and sends a type
the person may write (``RecordType.write_action``): another would only be refused on submit.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.ingest.columns import Column, columns
from ioc57.ingest.sourcescope import sources_in_scope
from ioc57.ingest.types import RECORD_TYPES


@dataclass(frozen=True)
class Choice:
    """A source the person may import for, and the types they may import as it."""

    name: str
    title: str
    types: tuple[str, ...]
    simulated: bool
    unit: str  # its first unit's official code (for the example file)


def writable_types(principal: Principal | None) -> list[str]:
    """The record types ``principal`` may write, in the registry's order."""
    return [n for n, t in RECORD_TYPES.items() if may(principal, t.write_action)]


def choices(conn: Connection, principal: Principal) -> list[Choice]:
    """The sources ``principal`` may import for, real ones first, then by name."""
    types = writable_types(principal)
    out = []
    for row in sources_in_scope(conn, principal):
        sent = set(row.types or ())
        fitting = tuple(t for t in types if t in sent)
        if fitting:
            unit = str((row.units or [""])[0])
            out.append(Choice(row.name, row.title or "", fitting, bool(row.simulated), unit))
    return sorted(out, key=lambda c: (c.simulated, c.name))


def preselected(offered: list[Choice], source: str = "", type_name: str = "") -> tuple[str, str]:
    """The source and type the form shows: those asked for when they go together, else the
    asked-for source with its first type, else the first source that sends the asked-for type,
    else the first source and its first type; ("", "") when nothing is offered."""
    by_name = {c.name: c for c in offered}
    chosen = by_name.get(source)
    if chosen is not None:
        return chosen.name, type_name if type_name in chosen.types else chosen.types[0]
    for c in offered:
        if type_name in c.types:
            return c.name, type_name
    if offered:
        return offered[0].name, offered[0].types[0]
    return "", ""


def type_columns(types: list[str]) -> dict[str, list[Column]]:
    return {name: columns(RECORD_TYPES[name]) for name in types}
