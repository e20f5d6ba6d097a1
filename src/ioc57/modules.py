"""The modules of ioc57: what one brings (``Module``), and the one ordered list of those installed.

Each module is a package with a ``manifest.py`` that holds its ``MODULE``: its record types, tables,
routers, templates, navigation, overview panels, the operations centre's concerns, tiles and map
layers, access actions, commands, indicator providers,
gate checks and projectors, event subscribers, demo and simulated records. The web app, the CLI,
the schema, the access policy, the gate, the simulator and ``ioc57 demo`` iterate over
``installed()``; none of them names a module. Adding one = its folder, a line in ``INSTALLED``,
and its migration.

This file imports no module at import time, so that every layer may import ``Module``. A manifest
may name its routers, panels and demo loader as ``"package.module:attribute"`` (``core.refs``): every
``ioc57`` process reads the manifests (each command's too, to register the record types), and only
the web app shows the pages, only ``ioc57 demo`` loads a demo; imported with the manifest, the
modules' pages and demos cost each command's process a quarter of a second.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import click
    from fastapi import APIRouter, FastAPI
    from sqlalchemy import Table
    from sqlalchemy.engine import Connection, Engine

    from ioc57.core.access import Principal
    from ioc57.core.events import Event
    from ioc57.core.figures import Figure
    from ioc57.core.providers import Provider
    from ioc57.ingest.gate import Gate
    from ioc57.ingest.hooks import Check, Projector
    from ioc57.ingest.simulation import Generator
    from ioc57.ingest.types.base import RecordType

# In the order they are loaded: a module comes after those whose units, users or records it uses
# (its demo runs after theirs).
INSTALLED = (
    "units",
    "accounts",
    "ingest",
    "indicators",
    "services",
    "feedback",
    "sensors",
    "tasks",
    "traceability",
    "alerts",
    "centre",  # the operations centre: made of what the modules above offer
)


@dataclass(frozen=True)
class Link:
    """An entry of the main navigation; ``order`` places it among the other modules' entries.

    An entry may carry a count beside its label (``badge``: the alerts a person has to look at),
    shown on every page and read again, live, when one of ``badge_events`` arrives on the event
    stream; and an icon (a file of the module's static folder) before its label. An entry with an
    ``action`` shows only to those the policy lets take it (their page would refuse the others)."""

    path: str
    label: str  # a message id (``N_``), translated where it shows
    order: int
    # (conn, principal) -> the count, or None when it is not for this person; or its name
    badge: Callable[[Connection, Principal], int | None] | str | None = None
    badge_label: str = ""  # a message id: what the count counts (read by screen readers)
    badge_events: tuple[str, ...] = ()  # event types after which the count is read again
    icon: str = ""  # the address of an SVG shown before the label
    action: str = ""  # shown only to those the policy lets take this action (empty: to all)


@dataclass(frozen=True)
class Panel:
    """A panel of the overview page: ``render(conn, principal)`` gives its title and rows."""

    # None: nothing to show; the function or its name (``resolve``)
    render: Callable[[Connection, Principal | None], dict[str, Any] | None] | str
    order: int


@dataclass(frozen=True)
class Concern:
    """One thing that needs attention today: on the leader's home, the wall's feed and the daily
    brief (``centre``), ranked with every module's others (most severe, then newest, first).

    Its words are message ids, translated where they show; ``why`` may hold ``{name}`` fields
    filled from ``args`` (numbers, dates, names: data, never a citizen's personal data)."""

    key: str  # stable across reads and processes: "<module>:<what>:<id>"
    kind: str  # a message id: what it is ("Alert firing", "Task overdue")
    title: str  # the thing as people name it (a rule, a procedure, a task, an indicator): data
    why: str  # a message id: why it is on the list, with ``{fields}`` from ``args``
    since: datetime  # aware (UTC): since when it needs attention
    severity: int  # 3 critical, 2 high (late, firing, overdue), 1 to watch
    href: str  # where to act on it
    owner: str | None = None  # whose it is: an agency's or a unit's name (never a citizen)
    unit_code: str | None = None  # the unit it concerns, for the map and the scope
    args: Mapping[str, Any] = field(default_factory=dict)
    points: float | None = None  # what is at stake in the Decision 766 index, when it counts
    simulated: bool = False  # from simulated data (dữ liệu mô phỏng)
    source: str = ""  # a message id: where it comes from ("Online public services (LGSP)")


@dataclass(frozen=True)
class Watch:
    """A module's source of concerns: ``find(conn, principal, now)`` gives those in the
    principal's scope (a commune's officer: its subtree; an agency's: the agency's), at most
    ``limit`` of them, most severe first; ``events`` are the event types after which the list
    may have changed."""

    # (conn, principal, now, limit) -> concerns; or its name (``resolve``)
    find: Callable[[Connection, Principal, datetime, int], list[Concern]] | str
    events: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tile:
    """A key figure a module offers to the leader's home and the wall.

    ``render(conn, principal, now)`` gives None (nothing for this person) or a dict:
    ``value`` (a number or None), ``uom`` ("count", "percent", "points", "g/l", ...), ``caption``
    (a message id: which span, "today", "this month"), ``trend`` (up to 30 ``[iso day, value]``
    pairs, oldest first), ``delta`` (the change against the span before, or None), ``good``
    ("up", "down" or None: the direction that is good news), ``status`` ("ok", "watch", "bad" or
    None), ``updated_at`` (aware datetime: when its data last changed), ``source`` (a message id:
    where the figure comes from), ``simulated`` (bool), ``href`` (its page), and optionally
    ``rows`` (up to 8 ``{"label", "value", "href"}``, labels as data or message ids) and ``unit``
    (the name of the unit it is for). ``events`` are the event types after which it is read
    again, live."""

    name: str  # unique among modules: "<module>.<what>"
    title: str  # a message id
    render: Callable[[Connection, Principal, datetime], dict[str, Any] | None] | str
    order: int
    events: tuple[str, ...] = ()


@dataclass(frozen=True)
class Layer:
    """A layer of the operations centre's map: ``render(conn, principal)`` gives None or a dict
    ``{"points": [{"lat", "lon", "label", "value", "level", "href"}], "legend": [[level, message
    id]], "updated_at", "simulated", "source"}``; ``level`` is one of "ok", "watch", "bad",
    "none" (the colour), ``value`` sizes the marker."""

    name: str  # unique among modules: "<module>.<what>"
    title: str  # a message id
    render: Callable[[Connection, Principal], dict[str, Any] | None] | str
    order: int
    events: tuple[str, ...] = ()


@dataclass(frozen=True)
class Demo:
    """What ``ioc57 demo`` hands a module's demo loader."""

    engine: Engine
    gate: Gate  # to send records as a source would
    password: str  # the demo users' password
    today: date
    echo: Callable[[str], Any]  # one line for the person who runs ``ioc57 demo``


@dataclass(frozen=True)
class Module:
    """What a module brings. Every field is optional but the name."""

    name: str
    # record types the gate takes in for this module (``../shared/specs/records.md``)
    record_types: tuple[RecordType, ...] = ()
    # its tables (importing them registers them on the one metadata)
    tables: tuple[Table, ...] = ()
    # API routers, then page routers, each mounted in this order (a fixed path before a
    # parameter that matches it); every module's API comes before any page, so that an API
    # request is matched without walking the pages' routes. Each a router or its name (``resolve``)
    api: tuple[APIRouter | str, ...] = ()
    pages: tuple[APIRouter | str, ...] = ()
    # the folder of its page templates
    templates: Path | None = None
    # the folder of its pages' static files (scripts), served at /static/modules/<name>/
    static: Path | None = None
    nav: tuple[Link, ...] = ()
    panels: tuple[Panel, ...] = ()
    # what it offers the operations centre: concerns for the ranked list of what needs attention,
    # key figures (tiles) and map layers for the leader's home and the wall
    watches: tuple[Watch, ...] = ()
    tiles: tuple[Tile, ...] = ()
    layers: tuple[Layer, ...] = ()
    # the access actions it defines and the roles that may take each (``core.access.POLICY``)
    actions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # ``ioc57`` subcommands
    commands: tuple[click.Command, ...] = ()
    # indicators it computes from its rollups, read by the scorecard like reported ones
    providers: tuple[Provider, ...] = ()
    # per record type name: the gate's extra checks, and projectors into the module's own tables
    checks: Mapping[str, tuple[Check, ...]] = field(default_factory=dict)
    projectors: Mapping[str, tuple[Projector, ...]] = field(default_factory=dict)
    # (event type, handler) pairs subscribed on the app's event bus
    subscribers: tuple[tuple[str, Callable[[Event], Any]], ...] = ()
    # what the app needs of it beyond routers (background work, token refusals): called once
    install: Callable[[FastAPI], None] | None = None
    # loads the module's demo data (dữ liệu mô phỏng, or figures cited from the articles): the
    # loader or its name (``resolve``)
    demo: Callable[[Demo], None] | str | None = None
    # makes the simulated records of its record types (``ioc57 simulate``, the demo's feed)
    simulation: tuple[type[Generator], ...] = ()
    # figures that alert rules may watch (``core.figures``)
    figures: tuple[Figure, ...] = ()


_installed: tuple[Module, ...] | None = None


def installed() -> tuple[Module, ...]:
    """The installed modules, in ``INSTALLED`` order."""
    global _installed
    if _installed is None:
        _installed = tuple(
            importlib.import_module(f"ioc57.{name}.manifest").MODULE for name in INSTALLED
        )
    return _installed


_loaded = False


def load() -> tuple[Module, ...]:
    """Plug every installed module into the registries of the layers below (record types, access
    actions, gate hooks, indicator providers, simulated records); once per process."""
    global _loaded
    modules = installed()
    if _loaded:
        return modules
    from ioc57.core import access, figures, providers
    from ioc57.ingest import hooks, simulation
    from ioc57.ingest.types import register_type

    for module in modules:
        access.define(module.actions)
        for rtype in module.record_types:
            register_type(rtype)
        for name, checks in module.checks.items():
            for check in checks:
                hooks.register_check(name, check)
        for name, projectors in module.projectors.items():
            for project in projectors:
                hooks.register_projector(name, project)
        for provider in module.providers:
            providers.register(provider)
        for generator in module.simulation:
            simulation.register(generator)
        for figure in module.figures:
            figures.register(figure)
    _loaded = True
    return modules
