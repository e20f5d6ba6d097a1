"""Figures that alert rules may watch, offered by the modules through their manifests.

A module that has something worth watching (a sensor's latest reading, an indicator's status, the
dossiers about to be late, the tasks overdue) declares a ``Figure``: its name, what it measures,
and a function that returns its current ``Sample``s, one per series (a station, a unit, an
indicator), each with the labels that tell the series apart. The alert rules (module ``alerts``)
read figures only through this registry, so that no module imports another to be watched.

A figure names the record types whose arrival changes it (``record_types``): a batch of them at
the gate re-evaluates the rules on the figure at once (the batch's id is handed to ``samples``, so
that a figure with many series may return only those the batch changed); every figure is also
evaluated by the alerts' scheduler, which is how time-based figures (no data, overdue) move.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from ioc57.core.refs import resolve


@dataclass(frozen=True)
class Sample:
    """The current value of one series of a figure."""

    labels: Mapping[str, str]  # what tells this series apart (station, metric, indicator, unit)
    value: float | None  # None: the series exists but has no value
    unit_id: int | None = None  # the unit it belongs to: the rule's scope and who may see it
    at: datetime | None = None  # when the value was observed (None: computed now)
    # the series' own limit, for a rule whose threshold is "the series' own" (a station's
    # threshold, the strictest crop threshold of its commune, an indicator's target)
    threshold: float | None = None


# (connection, the rule's parameters, the gate batch that changed it or None for all) -> samples
Samples = Callable[[Connection, Mapping[str, Any], "int | None"], list[Sample]]


@dataclass(frozen=True)
class Figure:
    name: str  # "sensors.reading", "services.overdue_dossiers", …
    label: str  # a message id (``N_``), translated where it shows
    samples: Samples | str  # the function or its name ("package.module:attribute")
    uom: str = ""  # the unit of measure its values are in ("‰", "count", "%")
    # record types whose arrival at the gate changes it (evaluated on the batch's event)
    record_types: tuple[str, ...] = ()
    # the parameters a rule on it may (or must) give, with what each means (a message id)
    params: Mapping[str, str] = field(default_factory=dict)
    required: tuple[str, ...] = ()


_figures: dict[str, Figure] = {}


def register(figure: Figure) -> None:
    _figures[figure.name] = figure


def figure(name: str) -> Figure | None:
    return _figures.get(name)


def figures() -> list[Figure]:
    return list(_figures.values())


def samples(
    conn: Connection, name: str, params: Mapping[str, Any], batch: int | None = None
) -> list[Sample]:
    """The current samples of figure ``name`` (a ``KeyError`` for a figure nobody offers)."""
    fig = _figures[name]
    compute: Samples = resolve(fig.samples)
    return compute(conn, params, batch)
