"""Simulated records, module by module: what a generator is, and the registry of them.

Each module that owns a record type may offer a ``Generator`` of realistic records of it in its
manifest (``Module.simulation``); ``modules.load`` registers it here, and the simulator
(``ingest.simulator``) drives every registered generator it is asked for, knowing none of them by
name. What they make is simulated data (dữ liệu mô phỏng).

A generator is made for one run with the ``World`` of that run: the province, its communes and
agencies as the public API lists them, the run's random generator, a way to mint record ids and a
way to schedule the next step of a record. It offers records sent once at the start (a
catalogue), a new record at a time in its share of the rate (its ``weight``), and the next step
of a record it follows (a dossier or a report moving on), until that record is done.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from ioc57.core.clock import LOCAL_TZ

Record = dict[str, Any]

MAX_OPEN = 20_000  # records a generator follows at once; past it, the oldest is forgotten
FIRST_STEP_S = (2.0, 20.0)  # seconds from a new record to its first step, at pace 1


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    short: str
    lat: float
    lon: float


@dataclass
class World:
    """What the generators of one run share: the province as the public API lists it, and the
    run's means to make ids and to schedule a record's next step."""

    province: str
    rng: random.Random
    # a new record id that starts with this prefix, unique in the run
    mint: Callable[[str], str]
    # (record type, id, seconds): step that record again in about that many seconds
    later: Callable[[str, str, float], None]
    communes: list[Commune] = field(default_factory=list)  # those with a known centre
    agencies: list[str] = field(default_factory=list)  # their codes

    def settle(self, communes: list[dict[str, Any]], agencies: list[dict[str, Any]]) -> None:
        """Places the world in its province's communes (those with a known centre) and agencies,
        given as the units API lists them."""
        self.communes = [
            Commune(i["code"], i["name"], i.get("short_name") or i["name"], i["lat"], i["lon"])
            for i in communes
            if i.get("lat") is not None and i.get("lon") is not None
        ]
        self.agencies = [i["code"] for i in agencies]


def iso(value: datetime) -> str:
    """A time as the records carry it: Việt Nam's local time, to the millisecond."""
    return value.astimezone(LOCAL_TZ).isoformat(timespec="milliseconds")


def pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    """One of the values, in proportion to its weight."""
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


class Generator:
    """Makes the simulated records of one record type for one run.

    A subclass names its ``record_type`` and its ``weight`` (its share of the rate; 0 for a type
    sent only at the start) and overrides what it makes: ``start``, ``new``, and for the records it
    follows (``follow``) ``move``.
    """

    record_type: ClassVar[str]
    weight: ClassVar[int] = 0
    pause_s: ClassVar[tuple[float, float]] = (3.0, 30.0)  # between two steps, at pace 1

    def __init__(self, world: World) -> None:
        self.world = world
        self.rng = world.rng
        self.open: dict[str, Record] = {}  # the followed records, by id, as last sent

    def start(self, at: datetime) -> list[Record]:
        """The records sent once, before the first new one (a catalogue, say)."""
        return []

    def new(self, at: datetime) -> Record:
        """A new record, made at ``at``."""
        raise NotImplementedError(f"{self.record_type} records are sent only at the start")

    def move(self, record: Record, at: datetime) -> bool:
        """Moves a copy of a followed record one step on, at ``at``; False when it is done."""
        raise NotImplementedError(f"{self.record_type} records are not followed")

    def forget(self, key: str) -> None:
        """The followed record ``key`` is dropped (past ``MAX_OPEN``): what a subclass keeps beside
        it can go too."""

    def follow(self, record: Record) -> Record:
        """Keeps ``record`` to move it on in later steps; returns it."""
        if len(self.open) >= MAX_OPEN:
            oldest = next(iter(self.open))
            del self.open[oldest]
            self.forget(oldest)
        self.open[record["id"]] = record
        self.world.later(self.record_type, record["id"], self.rng.uniform(*FIRST_STEP_S))
        return record

    def step(self, key: str, at: datetime) -> Record | None:
        """The next step of the followed record ``key``, or None when it is no longer followed."""
        followed = self.open.get(key)
        if followed is None:
            return None
        record = dict(followed)
        going_on = self.move(record, at)
        record["updated_at"] = iso(at)
        if going_on:
            self.open[key] = record
            self.world.later(self.record_type, key, self.rng.uniform(*self.pause_s))
        else:
            del self.open[key]
        return record


_generators: dict[str, type[Generator]] = {}


def register(generator: type[Generator]) -> None:
    """Adds a module's generator; one per record type."""
    name = generator.record_type
    if _generators.get(name, generator) is not generator:
        raise ValueError(f"two generators of {name} records")
    _generators[name] = generator


def generators() -> dict[str, type[Generator]]:
    """The registered generators by record type, in the order the modules are installed."""
    return dict(_generators)


def types() -> list[str]:
    """Every record type a generator makes."""
    return list(_generators)


def steady_types() -> list[str]:
    """The record types sent in a share of the rate (not only at the start)."""
    return [name for name, generator in _generators.items() if generator.weight > 0]
