"""The record types the gate takes in: the protocol (``base``) and the registry.

Each module declares its record types in its manifest (``ioc57.modules``); ``modules.load()``
registers them here. The gate knows no record type by name. ``docs/records.md`` is their
contract, written from their models by ``ioc57 contract``.
"""

from typing import Any

from ioc57.ingest.types.base import RecordType

RECORD_TYPES: dict[str, RecordType[Any]] = {}


def register_type(rtype: RecordType[Any]) -> None:
    """Add a module's record type; a second module cannot take a name already given."""
    known = RECORD_TYPES.get(rtype.name)
    if known is not None and known is not rtype:
        raise ValueError(f"two modules declare the record type {rtype.name!r}")
    RECORD_TYPES[rtype.name] = rtype


__all__ = ["RECORD_TYPES", "RecordType", "register_type"]
