"""Simulated records, module by module: the registry of the generators the simulator drives.

Each module that owns a record type may offer a ``Generator`` of realistic records of it in its
manifest (``Module.simulation``); ``modules.load`` registers it here, and the simulator
(``ingest.simulator``) drives every registered generator. What they make is simulated data
(dữ liệu mô phỏng).
"""

from __future__ import annotations

from typing import Protocol


class Generator(Protocol):
    """Makes the simulated records of one record type."""

    record_type: str


_generators: dict[str, type[Generator]] = {}


def register(generator: type[Generator]) -> None:
    _generators[generator.record_type] = generator


def generators() -> dict[str, type[Generator]]:
    return dict(_generators)
